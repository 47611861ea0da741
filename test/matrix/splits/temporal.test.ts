import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../../src/core/errors.js';
import { parseSplitSpec, temporalCutoff, temporalRatio } from '../../../src/matrix/splits/index.js';
import { eventsOf, logOf } from './fixtures.js';

describe('temporalCutoff', () => {
  const log = logOf([
    ['a', 'x', 10],
    ['b', 'y', 30],
    ['a', 'y', 20],
    ['a', 'z', 50],
    ['b', 'x', 40],
    ['c', 'x', 60], // a customer first seen after the cutoff
    ['b', 'y', 45], // repeat of b/y, which train already has
  ]);

  it('trains on events before the cutoff and tests on new pairs from the cutoff on', () => {
    const s = temporalCutoff(log, { cutoff: 40 });
    expect(eventsOf(s.train)).toEqual(['a/x@10', 'b/y@30', 'a/y@20']);
    expect(eventsOf(s.test)).toEqual(['a/z@50', 'b/x@40', 'c/x@60']);
    expect(s.dropped).toBe(1);
    expect(s.name).toBe('temporal:40');
    expect(s.test.customers).toBe(log.customers);
    expect(Math.max(...s.train.time)).toBeLessThan(Math.min(...s.test.time));
  });

  it('has nothing to drop when no pair repeats across the cutoff', () => {
    const s = temporalCutoff(log, { cutoff: 25 });
    expect(eventsOf(s.train)).toEqual(['a/x@10', 'a/y@20']);
    expect(eventsOf(s.test)).toEqual(['b/y@30', 'a/z@50', 'b/x@40', 'c/x@60', 'b/y@45']);
    expect(s.dropped).toBeUndefined();
  });

  it('accepts a cutoff parsed from a date spec', () => {
    const spec = parseSplitSpec('temporal:1970-01-01T00:00:40Z');
    expect(spec).toEqual({ kind: 'temporal', cutoff: 40 });
    if (spec.kind !== 'temporal') throw new Error('unreachable');
    expect(eventsOf(temporalCutoff(log, spec).train)).toHaveLength(3);
  });

  it('rejects a cutoff that is not a finite number', () => {
    expect(() => temporalCutoff(log, { cutoff: Number.NaN })).toThrow(NextbestError);
    expect(() => temporalCutoff(log, { cutoff: '40' as unknown as number })).toThrow(/cutoff must be epoch seconds/);
  });
});

describe('temporalRatio', () => {
  // Rows deliberately out of time order; b has a tie at t=5 (row order decides) and one event.
  const log = logOf([
    ['a', 'p4', 400],
    ['a', 'p1', 100],
    ['b', 'q2', 5],
    ['a', 'p3', 300],
    ['a', 'p2', 200],
    ['b', 'q1', 5],
    ['c', 'r1', 7],
  ]);

  it("keeps each customer's earliest ceil(ratio * n) events in train", () => {
    const s = temporalRatio(log, { ratio: 0.5 });
    expect(eventsOf(s.train)).toEqual(['a/p1@100', 'b/q2@5', 'a/p2@200', 'c/r1@7']);
    expect(eventsOf(s.test)).toEqual(['a/p4@400', 'a/p3@300', 'b/q1@5']);
    expect(s.name).toBe('temporal-ratio:0.5');
  });

  it('puts every train event of a customer no later than any of their test events', () => {
    const s = temporalRatio(log, { ratio: 0.6 });
    for (const id of ['a', 'b', 'c']) {
      const c = log.customers.index(id);
      const trainTimes = Array.from(s.train.time).filter((_, i) => s.train.customer[i] === c);
      const testTimes = Array.from(s.test.time).filter((_, i) => s.test.customer[i] === c);
      if (testTimes.length > 0) expect(Math.max(...trainTimes)).toBeLessThanOrEqual(Math.min(...testTimes));
    }
    // a: ceil(0.6 * 4) = 3 in train; b: ceil(0.6 * 2) = 2, so all in train; c: its only event stays in train
    expect(eventsOf(s.test)).toEqual(['a/p4@400']);
  });

  it('moves a repeated pair with its first event', () => {
    const rep = logOf([
      ['a', 'x', 1],
      ['a', 'y', 2],
      ['a', 'x', 3],
      ['a', 'z', 4],
    ]);
    const s = temporalRatio(rep, { ratio: 0.5 });
    expect(eventsOf(s.train)).toEqual(['a/x@1', 'a/y@2', 'a/x@3']);
    expect(eventsOf(s.test)).toEqual(['a/z@4']);
  });

  it('requires a ratio strictly between 0 and 1', () => {
    expect(() => temporalRatio(log, { ratio: 1 })).toThrow(/ratio must be a number strictly between 0 and 1/);
    expect(() => temporalRatio(log, {} as { ratio: number })).toThrow(NextbestError);
  });
});
