import { describe, expect, it } from 'vitest';
import { aucBinary, aucOfScores, logLoss, rankingAuc } from '../../../src/eval/metrics/index.js';
import { csrFromRows } from './csr-rows.js';

describe('aucBinary', () => {
  it('averages ties (hand-computed)', () => {
    // positives score 0.8, 0.3, 0.5; negatives 0.8, 0.1. Pairs (pos vs neg):
    // 0.8-0.8 tie 0.5, 0.8-0.1 1, 0.3-0.8 0, 0.3-0.1 1, 0.5-0.8 0, 0.5-0.1 1 -> 3.5 / 6.
    // Rank check: 0.1 r1, 0.3 r2, 0.5 r3, 0.8 0.8 r4.5 -> U = (2 + 3 + 4.5) - 3*4/2 = 3.5.
    const auc = aucBinary(Uint8Array.from([1, 0, 1, 0, 1]), Float64Array.from([0.8, 0.8, 0.3, 0.1, 0.5]));
    expect(auc).toBeCloseTo(3.5 / 6, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 when all scores tie', () => {
    const labels = Uint8Array.from([0, 0, 1, 1]);
    expect(aucBinary(labels, Float64Array.from([1, 2, 3, 4]))).toBe(1);
    expect(aucBinary(labels, Float64Array.from([4, 3, 2, 1]))).toBe(0);
    expect(aucBinary(labels, Float64Array.from([7, 7, 7, 7]))).toBe(0.5);
  });

  it('is NaN with one class only; NaN scores count as -Infinity', () => {
    expect(aucBinary(Uint8Array.from([1, 1]), Float64Array.from([1, 2]))).toBeNaN();
    // positive NaN (-> -Inf) below the negative 0: AUC 0; against a negative NaN: tie 0.5
    expect(aucOfScores(Float64Array.from([NaN]), Float64Array.from([0]))).toBe(0);
    expect(aucOfScores(Float64Array.from([NaN]), Float64Array.from([NaN]))).toBe(0.5);
  });

  it('matches brute-force pair counting on random data with ties', () => {
    const labels = new Uint8Array(200);
    const scores = new Float64Array(200);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 200; i++) {
      labels[i] = rand() < 0.3 ? 1 : 0;
      scores[i] = Math.floor(rand() * 10) + labels[i] * 2; // coarse scores: many ties
    }
    let u = 0;
    let pairs = 0;
    for (let i = 0; i < 200; i++)
      for (let j = 0; j < 200; j++)
        if (labels[i] && !labels[j]) {
          pairs++;
          u += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
    expect(aucBinary(labels, scores)).toBeCloseTo(u / pairs, 12);
  });
});

describe('rankingAuc', () => {
  // 5 products. Customer 0: train {0}, test {2, 4}. Customer 1: no train, test {0}.
  const train = csrFromRows([[0], []], 5);
  const test = csrFromRows([[2, 4], [0]], 5);
  const scores = [Float64Array.from([9, 1, 5, 3, 3]), Float64Array.from([0, 1, 2, 3, 4])];

  it('compares test products with products in neither train nor test (hand-computed)', () => {
    // customer 0: positives 5 (product 2), 3 (product 4); negatives products 1, 3 -> 1, 3 (product 0 is train)
    // pairs: 5>1, 5>3, 3>1, 3=3 (1/2) -> 3.5 / 4 = 0.875
    // customer 1: positive 0 is below all four negatives 1..4 -> 0
    const r = rankingAuc(Int32Array.from([0, 1]), test, train, scores);
    expect(Array.from(r.perUser)).toEqual([0.875, 0]);
    expect(r.mean).toBe(0.4375);
    // the same with a score function
    const f = rankingAuc(Int32Array.from([0, 1]), test, train, (u) => scores[u]);
    expect(Array.from(f.perUser)).toEqual([0.875, 0]);
  });

  it('without train, every non-test product is a negative', () => {
    // customer 0 negatives: 9, 1, 3. Pairs: 5 vs (9,1,3) -> 0+1+1; 3 vs (9,1,3) -> 0+1+0.5 -> 3.5 / 6
    const r = rankingAuc(Int32Array.from([0]), test, null, [scores[0]]);
    expect(r.perUser[0]).toBeCloseTo(3.5 / 6, 12);
  });

  it('refuses score arrays of the wrong size', () => {
    expect(() => rankingAuc(Int32Array.from([0]), test, train, [Float64Array.from([1, 2])])).toThrow(/entries/);
  });
});

describe('logLoss', () => {
  it('is the mean negative log-likelihood (hand-computed)', () => {
    // -(ln 0.9 + ln(1 - 0.2) + ln 0.6) / 3 = (0.1053605 + 0.2231436 + 0.5108256) / 3 = 0.2797766
    const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3;
    expect(logLoss(Uint8Array.from([1, 0, 1]), Float64Array.from([0.9, 0.2, 0.6]))).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.2797766, 6);
  });

  it('clips probabilities so a confident miss stays finite', () => {
    // p = 0 for a positive -> -ln(1e-15) = 34.5387763949...
    expect(logLoss(Uint8Array.from([1]), Float64Array.from([0]))).toBeCloseTo(34.538776394910684, 9);
    const other = logLoss(Uint8Array.from([0]), Float64Array.from([1]));
    expect(Number.isFinite(other) && other > 30).toBe(true);
    // a custom eps: -ln(0.01)
    expect(logLoss([1], [0], 0.01)).toBeCloseTo(-Math.log(0.01), 12);
  });
});
