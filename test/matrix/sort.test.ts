import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { stableArgsort } from '../../src/matrix/index.js';

const reference = (keys: Float64Array): number[] =>
  Array.from(keys.keys()).sort((a, b) => (keys[a] === keys[b] ? a - b : keys[a] < keys[b] ? -1 : 1));

describe('stableArgsort', () => {
  it('returns the identity for sorted input', () => {
    expect(Array.from(stableArgsort(new Float64Array([1, 1, 2, 3])))).toEqual([0, 1, 2, 3]);
    expect(stableArgsort(new Float64Array(0)).length).toBe(0);
  });

  it('orders negatives, zeros, fractions and infinities, stable on ties', () => {
    const keys = new Float64Array([3, -1.5, 0, -0, 2.25, -Infinity, 3, Infinity, -1.5, 1e-300, -1e300]);
    expect(Array.from(stableArgsort(keys))).toEqual(reference(keys));
    // -0 and +0 tie, so they keep index order.
    const p = Array.from(stableArgsort(keys));
    expect(p.indexOf(2)).toBeLessThan(p.indexOf(3));
  });

  it('matches a comparator sort on random epoch times with many ties', () => {
    const rng = new Rng(7);
    const keys = new Float64Array(50_000);
    for (let i = 0; i < keys.length; i++) keys[i] = 1_600_000_000 + rng.int(5_000) * (rng.bernoulli(0.5) ? 1 : 0.25);
    expect(Array.from(stableArgsort(keys))).toEqual(reference(keys));
  });

  it('matches a comparator sort on doubles of every sign and magnitude', () => {
    const rng = new Rng(3);
    const keys = new Float64Array(20_000);
    for (let i = 0; i < keys.length; i++) keys[i] = rng.normal() * 10 ** rng.int(40) * (rng.bernoulli(0.5) ? 1 : 1e-30);
    for (let i = 0; i < 2_000; i++) keys[rng.int(keys.length)] = keys[rng.int(keys.length)]; // ties
    expect(Array.from(stableArgsort(keys))).toEqual(reference(keys));
  });
});
