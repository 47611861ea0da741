// The two-tower model's validation part: customers held out whole are a tenth of the eligible ones and
// none of their pairs is among the known customers' held pairs; the score is NDCG@10 by the definition
// (the held pair among products outside the history; all of an unseen customer's positives).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { CsrMatrix } from '../../../src/matrix/index.js';
import type { TwoTowerWeights } from '../../../src/models/neural/two-tower-forward.js';
import { ownerOf, validationNdcg, validationSplit, type ScoreAll } from '../../../src/models/neural/two-tower-validation.js';

/** customers x products, customer u holding products u % products .. + count (wrapping). */
function holdings(customers: number, products: number, count: (u: number) => number): CsrMatrix {
  const indptr = new Int32Array(customers + 1);
  const indices: number[] = [];
  for (let u = 0; u < customers; u++) {
    const n = count(u);
    const row = Array.from({ length: n }, (_, k) => (u + k) % products).sort((a, b) => a - b);
    indices.push(...row);
    indptr[u + 1] = indptr[u] + n;
  }
  return new CsrMatrix(customers, products, indptr, Int32Array.from(indices), new Float32Array(indices.length).fill(1));
}

const weights = {} as TwoTowerWeights;

describe('two-tower validation', () => {
  it('holds out a tenth of the customers with enough positives whole, and one pair of the others', () => {
    // Customers 0..199: even ones have 6 positives, odd ones 3 (too few to validate on).
    const m = holdings(200, 30, (u) => (u % 2 ? 3 : 6));
    const split = validationSplit(m, new Rng(1), true);
    expect(split.unseen.length).toBe(10);
    expect(split.held.length).toBe(90);
    const known = Array.from(split.held, (q) => ownerOf(m, q));
    for (const u of [...split.unseen, ...known]) expect(u % 2).toBe(0);
    expect(new Set([...known, ...split.unseen]).size).toBe(100);
    expect(validationSplit(m, new Rng(1), true)).toEqual(split);
    expect(validationSplit(m, new Rng(1), false).unseen.length).toBe(0);
  });

  it('scores NDCG@10 by the definition', () => {
    // Customer 0: products 0..5; customer 1: products 1..6.
    const m = holdings(2, 12, () => 6);
    // Known customer 0, held pair (0, 3): its history is the other five products.
    const history = holdings(2, 12, () => 6);
    const held = { held: Int32Array.of(3), unseen: new Int32Array(0) };
    const train = new CsrMatrix(2, 12, Int32Array.of(0, 5, 10), Int32Array.of(0, 1, 2, 4, 5, 1, 2, 3, 4, 5), new Float32Array(10).fill(1));
    // Products 11 .. 6 score above the held product 3 and are outside the history: it ranks 7th.
    const descending: ScoreAll = (_w, _u, s) => s.forEach((_, p) => (s[p] = p));
    const one = validationNdcg(weights, 12, train, m, held, descending, descending);
    expect(one).toBeCloseTo(1 / Math.log2(7 + 1), 6);
    // Unseen customer 1 (positives 1..6), scored 11 first: positives at ranks 6..11 of which 6..10 count.
    const unseen = { held: new Int32Array(0), unseen: Int32Array.of(1) };
    let dcg = 0;
    for (let r = 6; r <= 10; r++) dcg += 1 / Math.log2(r + 1);
    let ideal = 0;
    for (let r = 1; r <= 6; r++) ideal += 1 / Math.log2(r + 1);
    expect(validationNdcg(weights, 12, history, m, unseen, descending, descending)).toBeCloseTo(dcg / ideal, 6);
    // Both parts: their mean.
    const both = validationNdcg(weights, 12, train, m, { held: Int32Array.of(3), unseen: Int32Array.of(1) }, descending, descending);
    expect(both).toBeCloseTo((one + dcg / ideal) / 2, 6);
  });
});
