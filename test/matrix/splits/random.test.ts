import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../../src/core/errors.js';
import { assertNoLeakage, parseSplitSpec, randomSplit } from '../../../src/matrix/splits/index.js';
import { countByCustomer, eventsOf, gridLog, logOf, pairsOf } from './fixtures.js';

describe('randomSplit', () => {
  const log = gridLog(6, (c) => [1, 2, 4, 8, 10, 20][c]);

  it('splits each customer ceil(ratio * n) / rest, a one-event customer staying in train', () => {
    const s = randomSplit(log, { ratio: 0.75, seed: 7 });
    const train = countByCustomer(s.train);
    const test = countByCustomer(s.test);
    const sizes = [1, 2, 4, 8, 10, 20];
    sizes.forEach((n, c) => {
      expect(train.get(`c${c}`)).toBe(Math.ceil(0.75 * n));
      expect(test.get(`c${c}`) ?? 0).toBe(n - Math.ceil(0.75 * n));
    });
    expect(s.train.length + s.test.length).toBe(log.length);
    expect([...pairsOf(s.train), ...pairsOf(s.test)].sort()).toEqual(pairsOf(log));
  });

  it('shares the source id maps on both sides and keeps source row order', () => {
    const s = randomSplit(log, { seed: 1 });
    for (const side of [s.train, s.test]) {
      expect(side.customers).toBe(log.customers);
      expect(side.products).toBe(log.products);
      expect(side.contexts).toBe(log.contexts);
      const times = Array.from(side.time);
      expect(times).toEqual([...times].sort((a, b) => a - b)); // gridLog's rows are in time order
    }
  });

  it('is reproducible with a seed and differs with another', () => {
    const a = randomSplit(log, { seed: 3 });
    const b = randomSplit(log, { seed: 3 });
    const c = randomSplit(log, { seed: 4 });
    expect(eventsOf(a.test)).toEqual(eventsOf(b.test));
    expect(eventsOf(a.train)).toEqual(eventsOf(b.train));
    expect(eventsOf(c.test)).not.toEqual(eventsOf(a.test));
    expect(c.test.length).toBe(a.test.length);
  });

  it('defaults to ratio 0.75 and seed 42 and names itself with a spec that reproduces it', () => {
    const s = randomSplit(log);
    expect(s.name).toBe('random:0.75:42');
    expect(parseSplitSpec(s.name)).toEqual({ kind: 'random', ratio: 0.75, seed: 42 });
    expect(eventsOf(s.test)).toEqual(eventsOf(randomSplit(log, { ratio: 0.75, seed: 42 }).test));
  });

  it('honours other ratios per customer', () => {
    const s = randomSplit(log, { ratio: 0.5, seed: 9 });
    expect(countByCustomer(s.train).get('c5')).toBe(10);
    expect(countByCustomer(s.test).get('c5')).toBe(10);
    expect(countByCustomer(s.train).get('c2')).toBe(2);
    // 0.35 * 20 is 7.000000000000001 in floating point: still 7 in train, not 8
    expect(countByCustomer(randomSplit(log, { ratio: 0.35, seed: 9 }).train).get('c5')).toBe(7);
  });

  it('keeps every event of a repeated (customer, product) pair on one side', () => {
    const rows: [string, string, number][] = [];
    for (let k = 0; k < 8; k++) for (let rep = 0; rep < 3; rep++) rows.push(['a', `p${k}`, k * 10 + rep]);
    const repeated = logOf(rows);
    for (let seed = 0; seed < 20; seed++) {
      const s = randomSplit(repeated, { seed });
      expect(() => assertNoLeakage(s)).not.toThrow();
      expect(s.train.length).toBe(6 * 3); // ceil(0.75 * 8) pairs of 3 events
      expect(s.test.length).toBe(2 * 3);
    }
  });

  it('handles an empty log', () => {
    const s = randomSplit(logOf([]));
    expect(s.train.length).toBe(0);
    expect(s.test.length).toBe(0);
  });

  it.each([0, 1, -0.2, 1.5, Number.NaN])('rejects ratio %s', (ratio) => {
    expect(() => randomSplit(log, { ratio })).toThrow(NextbestError);
    expect(() => randomSplit(log, { ratio })).toThrow(/ratio must be a number strictly between 0 and 1/);
  });

  it('rejects a bad seed', () => {
    expect(() => randomSplit(log, { seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => randomSplit(log, { seed: -1 })).toThrow(/seed must be an integer/);
  });
});
