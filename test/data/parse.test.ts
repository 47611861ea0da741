import { describe, expect, it } from 'vitest';
import { isNonFinite, parseAttribute, parseNumber, parseTimestamp } from '../../src/data/parse.js';

describe('parsers', () => {
  it('reads numbers with padding and refuses text', () => {
    expect(parseNumber('     6')).toBe(6);
    expect(parseNumber('37393.35000000001')).toBeCloseTo(37393.35);
    expect(parseNumber('abc')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });

  it('types attributes and treats NA / unknown as missing', () => {
    expect(parseAttribute(' 35')).toBe(35);
    expect(parseAttribute('MASS')).toBe('MASS');
    expect(parseAttribute('NA')).toBeNull();
    expect(parseAttribute('unknown')).toBeNull();
  });

  it('tells numbers no double holds (NaN, Infinity, 1e400) from missing values and text', () => {
    for (const t of ['NaN', 'nan', ' Infinity', '-inf', '1e400', '-1E999', '1' + '0'.repeat(400)]) expect(isNonFinite(t), t).toBe(true);
    for (const t of ['NA', '', '1e300', '-0.5', 'Nancy', 'info', '1e400x']) expect(isNonFinite(t), t).toBe(false);
    expect(parseAttribute('NaN')).toBe('NaN'); // loaders reject it before: readAttributes
  });

  it('reads timestamps as UTC and rejects impossible dates', () => {
    expect(parseTimestamp('2016-05-31 14:02:11')?.toISOString()).toBe('2016-05-31T14:02:11.000Z');
    expect(parseTimestamp('2016-05-31')?.toISOString()).toBe('2016-05-31T00:00:00.000Z');
    expect(parseTimestamp('20160531')?.toISOString()).toBe('2016-05-31T00:00:00.000Z');
    expect(parseTimestamp('881250949')?.toISOString()).toBe('1997-12-04T15:55:49.000Z');
    expect(parseTimestamp('0001-01-01')?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(parseTimestamp('0004-02-29')?.toISOString()).toBe('0004-02-29T00:00:00.000Z');
    expect(parseTimestamp('0001-02-29')).toBeNull();
    expect(parseTimestamp('2016-02-31')).toBeNull();
    expect(parseTimestamp('2016-13-01')).toBeNull();
    expect(parseTimestamp('yesterday')).toBeNull();
  });
});
