// Pairwise ranking losses for a factorization machine over implicit data: BPR (Rendle et al. 2009) and
// WARP (Weston, Bengio & Usunier 2011, as LightFM samples it). Every example is a customer u with a
// held product i and a product j it does not hold; the features of (u, i) are u's row plus i's row.
// With s_u, s_p the sums of a customer's / product's feature factors and b_p the product's linear
// terms plus the pairs among its own features, the FM output is
//   y(u, p) = [customer-only terms] + b_p + <s_u, s_p>,
// so the difference d = y(u, i) - y(u, j) = b_i - b_j + <s_u, s_i - s_j> does not involve the
// customer-only terms, and a step costs O(k x (nnz(u) + nnz(i) + nnz(j))). Gradients of d:
//   customer feature c: d/dv_c = x_c (s_i - s_j)                d/dw_c = 0
//   feature p of i:     d/dv_p = x_p (s_u + s_i - v_p x_p)       d/dw_p = x_p     (and minus for j)
// Steps are adagrad's (accumulators start at 1, as LightFM's), with optional L2 decay; one thread,
// deterministic for a seed.
import { NextbestError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { CsrMatrix } from '../../matrix/csr.js';
import { FmParams } from './model.js';
import { checkPositiveInt } from './options.js';

export type PairwiseLoss = 'bpr' | 'warp';

export interface PairwiseData {
  /** customers x features: each customer's feature row (ids and side features, global indices). */
  customerRows: CsrMatrix;
  /** products x features: each product's feature row. */
  productRows: CsrMatrix;
  /** customers x products: held pairs (value > 0), column indices ascending per row. */
  positives: CsrMatrix;
  /**
   * positives.nnz x features: the context of each held pair (global indices), on the customer's side
   * of the pair: it adds to s_u and is stepped like the customer's features.
   */
  contexts?: CsrMatrix;
}

export interface PairwiseOptions {
  loss: PairwiseLoss;
  /** Factors per feature; default 32. */
  k?: number;
  /** Passes over every held pair; default 20. */
  iterations?: number;
  /** Adagrad base step; default 0.05. */
  learnRate?: number;
  /** L2 decay on the parameters a step touches; default 0. */
  reg?: number;
  /** Stdev of the normal initialisation of V; default 0.1. */
  initStdev?: number;
  /** WARP: most products drawn per held pair while looking for a margin violator; default 10. */
  maxSampled?: number;
  seed?: number;
  /** After every pass: the mean step loss (BPR: -ln sigma(d); WARP: the rank weight). */
  onProgress?: (p: { iteration: number; iterations: number; loss: number; seconds: number }) => void;
}

/** LightFM's cap on one WARP step's weight. */
const MAX_WARP_WEIGHT = 10;

export function fitPairwise(data: PairwiseData, opts: PairwiseOptions): FmParams {
  const started = performance.now();
  const { customerRows: cu, productRows: pr, positives: pos } = data;
  const cx = data.contexts ?? null;
  if (cx && (cx.rows !== pos.nnz || cx.cols !== cu.cols))
    throw new NextbestError('INTERNAL', `pair contexts are ${cx.rows} x ${cx.cols}, expected ${pos.nnz} pairs x ${cu.cols} features`);
  if (opts.loss !== 'bpr' && opts.loss !== 'warp')
    throw new NextbestError('BAD_PARAMETER', `pairwise loss must be 'bpr' or 'warp', got "${String(opts.loss)}"`);
  if (cu.cols !== pr.cols) throw new NextbestError('INTERNAL', `customer rows have ${cu.cols} features, product rows ${pr.cols}`);
  if (pos.rows !== cu.rows || pos.cols !== pr.rows)
    throw new NextbestError('INTERNAL', `positives are ${pos.rows} x ${pos.cols}, expected ${cu.rows} customers x ${pr.rows} products`);
  const k = checkPositiveInt(opts.k ?? 32, 'k', 0);
  const iterations = checkPositiveInt(opts.iterations ?? 20, 'iterations');
  const maxSampled = checkPositiveInt(opts.maxSampled ?? 10, 'maxSampled');
  const lr = opts.learnRate ?? 0.05;
  const reg = opts.reg ?? 0;
  const warp = opts.loss === 'warp';
  const rng = new Rng(opts.seed ?? 1);
  const n = cu.cols;
  const P = pr.rows;
  const params = new FmParams(n, k);
  const { w, v } = params;
  const initStdev = opts.initStdev ?? 0.1;
  for (let t = 0; t < v.length; t++) v[t] = initStdev * rng.normal();
  const gw = new Float64Array(n).fill(1);
  const gv = new Float64Array(n * k).fill(1);

  const su = new Float64Array(k);
  const si = new Float64Array(k);
  const sj = new Float64Array(k);
  const dij = new Float64Array(k);
  /** Product p's b_p + <s_u, s_p>; its factor sum goes to s. */
  const score = (p: number, s: Float64Array): number => {
    s.fill(0);
    let lin = 0;
    let sq = 0;
    for (let t = pr.indptr[p], e = pr.indptr[p + 1]; t < e; t++) {
      const j = pr.indices[t];
      const x = pr.data[t];
      lin += w[j] * x;
      const o = j * k;
      for (let f = 0; f < k; f++) {
        const d = v[o + f] * x;
        s[f] += d;
        sq += d * d;
      }
    }
    let pairs = -sq;
    let cross = 0;
    for (let f = 0; f < k; f++) {
      pairs += s[f] * s[f];
      cross += su[f] * s[f];
    }
    return lin + 0.5 * pairs + cross;
  };
  /** Adagrad steps on the features of row r of m (the customer's, or its pair's context), from dij. */
  const customerSide = (m: CsrMatrix, r: number, L: number): void => {
    for (let t = m.indptr[r], e = m.indptr[r + 1]; t < e; t++) {
      const c = m.indices[t];
      const x = m.data[t];
      const o = c * k;
      for (let f = 0; f < k; f++) {
        const g = -L * x * dij[f] + reg * v[o + f];
        const a = (gv[o + f] += g * g);
        v[o + f] -= (lr / Math.sqrt(a)) * g;
      }
    }
  };
  /** Adagrad steps raising d by weight L: customer features (and pair q's context), then i's (sign +1) and j's (sign -1). */
  const update = (u: number, q: number, i: number, jn: number, L: number): void => {
    for (let f = 0; f < k; f++) dij[f] = si[f] - sj[f];
    customerSide(cu, u, L);
    if (cx) customerSide(cx, q, L);
    for (let side = 0; side < 2; side++) {
      const p = side === 0 ? i : jn;
      const s = side === 0 ? si : sj;
      const sign = side === 0 ? -L : L;
      for (let t = pr.indptr[p], e = pr.indptr[p + 1]; t < e; t++) {
        const c = pr.indices[t];
        const x = pr.data[t];
        const gl = sign * x + reg * w[c];
        const al = (gw[c] += gl * gl);
        w[c] -= (lr / Math.sqrt(al)) * gl;
        const o = c * k;
        for (let f = 0; f < k; f++) {
          const vf = v[o + f];
          const g = sign * x * (su[f] + s[f] - vf * x) + reg * vf;
          const a = (gv[o + f] += g * g);
          v[o + f] = vf - (lr / Math.sqrt(a)) * g;
        }
      }
    }
  };

  // Every held pair once per pass, in a fresh random order.
  const owner = new Int32Array(pos.nnz);
  const entries: number[] = [];
  for (let u = 0; u < pos.rows; u++) {
    owner.fill(u, pos.indptr[u], pos.indptr[u + 1]);
    for (let q = pos.indptr[u]; q < pos.indptr[u + 1]; q++) if (pos.data[q] > 0) entries.push(q);
  }
  const order = Int32Array.from(entries);
  const held = (u: number, p: number): boolean => {
    let lo = pos.indptr[u];
    let hi = pos.indptr[u + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = pos.indices[mid];
      if (c === p) return true;
      if (c < p) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };

  for (let it = 0; it < iterations; it++) {
    for (let t = order.length - 1; t > 0; t--) {
      const r = rng.int(t + 1);
      const tmp = order[t];
      order[t] = order[r];
      order[r] = tmp;
    }
    let lossSum = 0;
    for (let o = 0; o < order.length; o++) {
      const q = order[o];
      const u = owner[q];
      const i = pos.indices[q];
      su.fill(0);
      for (let t = cu.indptr[u], e = cu.indptr[u + 1]; t < e; t++) {
        const b = cu.indices[t] * k;
        const x = cu.data[t];
        for (let f = 0; f < k; f++) su[f] += v[b + f] * x;
      }
      if (cx)
        for (let t = cx.indptr[q], e = cx.indptr[q + 1]; t < e; t++) {
          const b = cx.indices[t] * k;
          const x = cx.data[t];
          for (let f = 0; f < k; f++) su[f] += v[b + f] * x;
        }
      const yi = score(i, si);
      if (warp) {
        for (let sampled = 1; sampled <= maxSampled; sampled++) {
          const j = rng.int(P);
          if (score(j, sj) > yi - 1 && !held(u, j)) {
            const L = Math.min(MAX_WARP_WEIGHT, Math.log(Math.max(1, Math.floor((P - 1) / sampled))));
            update(u, q, i, j, L);
            lossSum += L;
            break;
          }
        }
      } else {
        const j = rng.int(P);
        if (held(u, j)) continue;
        const d = yi - score(j, sj);
        update(u, q, i, j, 1 / (1 + Math.exp(d)));
        lossSum += d > 0 ? Math.log1p(Math.exp(-d)) : -d + Math.log1p(Math.exp(d));
      }
    }
    opts.onProgress?.({
      iteration: it + 1,
      iterations,
      loss: order.length ? lossSum / order.length : 0,
      seconds: (performance.now() - started) / 1000,
    });
  }
  return params;
}
