import { describe, expect, it } from 'vitest';
import { apk, mapk, santanderMap } from '../../../src/eval/metrics/index.js';
import { csrFromRows } from './csr-rows.js';

describe("Kaggle's apk", () => {
  it('sums precision at each hit, over min(|actual|, k)', () => {
    // actual {1,2,3}, predicted [1,4,2]: hits at 1 (1/1) and 3 (2/3) -> (1 + 2/3) / min(3, 7) = 5/9
    expect(apk([1, 2, 3], [1, 4, 2], 7)).toBeCloseTo(5 / 9, 12);
    // |actual| > k: actual 1..10, predicted [1,2,3], k = 3 -> (1 + 1 + 1) / 3 = 1
    expect(apk([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3], 3)).toBe(1);
  });

  it('does not count a repeated prediction twice', () => {
    // actual {1,2}, predicted [1,1,2]: 1 at p=1 -> 1/1; the repeat at p=2 is skipped; 2 at p=3 -> 2/3
    // -> (1 + 2/3) / 2 = 5/6
    expect(apk([1, 2], [1, 1, 2], 7)).toBeCloseTo(5 / 6, 12);
  });

  it('cuts predictions at k and scores an empty actual 0', () => {
    // 5 is the 5th prediction: 1/5 with k = 7, outside the list with k = 4
    expect(apk([5], [1, 2, 3, 4, 5, 6, 7], 7)).toBeCloseTo(0.2, 12);
    expect(apk([5], [1, 2, 3, 4, 5, 6, 7], 4)).toBe(0);
    expect(apk([], [1, 2], 7)).toBe(0);
    expect(apk([1], [], 7)).toBe(0);
  });
});

describe('mapk and santanderMap', () => {
  // customer 0 added {1,2,3}, customer 1 added nothing, customer 2 added {4}
  const actual = [[1, 2, 3], [], [4]];
  const predicted = [[1, 4, 2], [1, 2], [5, 4]];

  it("average over all customers, those without additions as 0 (Kaggle's definition)", () => {
    // apk: 5/9, 0, (1/2) / 1 = 1/2 -> (5/9 + 0 + 1/2) / 3 = (19/18) / 3 = 19/54
    expect(mapk(actual, predicted, 7)).toBeCloseTo(19 / 54, 12);
    const added = csrFromRows(actual, 8);
    const r = santanderMap(
      predicted.map((p) => Int32Array.from(p)),
      Int32Array.from([0, 1, 2]),
      added,
    );
    expect(r.perUser[0]).toBeCloseTo(5 / 9, 12);
    expect(Array.from(r.perUser.subarray(1))).toEqual([0, 0.5]);
    expect(r.mean).toBeCloseTo(19 / 54, 12);
    expect(r.withAdditions).toBe(2);
  });

  it('uses k = 7 by default', () => {
    const added = csrFromRows([[7]], 8);
    const list = [0, 1, 2, 3, 4, 5, 6, 7]; // product 7 is 8th
    expect(santanderMap([list], Int32Array.from([0]), added).mean).toBe(0);
    expect(santanderMap([list], Int32Array.from([0]), added, 8).mean).toBe(1 / 8);
  });
});
