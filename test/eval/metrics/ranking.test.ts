import { describe, expect, it } from 'vitest';
import { rankingMetrics, usersWithTest } from '../../../src/eval/metrics/index.js';
import { csrFromRows } from './csr-rows.js';

const TOL = 1e-9;

// Held-out products per customer (6 products). Customer 2 has none, so it is not scored.
const test = csrFromRows([[1, 3, 5], [2], [], [0, 1, 2, 3, 4]], 6);

describe('usersWithTest', () => {
  it('lists the customers with at least one test product', () => {
    expect(Array.from(usersWithTest(test))).toEqual([0, 1, 3]);
  });
});

describe('rankingMetrics (hand-computed, K = 3)', () => {
  const users = Int32Array.from([0, 1, 3]);
  const recs = [
    // customer 0, test {1,3,5}: top 3 = [3,0,5] -> hits at p = 1 and p = 3 (product 1 is at p = 4, cut off)
    { items: Int32Array.from([3, 0, 5, 1]), scores: Float32Array.from([4, 3, 2, 1]) },
    // customer 1, test {2}: hit at p = 3
    Int32Array.from([0, 4, 2]),
    // customer 3, test {0,1,2,3,4} (|test| = 5 > K): hits at p = 1 and p = 3
    [0, 5, 1],
  ];
  const r = rankingMetrics(recs, users, test, 3);
  // IDCG over 3 positions = 1/log2(2) + 1/log2(3) + 1/log2(4) = 1 + 0.63092975... + 0.5
  const idcg3 = 1 + 1 / Math.log2(3) + 0.5;
  // DCG of hits at 1 and 3 = 1/log2(2) + 1/log2(4) = 1.5
  const ndcg13 = 1.5 / idcg3;

  const expected: Record<string, number[]> = {
    // hits / K
    'precision@3': [2 / 3, 1 / 3, 2 / 3],
    // hits / |test|
    'recall@3': [2 / 3, 1 / 1, 2 / 5],
    'hr@3': [1, 1, 1],
    // customer 1: DCG = 1/log2(4) = 0.5, IDCG over min(3,1) = 1 position = 1
    'ndcg@3': [ndcg13, 0.5, ndcg13],
    // customer 0: (P@1 + P@3) / min(3,3) = (1 + 2/3) / 3 = 5/9; customer 1: P@3 / 1 = 1/3;
    // customer 3: (1 + 2/3) / min(3,5) = 5/9
    'map@3': [5 / 9, 1 / 3, 5 / 9],
    // the same sums over |test|: 5/3 / 3, 1/3 / 1, 5/3 / 5
    'map_ms@3': [5 / 9, 1 / 3, 1 / 3],
    // 1 / first hit position
    'mrr@3': [1, 1 / 3, 1],
  };

  it('gives the per-customer values', () => {
    expect(r.users).toBe(3);
    expect(Object.keys(r.perUser).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, values] of Object.entries(expected)) {
      values.forEach((v, j) => expect(r.perUser[key][j], `${key}[${j}]`).toBeCloseTo(v, 9));
    }
  });

  it('gives the means over customers', () => {
    const means: Record<string, number> = {
      'precision@3': 5 / 9, // (2/3 + 1/3 + 2/3) / 3
      'recall@3': 31 / 45, // (2/3 + 1 + 2/5) / 3 = (31/15) / 3
      'hr@3': 1,
      'ndcg@3': (2 * ndcg13 + 0.5) / 3,
      'map@3': 13 / 27, // (5/9 + 1/3 + 5/9) / 3 = (13/9) / 3
      'map_ms@3': 11 / 27, // (5/9 + 1/3 + 1/3) / 3 = (11/9) / 3
      'mrr@3': 7 / 9, // (1 + 1/3 + 1) / 3
    };
    for (const [key, v] of Object.entries(means)) expect(Math.abs(r.mean[key] - v), key).toBeLessThan(TOL);
  });

  it('computes several K in one pass', () => {
    const both = rankingMetrics(recs, users, test, [1, 3]);
    expect(both.perUser['ndcg@3']).toEqual(r.perUser['ndcg@3']);
    // K = 1: the first products are 3 (hit), 0 (miss), 0 (hit)
    expect(Array.from(both.perUser['precision@1'])).toEqual([1, 0, 1]);
    // customer 3: 1 hit of |test| = 5
    expect(Array.from(both.perUser['recall@1'])).toEqual([1 / 3, 0, 1 / 5]);
    // IDCG over min(1, |test|) = 1 position, so NDCG@1 = HR@1 here; MAP@1 = P@1 / 1
    expect(Array.from(both.perUser['ndcg@1'])).toEqual([1, 0, 1]);
    expect(Array.from(both.perUser['map@1'])).toEqual([1, 0, 1]);
    // MAP@1(MS) = P@1 / |test|
    expect(Array.from(both.perUser['map_ms@1'])).toEqual([1 / 3, 0, 1 / 5]);
  });
});

describe('rankingMetrics edge cases', () => {
  it('scores zero without hits and for an empty list', () => {
    const r = rankingMetrics([[0, 2, 4], []], Int32Array.from([0, 1]), test, 3);
    for (const values of Object.values(r.perUser)) expect(Array.from(values)).toEqual([0, 0]);
  });

  it('does not rescale short lists and counts a repeated product once', () => {
    // customer 0, test {1,3,5}: [1, 1, -1] -> one hit at p = 1; the repeat and the -1 padding miss
    const r = rankingMetrics([[1, 1, -1]], Int32Array.from([0]), test, 3);
    expect(r.perUser['precision@3'][0]).toBeCloseTo(1 / 3, 12);
    expect(r.perUser['map@3'][0]).toBeCloseTo(1 / 3, 12); // P@1 / 3
    // short list: [5] only -> precision 1/3 (hits / K), recall 1/3
    const s = rankingMetrics([[5]], Int32Array.from([0]), test, 3);
    expect(s.perUser['precision@3'][0]).toBeCloseTo(1 / 3, 12);
    expect(s.perUser['ndcg@3'][0]).toBeCloseTo(1 / (1 + 1 / Math.log2(3) + 0.5), 12);
  });

  it('refuses customers without test products, misaligned input and bad K', () => {
    expect(() => rankingMetrics([[0]], Int32Array.from([2]), test, 3)).toThrow(/usersWithTest/);
    expect(() => rankingMetrics([[0]], Int32Array.from([0, 1]), test, 3)).toThrow(/lengths differ/);
    expect(() => rankingMetrics([[0]], Int32Array.from([9]), test, 3)).toThrow(/outside/);
    expect(() => rankingMetrics([[0]], Int32Array.from([0]), test, 0)).toThrow(/positive integer/);
  });

  it('gives NaN means for no customers', () => {
    const r = rankingMetrics([], new Int32Array(0), test, 10);
    expect(r.users).toBe(0);
    expect(r.mean['ndcg@10']).toBeNaN();
  });
});
