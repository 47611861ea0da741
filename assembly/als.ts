// Implicit-ALS row solves (Hu, Koren & Volinsky 2008) for src/models/als.ts: for each row r of X, the
// system (G + Σ (c−1) y yᵀ) x = Σ c y over the row's CSR entries p (y = row indices[p] of Y,
// c = conf[p], c = 0 skips the entry), where G = YᵀY + λI (k x k, both triangles). Rows are
// independent, so workers can take disjoint row ranges over the same shared memory. Each call gets
// its own scratch block (the JS side hands one per thread). Reference: src/kernels/als-reference.ts.
//
// alsCgLockstep runs the same CG for all rows of X at once, reading the entries from the OTHER side's
// CSR (rows of Y, columns naming rows of X) in order: each y is then read once per pass, sequentially,
// while the per-row vectors (x, r, p, Ap) of a small X stay in cache. alsCg instead gathers a random
// row of Y per entry, one cache miss each when Y is large.
import { axpy, cholSolve, dot } from './kernels';

/** out = G v for the symmetric k x k G. */
// @ts-ignore: decorator
@inline function symv(k: i32, G: usize, v: usize, out: usize): void {
  const row = <usize>k << 2;
  for (let i = 0; i < k; i++) store<f32>(out + (<usize>i << 2), dot(k, G + <usize>i * row, v));
}

/** out += Σ (c−1) (y · v) y over the entries p0 .. p1. */
// @ts-ignore: decorator
@inline function addWeighted(k: i32, Y: usize, indices: usize, conf: usize, p0: i32, p1: i32, v: usize, out: usize): void {
  const row = <usize>k << 2;
  for (let p = p0; p < p1; p++) {
    const o = <usize>p << 2;
    const c = load<f32>(conf + o);
    if (c == 0) continue;
    const y = Y + <usize>load<i32>(indices + o) * row;
    axpy(k, (c - 1) * dot(k, y, v), y, out);
  }
}

/** p = r + beta p. */
// @ts-ignore: decorator
@inline function xpby(k: i32, r: usize, beta: f32, p: usize): void {
  const vb = f32x4.splat(beta);
  let t = 0;
  for (; t + 4 <= k; t += 4) {
    const o = <usize>t << 2;
    v128.store(p + o, f32x4.add(v128.load(r + o), f32x4.mul(vb, v128.load(p + o))));
  }
  for (; t < k; t++) {
    const o = <usize>t << 2;
    store<f32>(p + o, load<f32>(r + o) + beta * load<f32>(p + o));
  }
}

/**
 * `steps` conjugate-gradient steps from x itself (warm start) for rows r0 <= r < r1 of X, in place.
 * scratch: 3k floats.
 */
export function alsCg(
  k: i32, r0: i32, r1: i32, X: usize, Y: usize, G: usize, indptr: usize, indices: usize, conf: usize, steps: i32, scratch: usize,
): void {
  const row = <usize>k << 2;
  const r = scratch;
  const p = r + row;
  const ap = p + row;
  for (let u = r0; u < r1; u++) {
    const x = X + <usize>u * row;
    const p0 = load<i32>(indptr + (<usize>u << 2));
    const p1 = load<i32>(indptr + (<usize>u << 2), 4);
    // r = b − A x = Σ (c − (c−1) y·x) y − G x
    for (let i = 0; i < k; i++) store<f32>(r + (<usize>i << 2), -dot(k, G + <usize>i * row, x));
    for (let q = p0; q < p1; q++) {
      const o = <usize>q << 2;
      const c = load<f32>(conf + o);
      if (c == 0) continue;
      const y = Y + <usize>load<i32>(indices + o) * row;
      axpy(k, c - (c - 1) * dot(k, y, x), y, r);
    }
    memory.copy(p, r, row);
    let rsold = dot(k, r, r);
    if (rsold < 1e-20) continue;
    for (let s = 0; s < steps; s++) {
      symv(k, G, p, ap);
      addWeighted(k, Y, indices, conf, p0, p1, p, ap);
      const alpha = rsold / dot(k, p, ap);
      axpy(k, alpha, p, x);
      axpy(k, -alpha, ap, r);
      const rsnew = dot(k, r, r);
      if (rsnew < 1e-20) break;
      xpby(k, r, rsnew / rsold, p);
      rsold = rsnew;
    }
  }
}

/**
 * The exact solution (Cholesky) for rows r0 <= r < r1 of X, written in place. scratch: k² + k floats.
 * Returns 0, or 1 + the first row whose system is not positive definite (that row and later ones are
 * left as they were).
 */
export function alsCholesky(
  k: i32, r0: i32, r1: i32, X: usize, Y: usize, G: usize, indptr: usize, indices: usize, conf: usize, scratch: usize,
): i32 {
  const row = <usize>k << 2;
  const A = scratch;
  const b = A + <usize>k * row;
  for (let u = r0; u < r1; u++) {
    memory.copy(A, G, <usize>k * row);
    memory.fill(b, 0, row);
    const p0 = load<i32>(indptr + (<usize>u << 2));
    const p1 = load<i32>(indptr + (<usize>u << 2), 4);
    for (let q = p0; q < p1; q++) {
      const o = <usize>q << 2;
      const c = load<f32>(conf + o);
      if (c == 0) continue;
      const y = Y + <usize>load<i32>(indices + o) * row;
      axpy(k, c, y, b);
      // Lower triangle only: row i gets (c−1) y_i y[0 .. i].
      const w = c - 1;
      for (let i = 0; i < k; i++) axpy(i + 1, w * load<f32>(y + (<usize>i << 2)), y, A + <usize>i * row);
    }
    if (cholSolve(k, A, b, 0) != 0) return u + 1;
    memory.copy(X + <usize>u * row, b, row);
  }
  return 0;
}

/**
 * `steps` CG steps for all n rows of X at once, in place, with the same systems, warm start and early
 * exits as alsCg, but the entries come from the transposed CSR: indptr has a row per row of Y, and
 * entry p of row u gives (x row indices[p], c = conf[p]). Each step is one pass over that CSR.
 * scratch: 3nk + n floats (R, P, AP, then rsold per row; 0 marks a row that has stopped).
 */
export function alsCgLockstep(
  k: i32, n: i32, X: usize, Y: usize, G: usize, indptr: usize, indices: usize, conf: usize, m: i32, steps: i32, scratch: usize,
): void {
  const row = <usize>k << 2;
  const size = <usize>n * row;
  const R = scratch;
  const P = R + size;
  const AP = P + size;
  const rs = AP + size;
  // R = b − A X = −G X, then Σ (c − (c−1) y·x) y per row.
  for (let i = 0; i < n; i++) {
    const x = X + <usize>i * row;
    const r = R + <usize>i * row;
    for (let j = 0; j < k; j++) store<f32>(r + (<usize>j << 2), -dot(k, G + <usize>j * row, x));
  }
  for (let u = 0; u < m; u++) {
    const y = Y + <usize>u * row;
    const p1 = load<i32>(indptr + (<usize>u << 2), 4);
    for (let q = load<i32>(indptr + (<usize>u << 2)); q < p1; q++) {
      const o = <usize>q << 2;
      const c = load<f32>(conf + o);
      if (c == 0) continue;
      const i = <usize>load<i32>(indices + o) * row;
      axpy(k, c - (c - 1) * dot(k, y, X + i), y, R + i);
    }
  }
  memory.copy(P, R, size);
  for (let i = 0; i < n; i++) {
    const r = R + <usize>i * row;
    const rsold = dot(k, r, r);
    store<f32>(rs + (<usize>i << 2), rsold < 1e-20 ? 0 : rsold);
  }
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) if (load<f32>(rs + (<usize>i << 2)) != 0) symv(k, G, P + <usize>i * row, AP + <usize>i * row);
    for (let u = 0; u < m; u++) {
      const y = Y + <usize>u * row;
      const p1 = load<i32>(indptr + (<usize>u << 2), 4);
      for (let q = load<i32>(indptr + (<usize>u << 2)); q < p1; q++) {
        const o = <usize>q << 2;
        const c = load<f32>(conf + o);
        const j = load<i32>(indices + o);
        if (c == 0 || load<f32>(rs + (<usize>j << 2)) == 0) continue;
        const i = <usize>j * row;
        axpy(k, (c - 1) * dot(k, y, P + i), y, AP + i);
      }
    }
    for (let i = 0; i < n; i++) {
      const rsold = load<f32>(rs + (<usize>i << 2));
      if (rsold == 0) continue;
      const o = <usize>i * row;
      const p = P + o;
      const ap = AP + o;
      const r = R + o;
      const alpha = rsold / dot(k, p, ap);
      axpy(k, alpha, p, X + o);
      axpy(k, -alpha, ap, r);
      const rsnew = dot(k, r, r);
      if (rsnew < 1e-20) {
        store<f32>(rs + (<usize>i << 2), 0);
        continue;
      }
      xpby(k, r, rsnew / rsold, p);
      store<f32>(rs + (<usize>i << 2), rsnew);
    }
  }
}
