// Implicit-feedback ALS (Hu, Koren & Volinsky 2008, "Collaborative Filtering for Implicit Feedback
// Datasets"): every (customer, product) cell has preference 1 if held, else 0, with confidence
// c = 1 + alpha·r (or 1 + alpha·log(1 + r/epsilon)) on held cells and 1 elsewhere; customer and
// product factors are solved in turn by weighted least squares with L2 regularisation λ:
//   x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ Yᵀ C_u p_u.
// YᵀY is shared by all customers of a half-iteration, so only the held cells cost per customer. The
// default solver is implicit's least_squares_cg: a few conjugate-gradient steps warm-started from the
// previous factors (Takács, Pilászy & Tikk 2011); 'cholesky' solves each system exactly.
import { z } from 'zod';
import type { CsrMatrix, SparseRow } from '../matrix/index.js';
import { trainingShape } from './common.js';
import type { FitOptions, TrainingSet } from './contract.js';
import { choleskyInPlace } from './linalg.js';
import { checkpoint, FactorRecommender, knownRows, reportProgress } from './mf-common.js';
import { numberParam, parseParams, type RawParams } from './params.js';
import { Rng } from '../core/rng.js';

export const AlsParams = z
  .object({
    // Defaults measured on ML-TOPN: 32 factors with strong regularisation beat implicit's
    // 64 / 0.05 / alpha 3 (c = 3, i.e. alpha 2 here) by ~0.09 NDCG@10, in a third of the time.
    /** Length of each customer and product factor vector. */
    factors: numberParam(z.number().int().min(1).max(1024)).default(32),
    /** Alternations (each solves the products, then the customers). */
    iterations: numberParam(z.number().int().min(1)).default(8),
    /** L2 regularisation λ on both factor matrices. */
    regularization: numberParam(z.number().min(0)).default(20),
    /** Confidence scale: c = 1 + alpha·r (linear) or 1 + alpha·log(1 + r/epsilon) (log). */
    alpha: numberParam(z.number().min(0)).default(2),
    confidence: z.enum(['linear', 'log']).default('linear'),
    /** Scale of r inside the log confidence. */
    epsilon: numberParam(z.number().positive()).default(1),
    /** cg: conjugate-gradient steps from the previous factors; cholesky: exact solves (slower). */
    solver: z.enum(['cg', 'cholesky']).default('cg'),
    /** Conjugate-gradient steps per customer/product and half-iteration. */
    cgSteps: numberParam(z.number().int().min(1)).default(2),
    seed: numberParam(z.number().int()).default(42),
  })
  .strict();
export type AlsParams = z.output<typeof AlsParams>;

export class AlsRecommender extends FactorRecommender<AlsParams> {
  readonly name = 'als';
  /** YᵀY + λI over the final product factors, for fold-in. */
  private solver: AlsSolver | null = null;

  constructor(params: RawParams = {}) {
    super(parseParams('als', AlsParams, params));
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const started = performance.now();
    opts?.signal?.throwIfAborted();
    const { customers, products } = trainingShape(this.name, data);
    const { factors: k, iterations, regularization, solver: method, cgSteps, seed } = this.params;
    const { userItem, itemUser } = data.interactions;
    const userConf = this.confidences(userItem);
    const itemConf = this.confidences(itemUser);
    // implicit's start: small positive uniform factors.
    const rng = new Rng(seed);
    const user = new Float32Array(customers * k);
    const item = new Float32Array(products * k);
    for (let t = 0; t < user.length; t++) user[t] = rng.next() * 0.01;
    for (let t = 0; t < item.length; t++) item[t] = rng.next() * 0.01;
    const solver = new AlsSolver(k, regularization);
    for (let it = 0; it < iterations; it++) {
      await checkpoint(opts?.signal);
      // Products first, then customers, so customer factors end exactly consistent with the final
      // product factors (and with fold-in).
      solver.half(item, products, user, customers, itemUser, itemConf, method, cgSteps);
      solver.half(user, customers, item, products, userItem, userConf, method, cgSteps);
      reportProgress(opts, it + 1, iterations, started);
    }
    opts?.signal?.throwIfAborted();
    this.install({ customers, products, factors: k, user, item, itemBias: new Float32Array(0), known: knownRows(userItem.indptr, userItem.data, customers) });
  }

  protected override prepare(): void {
    const f = this.fitted();
    this.solver = new AlsSolver(f.factors, this.params.regularization);
    this.solver.setOther(f.item, f.products);
  }

  /** The exact least-squares factors for one history against the fitted product factors. */
  foldIn(history: SparseRow): Float32Array {
    const f = this.fitted();
    const solver = this.solver!;
    const idx: number[] = [];
    const conf: number[] = [];
    for (let t = 0; t < history.indices.length; t++) {
      const p = history.indices[t];
      const r = history.data[t];
      if (p >= 0 && p < f.products && r > 0) {
        idx.push(p);
        conf.push(this.confidence(r));
      }
    }
    const x = new Float32Array(f.factors);
    solver.cholesky(x, 0, f.item, Int32Array.from(idx), Float32Array.from(conf), 0, idx.length);
    return x;
  }

  private confidence(r: number): number {
    const { alpha, confidence, epsilon } = this.params;
    return confidence === 'log' ? 1 + alpha * Math.log(1 + r / epsilon) : 1 + alpha * r;
  }

  /** Confidence per stored entry; 0 marks entries that are not positive (skipped). */
  private confidences(m: CsrMatrix): Float32Array {
    const c = new Float32Array(m.nnz);
    for (let q = 0; q < m.nnz; q++) c[q] = m.data[q] > 0 ? this.confidence(m.data[q]) : 0;
    return c;
  }
}

/**
 * Solves rows of one factor matrix given the other. Holds G = YᵀY + λI for the current other side
 * and scratch vectors, so solving a row allocates nothing.
 */
export class AlsSolver {
  readonly gram: Float64Array;
  private readonly xs: Float64Array;
  private readonly r: Float64Array;
  private readonly p: Float64Array;
  private readonly ap: Float64Array;
  private readonly a: Float64Array;

  constructor(
    readonly k: number,
    readonly regularization: number,
  ) {
    this.gram = new Float64Array(k * k);
    this.xs = new Float64Array(k);
    this.r = new Float64Array(k);
    this.p = new Float64Array(k);
    this.ap = new Float64Array(k);
    this.a = new Float64Array(k * k);
  }

  /** G = YᵀY + λI for the m x k factors y. */
  setOther(y: Float32Array, m: number): void {
    gramInto(y, m, this.k, this.gram);
    for (let j = 0; j < this.k; j++) this.gram[j * this.k + j] += this.regularization;
  }

  /** One half-iteration: every row of x (n x k) from y (m x k) and x's rows of the matrix. */
  half(x: Float32Array, n: number, y: Float32Array, m: number, rows: CsrMatrix, conf: Float32Array, method: 'cg' | 'cholesky', steps: number): void {
    this.setOther(y, m);
    const { indptr, indices } = rows;
    if (method === 'cg') for (let u = 0; u < n; u++) this.cg(x, u * this.k, y, indices, conf, indptr[u], indptr[u + 1], steps);
    else for (let u = 0; u < n; u++) this.cholesky(x, u * this.k, y, indices, conf, indptr[u], indptr[u + 1]);
  }

  /**
   * Improves x[o .. o+k) towards the solution of (G + Σ (c−1) y yᵀ) x = Σ c y over the entries
   * start..end (product indices[q] with confidence conf[q]; 0 skips) by `steps` CG steps from x itself.
   */
  cg(x: Float32Array, o: number, y: Float32Array, indices: Int32Array, conf: Float32Array, start: number, end: number, steps: number): void {
    const k = this.k;
    const { xs, r, p, ap, gram } = this;
    for (let j = 0; j < k; j++) xs[j] = x[o + j];
    // r = b − A x
    symv(gram, xs, r, k);
    for (let j = 0; j < k; j++) r[j] = -r[j];
    for (let q = start; q < end; q++) {
      const c = conf[q];
      if (c === 0) continue;
      const yo = indices[q] * k;
      let d = 0;
      for (let j = 0; j < k; j++) d += y[yo + j] * xs[j];
      const w = c - (c - 1) * d;
      for (let j = 0; j < k; j++) r[j] += w * y[yo + j];
    }
    let rsold = 0;
    for (let j = 0; j < k; j++) {
      p[j] = r[j];
      rsold += r[j] * r[j];
    }
    if (rsold < 1e-20) return;
    for (let s = 0; s < steps; s++) {
      symv(gram, p, ap, k);
      addWeighted(ap, p, y, indices, conf, start, end, k);
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
    for (let j = 0; j < k; j++) x[o + j] = xs[j];
  }

  /** Writes the exact solution of the same system into x[o .. o+k) (Cholesky of the k x k matrix). */
  cholesky(x: Float32Array, o: number, y: Float32Array, indices: Int32Array, conf: Float32Array, start: number, end: number): void {
    const k = this.k;
    const { a, r: b, gram } = this;
    a.set(gram);
    b.fill(0);
    for (let q = start; q < end; q++) {
      const c = conf[q];
      if (c === 0) continue;
      const yo = indices[q] * k;
      const w = c - 1;
      for (let i = 0; i < k; i++) {
        const yi = y[yo + i];
        b[i] += c * yi;
        const wi = w * yi;
        const row = i * k;
        for (let j = 0; j <= i; j++) a[row + j] += wi * y[yo + j];
      }
    }
    choleskyInPlace(a, k);
    // L z = b, then Lᵀ x = z.
    for (let i = 0; i < k; i++) {
      let s = b[i];
      const row = i * k;
      for (let j = 0; j < i; j++) s -= a[row + j] * b[j];
      b[i] = s / a[row + i];
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = b[i];
      for (let j = i + 1; j < k; j++) s -= a[j * k + i] * b[j];
      b[i] = s / a[i * k + i];
    }
    for (let j = 0; j < k; j++) x[o + j] = b[j];
  }
}

/** g = yᵀ y for the m x k row-major y (both triangles filled). */
export function gramInto(y: Float32Array, m: number, k: number, g: Float64Array): void {
  g.fill(0);
  let i = 0;
  // Two rows per pass: each load of g carries two multiply-adds.
  for (; i + 1 < m; i += 2) {
    const o0 = i * k;
    const o1 = o0 + k;
    for (let a = 0; a < k; a++) {
      const v0 = y[o0 + a];
      const v1 = y[o1 + a];
      const row = a * k;
      for (let b = a; b < k; b++) g[row + b] += v0 * y[o0 + b] + v1 * y[o1 + b];
    }
  }
  for (; i < m; i++) {
    const o = i * k;
    for (let a = 0; a < k; a++) {
      const v = y[o + a];
      const row = a * k;
      for (let b = a; b < k; b++) g[row + b] += v * y[o + b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) g[a * k + b] = g[b * k + a];
}

/** out = g v for a symmetric k x k g (both triangles stored), four rows per pass. */
function symv(g: Float64Array, v: Float64Array, out: Float64Array, k: number): void {
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
      s0 += g[r0 + j] * x;
      s1 += g[r1 + j] * x;
      s2 += g[r2 + j] * x;
      s3 += g[r3 + j] * x;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < k; i++) {
    const r0 = i * k;
    let s = 0;
    for (let j = 0; j < k; j++) s += g[r0 + j] * v[j];
    out[i] = s;
  }
}

/** out += Σ (c−1) (y_q · p) y_q over the entries start..end, two entries per pass. */
function addWeighted(out: Float64Array, p: Float64Array, y: Float32Array, indices: Int32Array, conf: Float32Array, start: number, end: number, k: number): void {
  let q = start;
  for (; q + 1 < end; q += 2) {
    const c0 = conf[q];
    const c1 = conf[q + 1];
    const y0 = indices[q] * k;
    const y1 = indices[q + 1] * k;
    let d0 = 0;
    let d1 = 0;
    for (let j = 0; j < k; j++) {
      const x = p[j];
      d0 += y[y0 + j] * x;
      d1 += y[y1 + j] * x;
    }
    // A skipped entry (c = 0) must add nothing.
    const w0 = c0 === 0 ? 0 : (c0 - 1) * d0;
    const w1 = c1 === 0 ? 0 : (c1 - 1) * d1;
    for (let j = 0; j < k; j++) out[j] += w0 * y[y0 + j] + w1 * y[y1 + j];
  }
  for (; q < end; q++) {
    const c = conf[q];
    if (c === 0) continue;
    const yo = indices[q] * k;
    let d = 0;
    for (let j = 0; j < k; j++) d += y[yo + j] * p[j];
    const w = (c - 1) * d;
    for (let j = 0; j < k; j++) out[j] += w * y[yo + j];
  }
}
