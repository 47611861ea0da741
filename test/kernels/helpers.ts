import { expect } from 'vitest';
import { Rng } from '../../src/core/rng.js';

export function randomF32(n: number, rng: Rng, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let t = 0; t < n; t++) a[t] = rng.normal() * scale;
  return a;
}

/** A random CSR matrix over `cols` columns with some empty rows; ascending column indices. */
export function randomCsr(rows: number, cols: number, rng: Rng, density = 0.05): { indptr: Int32Array; indices: Int32Array; values: Float32Array } {
  const indptr = new Int32Array(rows + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (r % 7 !== 3) // every 7th row empty
      for (let c = 0; c < cols; c++) if (rng.bernoulli(density)) {
        idx.push(c);
        val.push(rng.normal());
      }
    indptr[r + 1] = idx.length;
  }
  return { indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

/** Symmetric positive-definite k x k (float32, row-major): Mᵀ M / k + I. */
export function randomSpd(k: number, rng: Rng): Float32Array {
  const m = randomF32(k * k, rng);
  const a = new Float32Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += m[p * k + i] * m[p * k + j];
      a[i * k + j] = a[j * k + i] = s / k + (i === j ? 1 : 0);
    }
  return a;
}

/** Element-wise |a - b| <= tol * (1 + |b|). */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5, what = ''): void {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  let at = -1;
  for (let t = 0; t < a.length; t++) {
    const d = Math.abs(a[t] - b[t]) / (1 + Math.abs(b[t]));
    if (Number.isNaN(d)) {
      worst = Infinity;
      at = t;
      break;
    }
    if (d > worst) {
      worst = d;
      at = t;
    }
  }
  expect(worst, `${what} worst relative difference at ${at}: ${a[at]} vs ${b[at]}`).toBeLessThanOrEqual(tol);
}
