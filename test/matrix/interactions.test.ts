import { describe, expect, it } from 'vitest';
import { EventLogBuilder, buildInteractions, type CsrMatrix } from '../../src/matrix/index.js';

const DAY = 86_400;

const dense = (m: CsrMatrix): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.get(i, j)));

const sample = () => {
  const b = new EventLogBuilder();
  b.add('c1', 'p1', 0, 'acquire', 1);
  b.add('c1', 'p1', 0, 'click', 1);
  b.add('c1', 'p2', 0, 'drop', 1);
  b.add('c2', 'p2', 0, 'display', 1);
  b.add('c2', 'p1', 0, 'rating', 4);
  b.add('c2', 'p3', 0, 'decline', 1);
  b.addCustomer('cold');
  return b.build();
};

describe('buildInteractions', () => {
  it('applies default weights, sums duplicates, skips drop and decline, keeps cold-start rows', () => {
    const { userItem, itemUser } = buildInteractions(sample());
    expect([userItem.rows, userItem.cols]).toEqual([3, 3]);
    const m = dense(userItem);
    expect(m[0][0]).toBe(4); // acquire 3 + click 1
    expect(m[0][1]).toBe(0); // drop is not a positive
    expect(m[1][1]).toBeCloseTo(0.1, 6);
    expect(m[1][0]).toBe(1); // rating without useValue
    expect(m[1][2]).toBe(0); // decline
    expect(m[2]).toEqual([0, 0, 0]);
    expect(userItem.nnz).toBe(3);
    expect(itemUser.rows).toBe(3);
    expect(dense(itemUser)).toEqual(m[0].map((_, j) => m.map((row) => row[j])));
  });

  it('overrides weights and multiplies ratings by value with useValue', () => {
    const { userItem } = buildInteractions(sample(), { weights: { click: 2, drop: 0.5, rating: 0.5 }, useValue: true });
    expect(userItem.get(0, 0)).toBe(5); // 3 + 2
    expect(userItem.get(0, 1)).toBe(0.5);
    expect(userItem.get(1, 0)).toBe(2); // 0.5 * 4
    expect(userItem.get(1, 1)).toBeCloseTo(0.1, 6); // display keeps its value-free weight
  });

  it('skips non-positive ratings under useValue', () => {
    const b = new EventLogBuilder();
    b.add('c', 'p', 0, 'rating', 0);
    b.add('c', 'q', 0, 'rating', -2);
    expect(buildInteractions(b.build(), { useValue: true }).userItem.nnz).toBe(0);
  });

  it('decays by half-life from the latest event by default', () => {
    const b = new EventLogBuilder();
    const now = 1_700_000_000;
    b.add('c1', 'p1', now - 10 * DAY, 'acquire', 1);
    b.add('c1', 'p1', now, 'click', 1);
    b.add('c2', 'p2', now - 20 * DAY, 'click', 1);
    b.add('c2', 'p1', now - 5 * DAY, 'checkout', 1);
    const log = b.build();
    const { userItem } = buildInteractions(log, { halfLifeDays: 10 });
    expect(userItem.get(0, 0)).toBeCloseTo(3 * 0.5 + 1, 6);
    expect(userItem.get(1, 1)).toBeCloseTo(0.25, 6);
    expect(userItem.get(1, 0)).toBeCloseTo(3 * Math.SQRT1_2, 6);

    const later = buildInteractions(log, { halfLifeDays: 10, referenceTime: now + 10 * DAY }).userItem;
    expect(later.get(0, 0)).toBeCloseTo(3 * 0.25 + 0.5, 6);
    expect(later.get(1, 1)).toBeCloseTo(0.125, 6);

    // Events after the reference time are not boosted above their weight.
    const earlier = buildInteractions(log, { halfLifeDays: 10, referenceTime: now - 10 * DAY }).userItem;
    expect(earlier.get(0, 0)).toBeCloseTo(3 + 1, 6);
    expect(earlier.get(1, 1)).toBeCloseTo(0.5, 6);
  });

  it('binary clamps every cell to 1', () => {
    const { userItem, itemUser } = buildInteractions(sample(), { binary: true });
    expect(dense(userItem)).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    expect(Array.from(itemUser.data)).toEqual([1, 1, 1]);
  });

  it('handles an empty log', () => {
    const b = new EventLogBuilder();
    b.addCustomer('a');
    const { userItem, itemUser } = buildInteractions(b.build(), { halfLifeDays: 3 });
    expect([userItem.rows, userItem.cols, userItem.nnz]).toEqual([1, 0, 0]);
    expect([itemUser.rows, itemUser.cols]).toEqual([0, 1]);
  });

  it('rejects bad options', () => {
    const log = sample();
    expect(() => buildInteractions(log, { weights: { click: -1 } })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => buildInteractions(log, { weights: { bogus: 1 } as never })).toThrow(/unknown event type/);
    expect(() => buildInteractions(log, { halfLifeDays: 0 })).toThrow(/halfLifeDays/);
    expect(() => buildInteractions(log, { referenceTime: NaN })).toThrow(/referenceTime/);
  });
});
