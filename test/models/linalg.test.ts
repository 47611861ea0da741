import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { NextbestError } from '../../src/core/errors.js';
import { choleskyInPlace, invertLowerTransposed, spdInverseInPlace } from '../../src/models/linalg.js';

/** A random symmetric positive-definite n x n matrix: Mᵀ M + n I. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const m = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
      a[i * n + j] = a[j * n + i] = s + (i === j ? n : 0);
    }
  return a;
}

function maxOffIdentity(a: Float64Array, b: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  return worst;
}

describe('Cholesky', () => {
  // Sizes around the 64-wide blocks and the 4 x 2 register tiles, odd and even.
  it.each([1, 2, 3, 5, 8, 63, 64, 65, 130, 201])('factors and inverts an SPD matrix of order %i', (n) => {
    const a = randomSpd(n, n);
    const l = a.slice();
    choleskyInPlace(l, n);
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += l[i * n + k] * l[j * n + k];
        worst = Math.max(worst, Math.abs(s - a[i * n + j]) / n);
      }
    expect(worst).toBeLessThan(1e-10);

    const t = invertLowerTransposed(l, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(t[i * n + j]).toBe(0);

    const inv = spdInverseInPlace(a.slice(), n);
    expect(maxOffIdentity(a, inv, n)).toBeLessThan(1e-10);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inv[i * n + j]).toBe(inv[j * n + i]);
  });

  it('inverts a hand-checkable 2 x 2', () => {
    // [[4, 2], [2, 3]]⁻¹ = [[3, -2], [-2, 4]] / 8
    const inv = spdInverseInPlace(Float64Array.of(4, 2, 2, 3), 2);
    [3 / 8, -2 / 8, -2 / 8, 4 / 8].forEach((v, k) => expect(inv[k]).toBeCloseTo(v, 14));
  });

  it('refuses matrices that are not positive definite or not square', () => {
    expect(() => choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite/);
    expect(() => choleskyInPlace(Float64Array.of(1, 2, 3), 2)).toThrow(NextbestError);
  });
});
