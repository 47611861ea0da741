// Parameters of an order-2 factorization machine (Rendle 2010) and its prediction:
//   y(x) = w0 + sum_j w_j x_j + sum_{j<l} <v_j, v_l> x_j x_l
// computed in O(k * nnz(x)) with the identity
//   sum_{j<l} <v_j, v_l> x_j x_l = 1/2 sum_f [ (sum_j v_jf x_j)^2 - sum_j v_jf^2 x_j^2 ].
import { NextbestError } from '../../core/errors.js';
import type { CsrMatrix } from '../../matrix/csr.js';

/** 'ranking': raw scores from a pairwise loss (fitRanking), only their order means anything. */
export type FmTask = 'regression' | 'classification' | 'ranking';

export class FmParams {
  w0 = 0;
  readonly w: Float64Array;
  /** Feature j's factors at v[j*k .. j*k + k). */
  readonly v: Float64Array;

  constructor(
    readonly n: number,
    readonly k: number,
    w?: Float64Array,
    v?: Float64Array,
  ) {
    if (!(Number.isInteger(n) && n >= 0)) throw new NextbestError('INTERNAL', `feature count must be a non-negative integer, got ${n}`);
    if (!(Number.isInteger(k) && k >= 0)) throw new NextbestError('BAD_PARAMETER', `k must be a non-negative integer, got ${k}`);
    this.w = w ?? new Float64Array(n);
    this.v = v ?? new Float64Array(n * k);
    if (this.w.length !== n || this.v.length !== n * k)
      throw new NextbestError('INTERNAL', `parameter arrays do not match n = ${n}, k = ${k}`);
  }

  clone(): FmParams {
    const p = new FmParams(this.n, this.k, this.w.slice(), this.v.slice());
    p.w0 = this.w0;
    return p;
  }

  /**
   * Raw model output for row `row` of x (features at or beyond n count as zero). `sum`, when given
   * (length >= k), receives sum_j v_jf x_j per factor, which SGD reuses for its gradient.
   */
  predictRow(x: CsrMatrix, row: number, sum?: Float64Array): number {
    const { k, w, v, n } = this;
    const s = sum ?? this.scratch();
    const s2 = this.scratch2();
    for (let f = 0; f < k; f++) {
      s[f] = 0;
      s2[f] = 0;
    }
    let out = this.w0;
    for (let t = x.indptr[row], b = x.indptr[row + 1]; t < b; t++) {
      const j = x.indices[t];
      if (j >= n) continue;
      const xv = x.data[t];
      out += w[j] * xv;
      const base = j * k;
      for (let f = 0; f < k; f++) {
        const d = v[base + f] * xv;
        s[f] += d;
        s2[f] += d * d;
      }
    }
    let pair = 0;
    for (let f = 0; f < k; f++) pair += s[f] * s[f] - s2[f];
    return out + 0.5 * pair;
  }

  private buf1: Float64Array | null = null;
  private buf2: Float64Array | null = null;
  private scratch(): Float64Array {
    return (this.buf1 ??= new Float64Array(this.k));
  }
  private scratch2(): Float64Array {
    return (this.buf2 ??= new Float64Array(this.k));
  }

  /** Raw outputs for every row of x. */
  predictRaw(x: CsrMatrix, out: Float64Array = new Float64Array(x.rows)): Float64Array {
    for (let i = 0; i < x.rows; i++) out[i] = this.predictRow(x, i);
    return out;
  }
}

/** Probit link, as libFM's MCMC classification: P(y = 1) = Phi(raw). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Complementary error function (Numerical Recipes erfcc, relative error < 1.2e-7 everywhere). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Smallest and largest target, for clipping regression predictions as libFM does. */
export function targetRange(y: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < min) min = y[i];
    if (y[i] > max) max = y[i];
  }
  return { min, max };
}

export const clip = (p: number, min: number, max: number): number => (p < min ? min : p > max ? max : p);
