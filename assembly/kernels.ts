// Numeric kernels for nextbest, compiled to WebAssembly with SIMD (f32x4) by `npm run build:wasm`.
//
// Every kernel works on raw byte addresses (usize) into the one linear memory, which the JavaScript
// side creates (shared, so worker threads can use it too), owns and allocates from: this module has no
// allocator and no managed objects (runtime "stub", nothing allocated). Matrices are row-major float32,
// index arrays int32. The TypeScript reference in src/kernels/reference.ts defines what each computes.
//
// Unaligned addresses are fine (wasm v128 loads need no alignment); the JS allocator aligns to 16 bytes.

// ---------------------------------------------------------------------------------------------------
// Helpers

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** First address the JS allocator may hand out (above this module's own static data). */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------------
// (a) dense float32: dot, axpy, scale

/** sum x[t] * y[t], t < n. */
export function dot(n: i32, x: usize, y: usize): f32 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let t = 0;
  for (; t + 16 <= n; t += 16) {
    const o = <usize>t << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
  }
  for (; t + 4 <= n; t += 4) {
    const o = <usize>t << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  let s = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  for (; t < n; t++) {
    const o = <usize>t << 2;
    s += load<f32>(x + o) * load<f32>(y + o);
  }
  return s;
}

/** y[t] += a * x[t], t < n. */
export function axpy(n: i32, a: f32, x: usize, y: usize): void {
  const va = f32x4.splat(a);
  let t = 0;
  for (; t + 8 <= n; t += 8) {
    const o = <usize>t << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
    v128.store(y + o, f32x4.add(v128.load(y + o, 16), f32x4.mul(va, v128.load(x + o, 16))), 16);
  }
  for (; t + 4 <= n; t += 4) {
    const o = <usize>t << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; t < n; t++) {
    const o = <usize>t << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

// ---------------------------------------------------------------------------------------------------
// (b) sparse x dense

/** sum values[p] * dense[indices[p]], p < nnz. No SIMD gather in wasm: scalar, four accumulators. */
export function spdot(nnz: i32, indices: usize, values: usize, dense: usize): f32 {
  let s0: f32 = 0;
  let s1: f32 = 0;
  let s2: f32 = 0;
  let s3: f32 = 0;
  let p = 0;
  for (; p + 4 <= nnz; p += 4) {
    const o = <usize>p << 2;
    s0 += load<f32>(values + o) * load<f32>(dense + (<usize>load<i32>(indices + o) << 2));
    s1 += load<f32>(values + o, 4) * load<f32>(dense + (<usize>load<i32>(indices + o, 4) << 2));
    s2 += load<f32>(values + o, 8) * load<f32>(dense + (<usize>load<i32>(indices + o, 8) << 2));
    s3 += load<f32>(values + o, 12) * load<f32>(dense + (<usize>load<i32>(indices + o, 12) << 2));
  }
  for (; p < nnz; p++) {
    const o = <usize>p << 2;
    s0 += load<f32>(values + o) * load<f32>(dense + (<usize>load<i32>(indices + o) << 2));
  }
  return (s0 + s1) + (s2 + s3);
}

/**
 * CSR matrix times dense vector for rows r0 <= r < r1: out[r] = sum over the row's entries of
 * values[p] * x[indices[p]]. indptr holds absolute positions into indices / values.
 */
export function csrMatVec(r0: i32, r1: i32, indptr: usize, indices: usize, values: usize, x: usize, out: usize): void {
  for (let r = r0; r < r1; r++) {
    const a = load<i32>(indptr + (<usize>r << 2));
    const b = load<i32>(indptr + (<usize>r << 2), 4);
    const o = <usize>a << 2;
    store<f32>(out + (<usize>r << 2), spdot(b - a, indices + o, values + o, x));
  }
}

// ---------------------------------------------------------------------------------------------------
// (c) SGD updates for matrix factorisation (squared loss) and BPR

/**
 * One squared-loss MF step with residual err = r - u.i:  u += lr (err i - reg u),
 * i += lr (err u - reg i), both from the old values.
 */
export function mfStep(k: i32, u: usize, i: usize, err: f32, lr: f32, reg: f32): void {
  const ve = f32x4.splat(err);
  const vl = f32x4.splat(lr);
  const vr = f32x4.splat(reg);
  let t = 0;
  for (; t + 4 <= k; t += 4) {
    const o = <usize>t << 2;
    const uu = v128.load(u + o);
    const ii = v128.load(i + o);
    v128.store(u + o, f32x4.add(uu, f32x4.mul(vl, f32x4.sub(f32x4.mul(ve, ii), f32x4.mul(vr, uu)))));
    v128.store(i + o, f32x4.add(ii, f32x4.mul(vl, f32x4.sub(f32x4.mul(ve, uu), f32x4.mul(vr, ii)))));
  }
  for (; t < k; t++) {
    const o = <usize>t << 2;
    const uu = load<f32>(u + o);
    const ii = load<f32>(i + o);
    store<f32>(u + o, uu + lr * (err * ii - reg * uu));
    store<f32>(i + o, ii + lr * (err * uu - reg * ii));
  }
}

/**
 * One BPR step for (user u, positive i, negative j) with gradient scale g = sigmoid(-x_uij):
 * u += lr (g (i - j) - reg u), i += lr (g u - reg i), j += lr (-g u - reg j), all from the old values.
 */
export function bprStep(k: i32, u: usize, i: usize, j: usize, g: f32, lr: f32, reg: f32): void {
  const vg = f32x4.splat(g);
  const vl = f32x4.splat(lr);
  const vr = f32x4.splat(reg);
  let t = 0;
  for (; t + 4 <= k; t += 4) {
    const o = <usize>t << 2;
    const uu = v128.load(u + o);
    const ii = v128.load(i + o);
    const jj = v128.load(j + o);
    const gu = f32x4.mul(vg, uu);
    v128.store(u + o, f32x4.add(uu, f32x4.mul(vl, f32x4.sub(f32x4.mul(vg, f32x4.sub(ii, jj)), f32x4.mul(vr, uu)))));
    v128.store(i + o, f32x4.add(ii, f32x4.mul(vl, f32x4.sub(gu, f32x4.mul(vr, ii)))));
    v128.store(j + o, f32x4.sub(jj, f32x4.mul(vl, f32x4.add(gu, f32x4.mul(vr, jj)))));
  }
  for (; t < k; t++) {
    const o = <usize>t << 2;
    const uu = load<f32>(u + o);
    const ii = load<f32>(i + o);
    const jj = load<f32>(j + o);
    store<f32>(u + o, uu + lr * (g * (ii - jj) - reg * uu));
    store<f32>(i + o, ii + lr * (g * uu - reg * ii));
    store<f32>(j + o, jj - lr * (g * uu + reg * jj));
  }
}

/** x_uij = u . (i - j), fused so the three rows are read once. */
// @ts-ignore: decorator
@inline function bprScore(k: i32, u: usize, i: usize, j: usize): f32 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let t = 0;
  for (; t + 8 <= k; t += 8) {
    const o = <usize>t << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(u + o), f32x4.sub(v128.load(i + o), v128.load(j + o))));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(u + o, 16), f32x4.sub(v128.load(i + o, 16), v128.load(j + o, 16))));
  }
  for (; t + 4 <= k; t += 4) {
    const o = <usize>t << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(u + o), f32x4.sub(v128.load(i + o), v128.load(j + o))));
  }
  let s = hsum(f32x4.add(a0, a1));
  for (; t < k; t++) {
    const o = <usize>t << 2;
    s += load<f32>(u + o) * (load<f32>(i + o) - load<f32>(j + o));
  }
  return s;
}

/**
 * `count` BPR steps over triples (users[t], pos[t], neg[t]) with rows of U (users) and V (items),
 * k floats each; each step computes x = u.(i - j), g = sigmoid(-x) and applies bprStep.
 * Returns the summed loss -ln sigmoid(x) (from the scores before each step).
 */
export function bprBatch(
  k: i32, U: usize, V: usize, count: i32, users: usize, pos: usize, neg: usize, lr: f32, reg: f32,
): f64 {
  const row = <usize>k << 2;
  let loss: f64 = 0;
  for (let t = 0; t < count; t++) {
    const o = <usize>t << 2;
    const u = U + <usize>load<i32>(users + o) * row;
    const i = V + <usize>load<i32>(pos + o) * row;
    const j = V + <usize>load<i32>(neg + o) * row;
    const x = bprScore(k, u, i, j);
    // -ln sigmoid(x) = ln(1 + e^-x), computed stably on both sides.
    const e = Mathf.exp(-Mathf.abs(x));
    loss += <f64>(x >= 0 ? Mathf.log1p(e) : Mathf.log1p(e) - x);
    const g: f32 = x >= 0 ? e / (1 + e) : 1 / (1 + e);
    bprStep(k, u, i, j, g, lr, reg);
  }
  return loss;
}

// ---------------------------------------------------------------------------------------------------
// (d) Gram matrix G = Y^T Y for Y n x k (row-major), G k x k

/** Adds y y^T for one row y to the upper triangle (SIMD blocks from column (a & ~3)). */
// @ts-ignore: decorator
@inline function rank1Upper(k: i32, y: usize, G: usize): void {
  const row = <usize>k << 2;
  for (let a = 0; a < k; a++) {
    const ya = f32x4.splat(load<f32>(y + (<usize>a << 2)));
    const g = G + <usize>a * row;
    let b = a & ~3;
    for (; b + 4 <= k; b += 4) {
      const o = <usize>b << 2;
      v128.store(g + o, f32x4.add(v128.load(g + o), f32x4.mul(ya, v128.load(y + o))));
    }
    const s = f32x4.extract_lane(ya, 0);
    for (; b < k; b++) {
      const o = <usize>b << 2;
      store<f32>(g + o, load<f32>(g + o) + s * load<f32>(y + o));
    }
  }
}

/** Adds the four rows' y y^T at once to the upper triangle: one pass over G per four rows. */
// @ts-ignore: decorator
@inline function rank4Upper(k: i32, y0: usize, G: usize): void {
  const row = <usize>k << 2;
  const y1 = y0 + row;
  const y2 = y1 + row;
  const y3 = y2 + row;
  for (let a = 0; a < k; a++) {
    const ao = <usize>a << 2;
    const s0 = load<f32>(y0 + ao);
    const s1 = load<f32>(y1 + ao);
    const s2 = load<f32>(y2 + ao);
    const s3 = load<f32>(y3 + ao);
    const v0 = f32x4.splat(s0);
    const v1 = f32x4.splat(s1);
    const v2 = f32x4.splat(s2);
    const v3 = f32x4.splat(s3);
    const g = G + <usize>a * row;
    let b = a & ~3;
    for (; b + 4 <= k; b += 4) {
      const o = <usize>b << 2;
      const p = f32x4.add(
        f32x4.add(f32x4.mul(v0, v128.load(y0 + o)), f32x4.mul(v1, v128.load(y1 + o))),
        f32x4.add(f32x4.mul(v2, v128.load(y2 + o)), f32x4.mul(v3, v128.load(y3 + o))),
      );
      v128.store(g + o, f32x4.add(v128.load(g + o), p));
    }
    for (; b < k; b++) {
      const o = <usize>b << 2;
      store<f32>(
        g + o,
        load<f32>(g + o) + ((s0 * load<f32>(y0 + o) + s1 * load<f32>(y1 + o)) + (s2 * load<f32>(y2 + o) + s3 * load<f32>(y3 + o))),
      );
    }
  }
}

/**
 * G = Y^T Y (overwritten; full symmetric k x k) for the n rows of Y starting at address Y.
 * Accumulates the upper triangle, then mirrors it to the lower one.
 */
export function gram(n: i32, k: i32, Y: usize, G: usize): void {
  const row = <usize>k << 2;
  memory.fill(G, 0, <usize>k * row);
  let r = 0;
  for (; r + 4 <= n; r += 4) rank4Upper(k, Y + <usize>r * row, G);
  for (; r < n; r++) rank1Upper(k, Y + <usize>r * row, G);
  for (let a = 1; a < k; a++) {
    for (let b = 0; b < a; b++) store<f32>(G + <usize>a * row + (<usize>b << 2), load<f32>(G + <usize>b * row + (<usize>a << 2)));
  }
}

// ---------------------------------------------------------------------------------------------------
// (e) Cholesky solve of a small symmetric positive-definite system (ALS normal equations)

/**
 * Solves (A + ridge I) x = b for symmetric positive-definite A (k x k, row-major; only the lower
 * triangle is read). A is overwritten by its Cholesky factor L (lower triangle), b by x.
 * Returns 0, or 1 + the index of the first pivot that is not positive (then A and b are garbage).
 */
export function cholSolve(k: i32, A: usize, b: usize, ridge: f32): i32 {
  const row = <usize>k << 2;
  // Factor, row by row: L[i][j] = (A[i][j] - L[i][:j] . L[j][:j]) / L[j][j]; both prefixes contiguous.
  for (let i = 0; i < k; i++) {
    const Li = A + <usize>i * row;
    for (let j = 0; j < i; j++) {
      const Lj = A + <usize>j * row;
      const o = <usize>j << 2;
      store<f32>(Li + o, (load<f32>(Li + o) - dot(j, Li, Lj)) / load<f32>(Lj + o));
    }
    const o = <usize>i << 2;
    const d = load<f32>(Li + o) + ridge - dot(i, Li, Li);
    if (!(d > 0)) return i + 1;
    store<f32>(Li + o, Mathf.sqrt(d));
  }
  // Forward: L y = b.
  for (let i = 0; i < k; i++) {
    const Li = A + <usize>i * row;
    const o = <usize>i << 2;
    store<f32>(b + o, (load<f32>(b + o) - dot(i, Li, b)) / load<f32>(Li + o));
  }
  // Backward: L^T x = y, column-oriented so each update is a contiguous axpy on row i's prefix.
  for (let i = k - 1; i >= 0; i--) {
    const Li = A + <usize>i * row;
    const o = <usize>i << 2;
    const xi = load<f32>(b + o) / load<f32>(Li + o);
    store<f32>(b + o, xi);
    axpy(i, -xi, Li, b);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// (f) implicit-ALS row solves: assembly/als.ts

export { alsCg, alsCgLockstep, alsCholesky } from './als';

// ---------------------------------------------------------------------------------------------------
// (g) pairwise-ranking SGD epochs with adagrad (BPR, WARP): assembly/adagrad.ts

export { bprEpoch, warpEpoch } from './adagrad';
