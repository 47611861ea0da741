// The TypeScript reference for every kernel: plain typed-array loops, double-precision accumulation.
// It defines what the WebAssembly kernels (assembly/kernels.ts) compute, and is the fallback
// implementation (`ts`). See types.ts for the contract of each kernel.
import { alsCg, alsCgLockstep, alsCholesky } from './als-reference.js';
import { bprEpoch, warpEpoch } from './sgd-reference.js';
import type { Kernels } from './types.js';

export function dot(n: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number): number {
  let s = 0;
  for (let t = 0; t < n; t++) s += x[xOff + t] * y[yOff + t];
  return s;
}

export function axpy(n: number, a: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number): void {
  for (let t = 0; t < n; t++) y[yOff + t] += a * x[xOff + t];
}

export function spdot(nnz: number, indices: Int32Array, values: Float32Array, off: number, dense: Float32Array, denseOff: number): number {
  let s = 0;
  for (let p = off, end = off + nnz; p < end; p++) s += values[p] * dense[denseOff + indices[p]];
  return s;
}

export function csrMatVec(r0: number, r1: number, indptr: Int32Array, indices: Int32Array, values: Float32Array, x: Float32Array, out: Float32Array): void {
  for (let r = r0; r < r1; r++) {
    let s = 0;
    for (let p = indptr[r], end = indptr[r + 1]; p < end; p++) s += values[p] * x[indices[p]];
    out[r] = s;
  }
}

export function mfStep(k: number, U: Float32Array, uOff: number, V: Float32Array, iOff: number, err: number, lr: number, reg: number): void {
  for (let t = 0; t < k; t++) {
    const u = U[uOff + t];
    const i = V[iOff + t];
    U[uOff + t] = u + lr * (err * i - reg * u);
    V[iOff + t] = i + lr * (err * u - reg * i);
  }
}

export function bprStep(k: number, U: Float32Array, uOff: number, V: Float32Array, iOff: number, jOff: number, g: number, lr: number, reg: number): void {
  for (let t = 0; t < k; t++) {
    const u = U[uOff + t];
    const i = V[iOff + t];
    const j = V[jOff + t];
    U[uOff + t] = u + lr * (g * (i - j) - reg * u);
    V[iOff + t] = i + lr * (g * u - reg * i);
    V[jOff + t] = j - lr * (g * u + reg * j);
  }
}

export function bprBatch(k: number, U: Float32Array, V: Float32Array, count: number, users: Int32Array, pos: Int32Array, neg: Int32Array, lr: number, reg: number): number {
  let loss = 0;
  for (let t = 0; t < count; t++) {
    const uOff = users[t] * k;
    const iOff = pos[t] * k;
    const jOff = neg[t] * k;
    let x = 0;
    for (let f = 0; f < k; f++) x += U[uOff + f] * (V[iOff + f] - V[jOff + f]);
    // -ln sigmoid(x) = ln(1 + e^-x), stable on both sides; g = sigmoid(-x).
    const e = Math.exp(-Math.abs(x));
    loss += x >= 0 ? Math.log1p(e) : Math.log1p(e) - x;
    const g = x >= 0 ? e / (1 + e) : 1 / (1 + e);
    bprStep(k, U, uOff, V, iOff, jOff, g, lr, reg);
  }
  return loss;
}

export function gram(n: number, k: number, Y: Float32Array, yOff: number, G: Float32Array, gOff: number): void {
  // Upper triangle in double precision, then stored symmetric.
  const acc = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    const y = yOff + r * k;
    for (let a = 0; a < k; a++) {
      const ya = Y[y + a];
      if (ya === 0) continue;
      const base = a * k;
      for (let b = a; b < k; b++) acc[base + b] += ya * Y[y + b];
    }
  }
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) G[gOff + a * k + b] = G[gOff + b * k + a] = acc[a * k + b];
}

/** Also runs on double-precision arrays (the ALS reference factors in double). */
export function cholSolve(k: number, A: Float32Array | Float64Array, aOff: number, b: Float32Array | Float64Array, bOff: number, ridge: number): number {
  for (let i = 0; i < k; i++) {
    const li = aOff + i * k;
    for (let j = 0; j < i; j++) {
      const lj = aOff + j * k;
      let s = A[li + j];
      for (let p = 0; p < j; p++) s -= A[li + p] * A[lj + p];
      A[li + j] = s / A[lj + j];
    }
    let d = A[li + i] + ridge;
    for (let p = 0; p < i; p++) d -= A[li + p] * A[li + p];
    if (!(d > 0)) return i + 1;
    A[li + i] = Math.sqrt(d);
  }
  for (let i = 0; i < k; i++) {
    const li = aOff + i * k;
    let s = b[bOff + i];
    for (let p = 0; p < i; p++) s -= A[li + p] * b[bOff + p];
    b[bOff + i] = s / A[li + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    const li = aOff + i * k;
    const xi = b[bOff + i] / A[li + i];
    b[bOff + i] = xi;
    for (let p = 0; p < i; p++) b[bOff + p] -= xi * A[li + p];
  }
  return 0;
}

/** The reference kernels as a kernel set; its arrays are plain typed arrays over SharedArrayBuffers. */
export const tsKernels: Kernels = {
  impl: 'ts',
  f32: (n) => new Float32Array(new SharedArrayBuffer(4 * n)),
  i32: (n) => new Int32Array(new SharedArrayBuffer(4 * n)),
  free: () => undefined,
  dot,
  axpy,
  spdot,
  csrMatVec,
  mfStep,
  bprStep,
  bprBatch,
  gram,
  cholSolve,
  alsCg,
  alsCgLockstep,
  alsCholesky,
  bprEpoch,
  warpEpoch,
};
