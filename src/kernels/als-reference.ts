// The TypeScript reference for the implicit-ALS row solves (assembly/als.ts): the same systems, with
// the per-row work in double precision. See types.ts (alsCg, alsCgLockstep, alsCholesky) for the contract.
import { cholSolve } from './reference.js';

/** Double-precision scratch, grown on demand (the reference runs on one thread): 4 vectors for CG, k² + k for Cholesky. */
let scratch = new Float64Array(0);
function work(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

/** out = G v for the symmetric k x k G, four rows per pass. */
function symv(k: number, G: Float32Array, v: Float64Array, out: Float64Array): void {
  let i = 0;
  for (; i + 3 < k; i += 4) {
    const r0 = i * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < k; j++) {
      const x = v[j];
      s0 += G[r0 + j] * x;
      s1 += G[r1 + j] * x;
      s2 += G[r2 + j] * x;
      s3 += G[r3 + j] * x;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < k; i++) {
    let s = 0;
    for (let j = 0, g = i * k; j < k; j++) s += G[g + j] * v[j];
    out[i] = s;
  }
}

/** out += Σ (c−1) (y_q · v) y_q over the entries q0 .. q1, two entries per pass. */
function addWeighted(k: number, Y: Float32Array, indices: Int32Array, conf: Float32Array, q0: number, q1: number, v: Float64Array, out: Float64Array): void {
  let q = q0;
  for (; q + 1 < q1; q += 2) {
    const c0 = conf[q];
    const c1 = conf[q + 1];
    const y0 = indices[q] * k;
    const y1 = indices[q + 1] * k;
    let d0 = 0;
    let d1 = 0;
    for (let j = 0; j < k; j++) {
      d0 += Y[y0 + j] * v[j];
      d1 += Y[y1 + j] * v[j];
    }
    // A skipped entry (c = 0) must add nothing.
    const w0 = c0 === 0 ? 0 : (c0 - 1) * d0;
    const w1 = c1 === 0 ? 0 : (c1 - 1) * d1;
    for (let j = 0; j < k; j++) out[j] += w0 * Y[y0 + j] + w1 * Y[y1 + j];
  }
  for (; q < q1; q++) {
    const c = conf[q];
    if (c === 0) continue;
    const yo = indices[q] * k;
    let d = 0;
    for (let j = 0; j < k; j++) d += Y[yo + j] * v[j];
    const w = (c - 1) * d;
    for (let j = 0; j < k; j++) out[j] += w * Y[yo + j];
  }
}

export function alsCg(
  k: number, r0: number, r1: number, X: Float32Array, Y: Float32Array, G: Float32Array,
  indptr: Int32Array, indices: Int32Array, conf: Float32Array, steps: number,
): void {
  const w = work(4 * k);
  const xs = w.subarray(0, k);
  const r = w.subarray(k, 2 * k);
  const p = w.subarray(2 * k, 3 * k);
  const ap = w.subarray(3 * k, 4 * k);
  for (let u = r0; u < r1; u++) {
    const xo = u * k;
    const q0 = indptr[u];
    const q1 = indptr[u + 1];
    for (let j = 0; j < k; j++) xs[j] = X[xo + j];
    // r = b − A x = Σ (c − (c−1) y·x) y − G x
    symv(k, G, xs, r);
    for (let j = 0; j < k; j++) r[j] = -r[j];
    for (let q = q0; q < q1; q++) {
      const c = conf[q];
      if (c === 0) continue;
      const yo = indices[q] * k;
      let d = 0;
      for (let j = 0; j < k; j++) d += Y[yo + j] * xs[j];
      const w = c - (c - 1) * d;
      for (let j = 0; j < k; j++) r[j] += w * Y[yo + j];
    }
    let rsold = 0;
    for (let j = 0; j < k; j++) {
      p[j] = r[j];
      rsold += r[j] * r[j];
    }
    if (rsold < 1e-20) continue;
    for (let s = 0; s < steps; s++) {
      symv(k, G, p, ap);
      addWeighted(k, Y, indices, conf, q0, q1, p, ap);
      let pap = 0;
      for (let j = 0; j < k; j++) pap += p[j] * ap[j];
      const alpha = rsold / pap;
      let rsnew = 0;
      for (let j = 0; j < k; j++) {
        xs[j] += alpha * p[j];
        r[j] -= alpha * ap[j];
        rsnew += r[j] * r[j];
      }
      if (rsnew < 1e-20) break;
      const beta = rsnew / rsold;
      for (let j = 0; j < k; j++) p[j] = r[j] + beta * p[j];
      rsold = rsnew;
    }
    for (let j = 0; j < k; j++) X[xo + j] = xs[j];
  }
}

/** Double-precision state of alsCgLockstep (x, r, p, Ap per row, then rsold per row), grown on demand. */
let lockstep = new Float64Array(0);

export function alsCgLockstep(
  k: number, n: number, X: Float32Array, Y: Float32Array, G: Float32Array,
  indptr: Int32Array, indices: Int32Array, conf: Float32Array, steps: number,
): void {
  const size = n * k;
  if (lockstep.length < 4 * size + n) lockstep = new Float64Array(4 * size + n);
  const xs = lockstep.subarray(0, size);
  const R = lockstep.subarray(size, 2 * size);
  const P = lockstep.subarray(2 * size, 3 * size);
  const AP = lockstep.subarray(3 * size, 4 * size);
  // rsold per row; 0 marks a row that has stopped (or never started).
  const rs = lockstep.subarray(4 * size, 4 * size + n);
  const m = indptr.length - 1;
  for (let t = 0; t < size; t++) xs[t] = X[t];
  // R = b − A X = −G X, then Σ (c − (c−1) y·x) y per row, the entries read row of Y by row of Y.
  for (let i = 0; i < n; i++) {
    const o = i * k;
    symv(k, G, xs.subarray(o, o + k), R.subarray(o, o + k));
  }
  for (let t = 0; t < size; t++) R[t] = -R[t];
  for (let u = 0; u < m; u++) {
    const yo = u * k;
    for (let q = indptr[u]; q < indptr[u + 1]; q++) {
      const c = conf[q];
      if (c === 0) continue;
      const o = indices[q] * k;
      let d = 0;
      for (let j = 0; j < k; j++) d += Y[yo + j] * xs[o + j];
      const w = c - (c - 1) * d;
      for (let j = 0; j < k; j++) R[o + j] += w * Y[yo + j];
    }
  }
  P.set(R);
  for (let i = 0; i < n; i++) {
    let rsold = 0;
    for (let j = i * k; j < (i + 1) * k; j++) rsold += R[j] * R[j];
    rs[i] = rsold < 1e-20 ? 0 : rsold;
  }
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) {
      const o = i * k;
      if (rs[i] !== 0) symv(k, G, P.subarray(o, o + k), AP.subarray(o, o + k));
    }
    for (let u = 0; u < m; u++) {
      const yo = u * k;
      for (let q = indptr[u]; q < indptr[u + 1]; q++) {
        const c = conf[q];
        const i = indices[q];
        if (c === 0 || rs[i] === 0) continue;
        const o = i * k;
        let d = 0;
        for (let j = 0; j < k; j++) d += Y[yo + j] * P[o + j];
        const w = (c - 1) * d;
        for (let j = 0; j < k; j++) AP[o + j] += w * Y[yo + j];
      }
    }
    for (let i = 0; i < n; i++) {
      const rsold = rs[i];
      if (rsold === 0) continue;
      const o = i * k;
      let pap = 0;
      for (let j = o; j < o + k; j++) pap += P[j] * AP[j];
      const alpha = rsold / pap;
      let rsnew = 0;
      for (let j = o; j < o + k; j++) {
        xs[j] += alpha * P[j];
        R[j] -= alpha * AP[j];
        rsnew += R[j] * R[j];
      }
      if (rsnew < 1e-20) {
        rs[i] = 0;
        continue;
      }
      const beta = rsnew / rsold;
      for (let j = o; j < o + k; j++) P[j] = R[j] + beta * P[j];
      rs[i] = rsnew;
    }
  }
  for (let t = 0; t < size; t++) X[t] = xs[t];
}

export function alsCholesky(
  k: number, r0: number, r1: number, X: Float32Array, Y: Float32Array, G: Float32Array,
  indptr: Int32Array, indices: Int32Array, conf: Float32Array,
): number {
  const w = work(k * k + k);
  const b = k * k;
  for (let u = r0; u < r1; u++) {
    for (let t = 0; t < k * k; t++) w[t] = G[t];
    w.fill(0, b, b + k);
    for (let q = indptr[u]; q < indptr[u + 1]; q++) {
      const c = conf[q];
      if (c === 0) continue;
      const yo = indices[q] * k;
      const cw = c - 1;
      for (let i = 0; i < k; i++) {
        const yi = Y[yo + i];
        w[b + i] += c * yi;
        const wi = cw * yi;
        for (let j = 0, row = i * k; j <= i; j++) w[row + j] += wi * Y[yo + j];
      }
    }
    if (cholSolve(k, w, 0, w, b, 0) !== 0) return u + 1;
    for (let j = 0; j < k; j++) X[u * k + j] = w[b + j];
  }
  return 0;
}
