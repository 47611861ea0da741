import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../../src/core/errors.js';
import { formatSplitSpec, parseSplitSpec, SPLIT_SPEC_FORMS, type SplitSpec } from '../../../src/matrix/splits/index.js';

describe('parseSplitSpec', () => {
  it.each<[string, SplitSpec]>([
    ['random:0.75', { kind: 'random', ratio: 0.75, seed: 42 }],
    ['random:0.8:7', { kind: 'random', ratio: 0.8, seed: 7 }],
    [' random:.5:0 ', { kind: 'random', ratio: 0.5, seed: 0 }],
    ['temporal:2016-01-01', { kind: 'temporal', cutoff: 1451606400 }],
    ['temporal:1451606400', { kind: 'temporal', cutoff: 1451606400 }],
    ['temporal:2016-01-01T12:30', { kind: 'temporal', cutoff: 1451606400 + 45000 }],
    ['temporal:2016-01-01T12:30:00+02:00', { kind: 'temporal', cutoff: 1451606400 + 45000 - 7200 }],
    ['temporal:2016-01-01T00:00:00Z', { kind: 'temporal', cutoff: 1451606400 }],
    ['temporal-ratio:0.8', { kind: 'temporal-ratio', ratio: 0.8 }],
    ['leave-last-out', { kind: 'leave-last-out', n: 1 }],
    ['leave-last-out:3', { kind: 'leave-last-out', n: 3 }],
    ['cold-start:0.2', { kind: 'cold-start', ratio: 0.2, seed: 42 }],
    ['cold-start:0.2:9', { kind: 'cold-start', ratio: 0.2, seed: 9 }],
    ['files:a/train.tsv,b/test.tsv', { kind: 'files', train: 'a/train.tsv', test: 'b/test.tsv' }],
    ['files:C:\\d\\u1.base,C:\\d\\u1.test', { kind: 'files', train: 'C:\\d\\u1.base', test: 'C:\\d\\u1.test' }],
  ])('parses %s', (text, spec) => {
    expect(parseSplitSpec(text)).toEqual(spec);
  });

  it.each([
    ['', /it is empty/],
    ['random', /random needs a ratio/],
    ['random:', /ratio "" is not a number/],
    ['random:1', /ratio "1" is not a number strictly between 0 and 1/],
    ['random:0', /ratio "0"/],
    ['random:1.5', /ratio "1.5"/],
    ['random:abc', /ratio "abc"/],
    ['random:0.75:-1', /seed "-1" is not an integer/],
    ['random:0.75:1.5', /seed "1.5"/],
    ['random:0.75:4294967296', /seed "4294967296"/],
    ['random:0.75:1:2', /too many ":" parts/],
    ['temporal', /temporal needs a cutoff/],
    ['temporal:2016-02-30', /cutoff "2016-02-30" is neither a valid date nor epoch seconds/],
    ['temporal:yesterday', /cutoff "yesterday"/],
    ['temporal:2016/01/01', /cutoff "2016\/01\/01"/],
    ['temporal-ratio', /temporal-ratio needs a ratio/],
    ['temporal-ratio:0.8:1', /too many ":" parts/],
    ['leave-last-out:0', /N "0" is not an integer of at least 1/],
    ['leave-last-out:two', /N "two"/],
    ['cold-start:2', /ratio "2"/],
    ['files:only-one.tsv', /files needs exactly two paths/],
    ['files:a.tsv,', /files needs exactly two paths/],
    ['files:a,b,c', /files needs exactly two paths/],
    ['kfold:5', /unknown kind "kfold"/],
  ])('rejects %j', (text, reason) => {
    expect(() => parseSplitSpec(text)).toThrow(NextbestError);
    expect(() => parseSplitSpec(text)).toThrow(reason);
    try {
      parseSplitSpec(text);
    } catch (e) {
      const err = e as NextbestError;
      expect(err.code).toBe('BAD_OPTION');
      expect(err.message).not.toContain('\n');
      expect(err.message).toContain(SPLIT_SPEC_FORMS);
    }
  });

  it('round-trips through formatSplitSpec', () => {
    for (const text of ['random:0.75:42', 'temporal:1451606400', 'temporal-ratio:0.8', 'leave-last-out:2', 'cold-start:0.2:3', 'files:a,b']) {
      expect(formatSplitSpec(parseSplitSpec(text))).toBe(text);
    }
    expect(formatSplitSpec(parseSplitSpec('temporal:2016-01-01'))).toBe('temporal:1451606400');
  });
});
