// Implicit-feedback ALS (Hu, Koren & Volinsky 2008, "Collaborative Filtering for Implicit Feedback
// Datasets"): every (customer, product) cell has preference 1 if held, else 0, with confidence
// c = 1 + alpha·r (or 1 + alpha·log(1 + r/epsilon)) on held cells and 1 elsewhere; customer and
// product factors are solved in turn by weighted least squares with L2 regularisation λ:
//   x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ Yᵀ C_u p_u.
// YᵀY is shared by all customers of a half-iteration, so only the held cells cost per customer. The
// default solver is implicit's least_squares_cg: a few conjugate-gradient steps warm-started from the
// previous factors (Takács, Pilászy & Tikk 2011); 'cholesky' solves each system exactly. On one
// thread, a small side solved against a large one (products against many customers) runs its CG for
// all rows in lockstep over the other side's rows, so the large factor matrix is streamed instead of
// gathered (see lockstep below).
import { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import { getKernels, KernelScope, sharedPool, tsKernels, WasmKernels, type KernelPool } from '../kernels/index.js';
import type { CsrMatrix, SparseRow } from '../matrix/index.js';
import { trainingShape } from './common.js';
import type { FitOptions, Reason, TrainingSet } from './contract.js';
import { choleskyInPlace } from './linalg.js';
import { topContribution } from './reason.js';
import { checkpoint, FactorRecommender, knownRows, reportProgress } from './mf-common.js';
import { MAX_FACTORS, MAX_ITERATIONS, numberParam, parseParams, type RawParams } from './params.js';
import { Rng } from '../core/rng.js';
import { implicitAlsLoss } from './als-loss.js';

export const AlsParams = z
  .object({
    // Defaults measured on ML-TOPN: 32 factors with strong regularisation beat implicit's
    // 64 / 0.05 / alpha 3 (c = 3, i.e. alpha 2 here) by ~0.09 NDCG@10, in a third of the time.
    /** Length of each customer and product factor vector. */
    factors: numberParam(z.number().int().min(1).max(MAX_FACTORS)).default(32),
    /** Alternations (each solves the products, then the customers). */
    iterations: numberParam(z.number().int().min(1).max(MAX_ITERATIONS)).default(8),
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
    cgSteps: numberParam(z.number().int().min(1).max(100)).default(2),
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
    // Everything the row solves touch lives in kernel memory (used in place by the wasm kernels).
    const mem = new KernelScope(getKernels(opts?.kernels));
    try {
      const userItem = kernelRows(mem, data.interactions.userItem, this.confidences(data.interactions.userItem));
      const itemUser = kernelRows(mem, data.interactions.itemUser, this.confidences(data.interactions.itemUser));
      // implicit's start: small positive uniform factors.
      const rng = new Rng(seed);
      const user = mem.f32(customers * k);
      const item = mem.f32(products * k);
      for (let t = 0; t < user.length; t++) user[t] = rng.next() * 0.01;
      for (let t = 0; t < item.length; t++) item[t] = rng.next() * 0.01;
      const solver = new AlsSolver(k, regularization, mem, await rowPool(mem, method, opts?.threads ?? 1));
      for (let it = 0; it < iterations; it++) {
        await checkpoint(opts?.signal);
        // Products first, then customers, so customer factors end exactly consistent with the final
        // product factors (and with fold-in).
        await solver.half(item, products, user, itemUser, userItem, method, cgSteps);
        await solver.half(user, customers, item, userItem, itemUser, method, cgSteps);
        // The customer half left the solver's G = YᵀY + λI over the final product factors.
        const loss = opts?.trainingLoss ? implicitAlsLoss(k, user, item, userItem, solver.gram, regularization) : undefined;
        reportProgress(opts, it + 1, iterations, started, loss);
      }
      opts?.signal?.throwIfAborted();
      const known = knownRows(data.interactions.userItem.indptr, data.interactions.userItem.data, customers);
      this.install({ customers, products, factors: k, user: user.slice(), item: item.slice(), itemBias: new Float32Array(0), known });
    } finally {
      mem.close();
    }
  }

  protected override prepare(): void {
    const f = this.fitted();
    // Fold-in solves one small system at a time: the reference kernels on the model's own arrays.
    this.solver = new AlsSolver(f.factors, this.params.regularization, new KernelScope(tsKernels));
    this.solver.setOther(f.item, f.products);
  }

  /** The exact least-squares factors for one history against the fitted product factors. */
  foldIn(history: SparseRow): Float32Array {
    const f = this.fitted();
    return this.solver!.foldIn(f.item, f.products, history, (r) => this.confidence(r));
  }

  /**
   * implicit's explain (Hu, Koren & Volinsky 2008, section 5): the fold-in x = A⁻¹ Σ_i c_i y_i, with
   * A = YᵀY + λI + Σ_i (c_i − 1) y_i y_iᵀ over the history's products i, makes a score a sum over the
   * history, y_jᵀ x = Σ_i c_i y_jᵀ A⁻¹ y_i. Per scored product, the term of each history entry (0 for
   * entries the fold-in skips); their sum is the score of the history folded in, which is the served
   * score for fold-in and, up to the conjugate-gradient error (none with solver=cholesky), for training
   * customers.
   */
  contributions(history: SparseRow, products: Int32Array): Float64Array[] {
    const f = this.fitted();
    const k = f.factors;
    const y = f.item;
    // A's lower triangle (all the Cholesky factorisation reads), then A = L Lᵀ in place.
    const a = Float64Array.from(this.solver!.gram);
    const h = history.indices.length;
    const conf = new Float64Array(h);
    for (let t = 0; t < h; t++) {
      const p = history.indices[t];
      const r = history.data[t];
      if (!(p >= 0 && p < f.products && r > 0)) continue;
      const c = (conf[t] = this.confidence(r));
      const o = p * k;
      for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) a[i * k + j] += (c - 1) * y[o + i] * y[o + j];
    }
    choleskyInPlace(a, k);
    const z = new Float64Array(k);
    return Array.from(products, (p) => {
      // z = A⁻¹ y_p: L w = y_p, then Lᵀ z = w.
      for (let i = 0; i < k; i++) {
        let s = y[p * k + i];
        for (let j = 0; j < i; j++) s -= a[i * k + j] * z[j];
        z[i] = s / a[i * k + i];
      }
      for (let i = k - 1; i >= 0; i--) {
        let s = z[i];
        for (let j = i + 1; j < k; j++) s -= a[j * k + i] * z[j];
        z[i] = s / a[i * k + i];
      }
      const terms = new Float64Array(h);
      for (let t = 0; t < h; t++) {
        if (!conf[t]) continue;
        const o = history.indices[t] * k;
        let s = 0;
        for (let i = 0; i < k; i++) s += z[i] * y[o + i];
        terms[t] = conf[t] * s;
      }
      return terms;
    });
  }

  /** The history product with the largest term of the score (see contributions). */
  override explain(_customer: number, history: SparseRow, products: Int32Array): Reason[] {
    return this.contributions(history, products).map((terms) => topContribution(history, terms));
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

/** The shared worker pool for CG rows when more than one thread is asked for and the kernels are wasm. */
async function rowPool(mem: KernelScope, method: 'cg' | 'cholesky', threads: number): Promise<KernelPool | null> {
  if (threads <= 1 || method !== 'cg' || !(mem.kernels instanceof WasmKernels)) return null;
  return sharedPool(mem.kernels, threads);
}

/**
 * Whether a CG half-iteration solving n rows against m rows of the other side runs in lockstep
 * (alsCgLockstep, streaming the other side's rows) rather than row by row (alsCg, gathering a random
 * row of y per entry): when the other side is the larger one and x's CG state (x, r, p, Ap: 16 n k
 * bytes) stays within 8 MiB of cache. Measured with k = 32, 2 steps, 20 entries per row of y (one
 * thread, wasm): n = 3,000 against m = 500,000 rows (y 61 MiB) 1.87 -> 0.50 s, n = 16,000 (7.8 MiB
 * of state) against m = 500,000 3.9 -> 1.1 s; with y in cache about even (0.9-1.7x, n = 943 vs
 * m = 1,682: 1.4x); with x larger than y it loses (0.83-0.92x), hence m > n.
 */
export function lockstep(n: number, m: number, k: number): boolean {
  return m > n && 16 * n * k <= 8 * 2 ** 20;
}

/** A CSR matrix's rows with a confidence per entry, in kernel memory. */
interface KernelRows {
  indptr: Int32Array;
  indices: Int32Array;
  conf: Float32Array;
}

function kernelRows(mem: KernelScope, m: CsrMatrix, conf: Float32Array): KernelRows {
  return { indptr: mem.copy(m.indptr), indices: mem.copy(m.indices), conf: mem.copy(conf) };
}

/**
 * Solves rows of one factor matrix given the other with the kernels of `mem` (alsCg, alsCholesky).
 * Holds G = YᵀY + λI for the current other side.
 */
export class AlsSolver {
  readonly gram: Float32Array;

  constructor(
    readonly k: number,
    readonly regularization: number,
    private readonly mem: KernelScope,
    /** Workers sharing mem's kernel memory, for the CG half-iterations; null: this thread. */
    private readonly pool: KernelPool | null = null,
  ) {
    this.gram = mem.f32(k * k);
  }

  /** G = YᵀY + λI for the m x k factors y. */
  setOther(y: Float32Array, m: number): void {
    this.mem.kernels.gram(m, this.k, y, 0, this.gram, 0);
    for (let j = 0; j < this.k; j++) this.gram[j * this.k + j] += this.regularization;
  }

  /**
   * One half-iteration: every row of x (n x k) from y (m x k), x's rows of the matrix and y's rows
   * (the transpose, for the lockstep CG).
   */
  async half(x: Float32Array, n: number, y: Float32Array, rows: KernelRows, others: KernelRows, method: 'cg' | 'cholesky', steps: number): Promise<void> {
    const m = y.length / this.k;
    this.setOther(y, m);
    const K = this.mem.kernels;
    if (method === 'cg' && this.pool) await this.pool.alsCg(this.k, n, x, y, this.gram, rows.indptr, rows.indices, rows.conf, steps);
    else if (method === 'cg' && lockstep(n, m, this.k)) K.alsCgLockstep(this.k, n, x, y, this.gram, others.indptr, others.indices, others.conf, steps);
    else if (method === 'cg') K.alsCg(this.k, 0, n, x, y, this.gram, rows.indptr, rows.indices, rows.conf, steps);
    else this.check(K.alsCholesky(this.k, 0, n, x, y, this.gram, rows.indptr, rows.indices, rows.conf));
  }

  /**
   * Improves x (k floats) towards the solution of (G + Σ (c−1) y yᵀ) x = Σ c y over the entries
   * (product indices[q] with confidence conf[q]; 0 skips) by `steps` CG steps from x itself.
   */
  cg(x: Float32Array, y: Float32Array, indices: Int32Array, conf: Float32Array, steps: number): void {
    this.mem.kernels.alsCg(this.k, 0, 1, x, y, this.gram, Int32Array.of(0, indices.length), indices, conf, steps);
  }

  /**
   * The exact least-squares factors of one history against the product factors y (m rows), each entry
   * of strength r > 0 weighed by confidence(r) (implicit ALS fold-in).
   */
  foldIn(y: Float32Array, m: number, history: SparseRow, confidence: (r: number) => number): Float32Array {
    const idx: number[] = [];
    const conf: number[] = [];
    for (let t = 0; t < history.indices.length; t++) {
      const p = history.indices[t];
      const r = history.data[t];
      if (p >= 0 && p < m && r > 0) {
        idx.push(p);
        conf.push(confidence(r));
      }
    }
    const x = new Float32Array(this.k);
    this.cholesky(x, y, Int32Array.from(idx), Float32Array.from(conf));
    return x;
  }

  /** Writes the exact solution of the same system into x (Cholesky of the k x k matrix). */
  cholesky(x: Float32Array, y: Float32Array, indices: Int32Array, conf: Float32Array): void {
    this.check(this.mem.kernels.alsCholesky(this.k, 0, 1, x, y, this.gram, Int32Array.of(0, indices.length), indices, conf));
  }

  private check(failed: number): void {
    if (failed !== 0)
      throw new NextbestError('BAD_PARAMETER', `model als: the system of row ${failed - 1} is not positive definite; use regularization > 0`);
  }
}
