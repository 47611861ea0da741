import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { adjustedRandIndex } from '../../../src/eval/metrics/index.js';
import { kmeans } from '../../../src/models/factors/kmeans.js';
import { FactorIndex } from '../../../src/models/factors/neighbours.js';
import { neighbourVote } from '../../../src/models/factors/vote.js';

/** n points around `clusters` well-separated centres in `dims` dimensions, with their true labels. */
function blobs(n: number, clusters: number, dims: number, spread: number, seed: number): { x: Float32Array; labels: Int32Array } {
  const rng = new Rng(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dims }, () => rng.normal() * 5));
  const x = new Float32Array(n * dims);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % clusters;
    for (let d = 0; d < dims; d++) x[i * dims + d] = centres[labels[i]][d] + rng.normal() * spread;
  }
  return { x, labels };
}

describe('adjusted Rand index', () => {
  it('is 1 for the same partition under renaming, about 0 for unrelated ones, and matches a hand example', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBe(1);
    // Contingency [[2,0],[1,1]]: index 1, rows C(2,2)+C(2,2)=2, cols C(3,2)+C(1,2)=3, expected 2*3/6=1, max 2.5 -> 0.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 0, 1])).toBeCloseTo(0, 12);
    const rng = new Rng(3);
    const a = Array.from({ length: 5000 }, () => rng.int(4));
    const b = Array.from({ length: 5000 }, () => rng.int(4));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });
});

describe('k-means on factor vectors', () => {
  it('recovers well-separated clusters (ARI ~ 1) reproducibly', () => {
    const { x, labels } = blobs(600, 4, 8, 0.5, 11);
    const a = kmeans(x, 8, { k: 4, seed: 2 });
    expect(adjustedRandIndex(a.assignments, labels)).toBeGreaterThan(0.99);
    const b = kmeans(x, 8, { k: 4, seed: 2 });
    expect(Array.from(b.assignments)).toEqual(Array.from(a.assignments));
    expect(() => kmeans(x, 8, { k: 0 })).toThrow(/k must be/);
  });
});

describe('nearest neighbours in factor space', () => {
  it('the approximate index (usearch) finds the exact neighbours almost always', () => {
    const { x } = blobs(3000, 10, 16, 1, 5);
    const exact = new FactorIndex(x, 16);
    const approx = new FactorIndex(x, 16, { approximateFrom: 1 });
    expect(exact.approximate).toBe(false);
    expect(approx.approximate).toBe(true);
    let found = 0;
    for (let q = 0; q < 100; q++) {
      const e = new Set(exact.neighboursOf(q, 10).ids);
      const a = approx.neighboursOf(q, 10);
      expect(Array.from(a.ids)).not.toContain(q);
      for (const id of a.ids) if (e.has(id)) found++;
    }
    expect(found / 1000).toBeGreaterThan(0.95);
  });

  it('classifies an attribute by neighbour vote far above the majority class when factors carry it', () => {
    const { x, labels } = blobs(900, 3, 8, 1.5, 9);
    labels[0] = -1; // an unknown label neither votes nor is scored
    const r = neighbourVote(new FactorIndex(x, 8), labels, 10);
    expect(r.evaluated).toBe(899);
    expect(r.majorityAccuracy).toBeLessThan(0.4);
    expect(r.accuracy).toBeGreaterThan(0.9);
  });
});
