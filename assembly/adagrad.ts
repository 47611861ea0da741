// Pairwise-ranking SGD with adagrad for src/models/bpr.ts and warp.ts, one epoch per call: LightFM's
// update (see src/models/mf-common.ts) on customer factors U, product factors V and product biases B,
// each with its accumulators (gU, gV, gB). Products are drawn with mulberry32 continuing the caller's
// stream (src/core/rng.ts), so both implementations draw the same products for the same scores.
// Reference: src/kernels/sgd-reference.ts.
import { dot } from './kernels';

/** mulberry32 on the u32 state at `state`: uniform in [0, 1), exactly as Rng.next(). */
// @ts-ignore: decorator
@inline function next(state: usize): f64 {
  let t = load<u32>(state) + 0x6d2b79f5;
  store<u32>(state, t);
  t = (t ^ (t >>> 15)) * (t | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  return <f64>(t ^ (t >>> 14)) / 4294967296.0;
}

/** floor(next() * n). */
// @ts-ignore: decorator
@inline function draw(state: usize, n: i32): i32 {
  return <i32>Math.floor(next(state) * <f64>n);
}

/** True when the ascending indices[p0 .. p1) hold v. */
// @ts-ignore: decorator
@inline function holds(indices: usize, p0: i32, p1: i32, v: i32): bool {
  let lo = p0;
  let hi = p1 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = load<i32>(indices + (<usize>mid << 2));
    if (w == v) return true;
    if (w < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * One adagrad step pushing product i above j with weight L for the customer row x (accumulators gx):
 * gradients −L x for y_i, +L x for y_j, L (y_j − y_i) for x, ∓L for the biases, plus reg times the
 * parameter; each parameter steps by lr / sqrt(its accumulated squared gradients).
 */
// @ts-ignore: decorator
@inline function step(
  k: i32, x: usize, gx: usize, V: usize, gV: usize, B: usize, gB: usize, i: i32, j: i32, L: f32, lr: f32, reg: f32, items: bool,
): void {
  const row = <usize>k << 2;
  const yi = V + <usize>i * row;
  const yj = V + <usize>j * row;
  const gi = gV + <usize>i * row;
  const gj = gV + <usize>j * row;
  if (items) {
    const bi = B + (<usize>i << 2);
    const bj = B + (<usize>j << 2);
    const gbi = load<f32>(gB + (<usize>i << 2)) + L * L;
    store<f32>(gB + (<usize>i << 2), gbi);
    store<f32>(bi, load<f32>(bi) - (lr / Mathf.sqrt(gbi)) * (-L + reg * load<f32>(bi)));
    const gbj = load<f32>(gB + (<usize>j << 2)) + L * L;
    store<f32>(gB + (<usize>j << 2), gbj);
    store<f32>(bj, load<f32>(bj) - (lr / Mathf.sqrt(gbj)) * (L + reg * load<f32>(bj)));
  }
  const vL = f32x4.splat(L);
  const vr = f32x4.splat(reg);
  const vl = f32x4.splat(lr);
  let t = 0;
  for (; t + 4 <= k; t += 4) {
    const o = <usize>t << 2;
    const xc = v128.load(x + o);
    const pc = v128.load(yi + o);
    const nc = v128.load(yj + o);
    if (items) {
      const gp = f32x4.sub(f32x4.mul(vr, pc), f32x4.mul(vL, xc));
      const ap = f32x4.add(v128.load(gi + o), f32x4.mul(gp, gp));
      v128.store(gi + o, ap);
      v128.store(yi + o, f32x4.sub(pc, f32x4.mul(f32x4.div(vl, f32x4.sqrt(ap)), gp)));
      const gn = f32x4.add(f32x4.mul(vL, xc), f32x4.mul(vr, nc));
      const an = f32x4.add(v128.load(gj + o), f32x4.mul(gn, gn));
      v128.store(gj + o, an);
      v128.store(yj + o, f32x4.sub(nc, f32x4.mul(f32x4.div(vl, f32x4.sqrt(an)), gn)));
    }
    const gu = f32x4.add(f32x4.mul(vL, f32x4.sub(nc, pc)), f32x4.mul(vr, xc));
    const au = f32x4.add(v128.load(gx + o), f32x4.mul(gu, gu));
    v128.store(gx + o, au);
    v128.store(x + o, f32x4.sub(xc, f32x4.mul(f32x4.div(vl, f32x4.sqrt(au)), gu)));
  }
  for (; t < k; t++) {
    const o = <usize>t << 2;
    const xc = load<f32>(x + o);
    const pc = load<f32>(yi + o);
    const nc = load<f32>(yj + o);
    if (items) {
      const gp = -L * xc + reg * pc;
      const ap = load<f32>(gi + o) + gp * gp;
      store<f32>(gi + o, ap);
      store<f32>(yi + o, pc - (lr / Mathf.sqrt(ap)) * gp);
      const gn = L * xc + reg * nc;
      const an = load<f32>(gj + o) + gn * gn;
      store<f32>(gj + o, an);
      store<f32>(yj + o, nc - (lr / Mathf.sqrt(an)) * gn);
    }
    const gu = L * (nc - pc) + reg * xc;
    const au = load<f32>(gx + o) + gu * gu;
    store<f32>(gx + o, au);
    store<f32>(x + o, xc - (lr / Mathf.sqrt(au)) * gu);
  }
}

/** b_i + x · y_i. */
// @ts-ignore: decorator
@inline function predict(k: i32, x: usize, V: usize, B: usize, i: i32): f32 {
  return load<f32>(B + (<usize>i << 2)) + dot(k, x, V + <usize>i * (<usize>k << 2));
}

/**
 * BPR (Rendle et al. 2009) over `count` positions order[t]: customer owner[q], held product
 * indices[q], a negative j drawn uniformly over `products` (or, with popularity, as indices[draw]);
 * a draw the customer holds (indptr / indices row, ascending) is skipped. Weight 1 − σ(d) for
 * d = score(i) − score(j). Returns Σ −log σ(d).
 */
export function bprEpoch(
  k: i32, U: usize, gU: usize, V: usize, gV: usize, B: usize, gB: usize, lr: f32, reg: f32,
  count: i32, order: usize, owner: usize, indptr: usize, indices: usize, nnz: i32, products: i32,
  popularity: bool, rng: usize, items: bool,
): f64 {
  const row = <usize>k << 2;
  let loss: f64 = 0;
  for (let t = 0; t < count; t++) {
    const q = load<i32>(order + (<usize>t << 2));
    const u = load<i32>(owner + (<usize>q << 2));
    const i = load<i32>(indices + (<usize>q << 2));
    const j = popularity ? load<i32>(indices + (<usize>draw(rng, nnz) << 2)) : draw(rng, products);
    if (holds(indices, load<i32>(indptr + (<usize>u << 2)), load<i32>(indptr + (<usize>u << 2), 4), j)) continue;
    const x = U + <usize>u * row;
    const d = predict(k, x, V, B, i) - predict(k, x, V, B, j);
    step(k, x, gU + <usize>u * row, V, gV, B, gB, i, j, 1 - 1 / (1 + Mathf.exp(-d)), lr, reg, items);
    loss += d > 0 ? Math.log1p(Math.exp(-<f64>d)) : -<f64>d + Math.log1p(Math.exp(<f64>d));
  }
  return loss;
}

/**
 * WARP (Weston et al. 2011, as LightFM) over `count` positions as in bprEpoch: draw products uniformly
 * until one the customer does not hold scores within the margin 1 of the held one, at most
 * maxSampled draws, then step with weight min(10, log(floor((products − 1) / draws))). Returns the
 * summed weights.
 */
export function warpEpoch(
  k: i32, U: usize, gU: usize, V: usize, gV: usize, B: usize, gB: usize, lr: f32, reg: f32,
  count: i32, order: usize, owner: usize, indptr: usize, indices: usize, products: i32,
  maxSampled: i32, rng: usize, items: bool,
): f64 {
  const row = <usize>k << 2;
  let loss: f64 = 0;
  for (let t = 0; t < count; t++) {
    const q = load<i32>(order + (<usize>t << 2));
    const u = load<i32>(owner + (<usize>q << 2));
    const i = load<i32>(indices + (<usize>q << 2));
    const x = U + <usize>u * row;
    const positive = predict(k, x, V, B, i);
    for (let sampled = 1; sampled <= maxSampled; sampled++) {
      const j = draw(rng, products);
      if (predict(k, x, V, B, j) > positive - 1) {
        if (holds(indices, load<i32>(indptr + (<usize>u << 2)), load<i32>(indptr + (<usize>u << 2), 4), j)) continue;
        const L = Math.min(10, Math.log(Math.max(1, Math.floor(<f64>(products - 1) / <f64>sampled))));
        step(k, x, gU + <usize>u * row, V, gV, B, gB, i, j, <f32>L, lr, reg, items);
        loss += L;
        break;
      }
    }
  }
  return loss;
}
