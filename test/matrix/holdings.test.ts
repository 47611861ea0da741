import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../src/core/errors.js';
import type { HoldingBatch } from '../../src/data/rows.js';
import { MonthlyHoldings } from '../../src/matrix/holdings.js';
import { LagFeatures, nextCalendarMonth, walkStates } from '../../src/models/adds-features.js';

const JAN = Date.UTC(2015, 0, 28) / 1000;
const FEB = Date.UTC(2015, 1, 28) / 1000;
const MAR = Date.UTC(2015, 2, 28) / 1000;

async function* batches(rows: [string, number, string[]][]): AsyncGenerator<HoldingBatch> {
  yield { length: rows.length, customer: rows.map((r) => r[0]), month: Float64Array.from(rows, (r) => r[1]), products: rows.map((r) => r[2]) };
}

// A holds a, then a b, then b; B appears in February with c and holds nothing in March; C only in March.
const ROWS: [string, number, string[]][] = [
  ['A', JAN, ['a']],
  ['A', FEB, ['a', 'b']],
  ['B', FEB, ['c']],
  ['A', MAR, ['b']],
  ['C', MAR, ['a']],
];

describe('MonthlyHoldings', () => {
  it('keeps each month as masks; a customer is in the state from their first month with holdings', async () => {
    const h = await MonthlyHoldings.load(batches(ROWS));
    expect(Array.from(h.months)).toEqual([JAN, FEB, MAR]);
    expect(h.customers.ids()).toEqual(['A', 'B', 'C']);
    expect(h.products.ids()).toEqual(['a', 'b', 'c']);
    const [A, B, C] = [0, 1, 2];
    expect([h.present(A, 0), h.present(B, 0), h.present(B, 2), h.present(C, 1)]).toEqual([true, false, true, false]);
    expect(Array.from(h.presentAt(1))).toEqual([A, B]);
    // Adds need the month before in the state: B's first month is no add, C's neither.
    expect([h.added(A, 1), h.added(B, 1), h.added(A, 2), h.added(B, 2), h.added(C, 2)]).toEqual([0b010, 0, 0, 0, 0]);
    expect([h.dropped(A, 2), h.dropped(B, 2)]).toEqual([0b001, 0b100]);
    expect(h.addedMatrix(1).row(A).indices).toEqual(Int32Array.of(1));
    expect(Array.from(h.heldMatrix(1).row(A).indices)).toEqual([0, 1]);
    expect(h.heldMatrix(2).row(B).indices).toHaveLength(0);
    expect([h.monthIndex('2015-02-28'), h.monthIndex('2015-02-27'), h.monthName(2)]).toEqual([1, -1, '2015-03-28']);
    expect(h.upTo(2).months).toHaveLength(2);
  });

  it('refuses more products than a mask holds', async () => {
    const many = Array.from({ length: 33 }, (_, j) => `p${j}`);
    await expect(MonthlyHoldings.load(batches([['A', JAN, many]]))).rejects.toThrow(NextbestError);
  });
});

describe('lag features', () => {
  it('held, added, dropped, months held in buckets and the month predicted, after the attribute features', async () => {
    const h = await MonthlyHoldings.load(batches(ROWS));
    const lag = new LagFeatures(5, 3);
    const seen: number[][] = [];
    walkStates(h, (t, run) => {
      const out = new Int32Array(lag.maxPerState);
      const n = lag.write(h.masks[t][0], h.added(0, t), h.dropped(0, t), run, 0, nextCalendarMonth(h.months[t]), out);
      seen.push(Array.from(out.subarray(0, n)));
    });
    const P = 3;
    const heldFor = (j: number, bucket: number): number => 5 + 3 * P + j * 4 + bucket;
    const month = (m: number): number => 5 + 7 * P + m;
    expect(seen[0]).toEqual([5 + 0, heldFor(0, 0), month(1)]); // January: holds a for 1 month; predicts February
    expect(seen[1]).toEqual([5 + 0, heldFor(0, 1), 5 + 1, heldFor(1, 0), 5 + P + 1, month(2)]); // a 2 months, b added
    expect(seen[2]).toEqual([5 + 2 * P + 0, 5 + 1, heldFor(1, 1), month(3)]); // a dropped, b 2 months
    expect(lag.count).toBe(7 * P + 12);
  });
});
