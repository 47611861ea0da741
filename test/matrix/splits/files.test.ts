import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../../src/data/model.js';
import { NextbestError } from '../../../src/core/errors.js';
import { splitBySpec, splitFromFiles } from '../../../src/matrix/splits/index.js';
import { eventsOf } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'nextbest-splits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('splitFromFiles', () => {
  const train = file('train.tsv', '10\t5\t4\t100\n2\t30\t3\t200\n10\t40\t5\t300\n');
  const test = file('test.tsv', '2\t5\t1\t400\n1\t7\t2\t500\n');

  it('reads both files into one pair of logs with shared, numerically ordered id maps', async () => {
    const s = await splitFromFiles(train, test);
    expect(s.train.customers).toBe(s.test.customers);
    expect(s.train.products).toBe(s.test.products);
    expect(s.train.contexts).toBe(s.test.contexts);
    expect(s.train.customers.ids()).toEqual(['1', '2', '10']);
    expect(s.train.products.ids()).toEqual(['5', '7', '30', '40']);
    expect(eventsOf(s.train)).toEqual(['10/5@100', '2/30@200', '10/40@300']);
    expect(eventsOf(s.test)).toEqual(['2/5@400', '1/7@500']);
    expect(Array.from(s.train.value)).toEqual([4, 3, 5]);
    expect(Array.from(s.test.type).map((t) => EVENT_TYPES[t])).toEqual(['rating', 'rating']);
    expect(s.name).toBe(`files:${train},${test}`);
  });

  it('gives the same indices whatever the row order', async () => {
    const a = await splitFromFiles(train, test);
    const shuffled = file('train-shuffled.tsv', '10\t40\t5\t300\n2\t30\t3\t200\n10\t5\t4\t100\n');
    const b = await splitFromFiles(shuffled, test);
    expect(b.train.customers.ids()).toEqual(a.train.customers.ids());
    expect(b.train.products.ids()).toEqual(a.train.products.ids());
    expect(Array.from(b.test.customer)).toEqual(Array.from(a.test.customer));
  });

  it('defaults rating to 1 and timestamp to 0, tolerates CRLF and trailing blank lines', async () => {
    const s = await splitFromFiles(file('implicit.tsv', 'u1\ti1\r\nu2\ti2\t3\r\n\n\n'), file('implicit-test.tsv', 'u1\ti2\n'), {
      type: 'click',
      name: 'mine',
    });
    expect(Array.from(s.train.value)).toEqual([1, 3]);
    expect(Array.from(s.train.time)).toEqual([0, 0]);
    expect(EVENT_TYPES[s.test.type[0]]).toBe('click');
    expect(s.name).toBe('mine');
  });

  it('names every malformed line, in both files, and skips none', async () => {
    const bad = file('bad.tsv', '1\t2\t3\t4\n1 2 3 4\n1\t\t3\n\n1\t3\tfive\t4\n1\t4\t5\t4\t9\n');
    const badTest = file('bad-test.tsv', '2\t2\t3\tnoon\n');
    const err = await splitFromFiles(bad, badTest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NextbestError);
    expect((err as NextbestError).code).toBe('WRONG_FORMAT');
    expect((err as NextbestError).message).toBe(
      'bad.tsv line 2: 1 tab-separated field(s), expected 2 to 4; bad.tsv line 3: empty item id; bad.tsv line 4: blank line; ' +
        'bad.tsv line 5: rating "five" is not a number; bad.tsv line 6: 5 tab-separated field(s), expected 2 to 4; ' +
        'and 1 more malformed lines; expected tab-separated user, item[, rating[, timestamp]]',
    );
  });

  it('refuses files that share a (user, item) pair, or a user when checking customers', async () => {
    const overlap = file('overlap-test.tsv', '10\t40\t1\t600\n');
    await expect(splitFromFiles(train, overlap)).rejects.toThrow(/leaks: 1 test event\(s\) repeat .* customer "10", product "40"/);
    await expect(splitFromFiles(train, test, { check: 'customers' })).rejects.toThrow(/leaks: 1 customer\(s\).*"2"/);
    const cold = await splitFromFiles(train, file('cold.tsv', '3\t5\n'), { check: 'customers' });
    expect(cold.test.length).toBe(1);
  });

  it('reports a missing file', async () => {
    await expect(splitFromFiles(join(dir, 'nope.tsv'), test)).rejects.toThrow(/nope\.tsv does not exist/);
  });

  it('runs from a files: spec', async () => {
    const s = await splitBySpec(`files:${train},${test}`);
    expect(s.train.length).toBe(3);
    expect(s.test.length).toBe(2);
  });
});

describe('splitBySpec', () => {
  it('needs a log for every kind but files', async () => {
    await expect(splitBySpec('random:0.75')).rejects.toThrow(/split "random" cuts an event log, but none was given/);
  });
});
