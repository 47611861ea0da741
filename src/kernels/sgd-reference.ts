// The TypeScript reference for the pairwise-ranking epochs (assembly/adagrad.ts): the same draws from
// the same mulberry32 stream and LightFM's adagrad update, in double precision per step. See types.ts
// (bprEpoch, warpEpoch) for the contract.
import { Rng } from '../core/rng.js';
import type { AdagradFactors, PairEpoch } from './types.js';

/** True when the ascending sorted[start .. end) holds v (binary search). */
export function holds(sorted: Int32Array, start: number, end: number, v: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = sorted[mid];
    if (w === v) return true;
    if (w < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** b_i + x · y_i for the customer row at xo. */
function predict(f: AdagradFactors, xo: number, i: number): number {
  const { k, user: x, item: y } = f;
  const o = i * k;
  let s = f.bias[i];
  for (let t = 0; t < k; t++) s += x[xo + t] * y[o + t];
  return s;
}

/** One adagrad step pushing i above j with weight L for the customer row at xo (see assembly/adagrad.ts). */
function step(f: AdagradFactors, xo: number, i: number, j: number, L: number, updateItems: boolean): void {
  const { k, user: x, gUser: gx, item: y, gItem: gy, learningRate: lr, regularization: reg } = f;
  const io = i * k;
  const jo = j * k;
  if (updateItems) {
    const { bias: b, gBias: gb } = f;
    gb[i] += L * L;
    b[i] -= (lr / Math.sqrt(gb[i])) * (-L + reg * b[i]);
    gb[j] += L * L;
    b[j] -= (lr / Math.sqrt(gb[j])) * (L + reg * b[j]);
  }
  for (let t = 0; t < k; t++) {
    const xc = x[xo + t];
    const pc = y[io + t];
    const nc = y[jo + t];
    if (updateItems) {
      const gp = -L * xc + reg * pc;
      gy[io + t] += gp * gp;
      y[io + t] = pc - (lr / Math.sqrt(gy[io + t])) * gp;
      const gn = L * xc + reg * nc;
      gy[jo + t] += gn * gn;
      y[jo + t] = nc - (lr / Math.sqrt(gy[jo + t])) * gn;
    }
    const gu = L * (nc - pc) + reg * xc;
    gx[xo + t] += gu * gu;
    x[xo + t] = xc - (lr / Math.sqrt(gx[xo + t])) * gu;
  }
}

/** Runs `body` with an Rng continuing e.rng's stream, then stores the stream's new position. */
function withStream<T>(e: PairEpoch, body: (rng: Rng) => T): T {
  const rng = new Rng(0);
  rng.position = e.rng[0];
  const out = body(rng);
  e.rng[0] = rng.position;
  return out;
}

export function bprEpoch(f: AdagradFactors, e: PairEpoch, popularity: boolean): number {
  const products = f.bias.length;
  const { order, owner, indptr, indices, updateItems } = e;
  return withStream(e, (rng) => {
    let loss = 0;
    for (let t = 0; t < order.length; t++) {
      const q = order[t];
      const u = owner[q];
      const i = indices[q];
      const j = popularity ? indices[rng.int(indices.length)] : rng.int(products);
      if (holds(indices, indptr[u], indptr[u + 1], j)) continue;
      const xo = u * f.k;
      const d = predict(f, xo, i) - predict(f, xo, j);
      step(f, xo, i, j, 1 - 1 / (1 + Math.exp(-d)), updateItems);
      loss += d > 0 ? Math.log1p(Math.exp(-d)) : -d + Math.log1p(Math.exp(d));
    }
    return loss;
  });
}

/** LightFM's cap on one WARP step's weight. */
const MAX_LOSS = 10;

export function warpEpoch(f: AdagradFactors, e: PairEpoch, maxSampled: number): number {
  const products = f.bias.length;
  const { order, owner, indptr, indices, updateItems } = e;
  return withStream(e, (rng) => {
    let loss = 0;
    for (let t = 0; t < order.length; t++) {
      const q = order[t];
      const u = owner[q];
      const i = indices[q];
      const xo = u * f.k;
      const positive = predict(f, xo, i);
      for (let sampled = 1; sampled <= maxSampled; sampled++) {
        const j = rng.int(products);
        if (predict(f, xo, j) > positive - 1) {
          if (holds(indices, indptr[u], indptr[u + 1], j)) continue;
          const L = Math.min(MAX_LOSS, Math.log(Math.max(1, Math.floor((products - 1) / sampled))));
          step(f, xo, i, j, L, updateItems);
          loss += L;
          break;
        }
      }
    }
    return loss;
  });
}
