// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders"): a dense product x product weight matrix B
// with zero diagonal in closed form, B = -P / diag(P) with P = (XᵀX + λI)⁻¹; score = history · B.
// With fewer customers than products, P comes from the customers' side (Woodbury), which is cheaper.
import { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import { type CsrMatrix, type SparseRow, type TopK } from '../matrix/index.js';
import { BaseRecommender } from './base.js';
import { addDenseRows, checkSameParams, historyTerms, notFitted, similarFromDense, stateArray, stateCount, trainingShape } from './common.js';
import type { FitOptions, ModelState, Reason, TrainingSet } from './contract.js';
import { topContribution } from './reason.js';
import { spdInverseInPlace } from './linalg.js';
import { numberParam, parseParams, type RawParams } from './params.js';

/** Columns of the dense factor per pass in the customers-side solver (customers x 64 doubles stay in L2). */
const COLUMN_BLOCK = 64;

export const EaseParams = z
  .object({
    /** L2 regularisation λ added to the Gram matrix's diagonal. */
    lambda: numberParam(z.number().positive()).default(500),
    /** Larger catalogues are refused: B is products^2 floats and the inverse costs products^3 / 2. */
    maxProducts: numberParam(z.number().int().min(1).max(50_000)).default(20_000),
    /**
     * products: invert XᵀX + λI directly; customers: invert the customers x customers XXᵀ + λI and
     * apply Woodbury's identity; auto: whichever side is smaller.
     */
    solver: z.enum(['auto', 'products', 'customers']).default('auto'),
  })
  .strict();
export type EaseParams = z.output<typeof EaseParams>;

export class EaseRecommender extends BaseRecommender<EaseParams> {
  readonly name = 'ease';
  /** products x products row-major; row i is what holding product i adds to every product's score. */
  private b: Float32Array = new Float32Array(0);
  /** Scores accumulate in double precision, then round once into the caller's float32 vector. */
  private acc = new Float64Array(0);

  constructor(params: RawParams = {}) {
    super(parseParams('ease', EaseParams, params));
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const started = performance.now();
    opts?.signal?.throwIfAborted();
    const { customers, products } = trainingShape(this.name, data);
    const { maxProducts, lambda, solver } = this.params;
    if (products > maxProducts)
      throw new NextbestError(
        'TOO_LARGE',
        `model "ease" handles at most ${maxProducts} products (dense products^2 weights), the catalogue has ${products}; use item-knn or sims`,
      );
    const { userItem, itemUser } = data.interactions;
    const viaCustomers = solver === 'customers' || (solver === 'auto' && customers < products);
    const p = viaCustomers ? inverseViaCustomers(userItem, itemUser, lambda) : inverseViaProducts(userItem, lambda);
    opts?.signal?.throwIfAborted();
    this.b = weightsFromInverse(p, products);
    this.products = products;
    this.done(opts, started);
  }

  scoreInto(_customer: number, history: SparseRow, out: Float32Array): void {
    if (!this.products) throw notFitted(this.name);
    const n = this.products;
    const b = this.b;
    if (this.acc.length !== n) this.acc = new Float64Array(n);
    const acc = this.acc;
    acc.fill(0);
    addDenseRows(b, n, n, history, acc);
    out.set(acc);
  }

  /** The history product with the largest term w_i B[i][j]. */
  explain(_customer: number, history: SparseRow, products: Int32Array): Reason[] {
    if (!this.products) throw notFitted(this.name);
    const n = this.products;
    return Array.from(products, (p) => topContribution(history, historyTerms(history, n, (i) => this.b[i * n + p])));
  }

  /** The products whose scores holding p raises most (row p of B). */
  similarItems(products: Int32Array, k: number): TopK[] {
    if (!this.products) throw notFitted(this.name);
    const n = this.products;
    return similarFromDense((p) => this.b.subarray(p * n, (p + 1) * n), n, products, k);
  }

  state(): ModelState {
    if (!this.products) throw notFitted(this.name);
    return { arrays: { b: this.b }, json: { params: this.params, products: this.products } };
  }

  restore(state: ModelState): void {
    checkSameParams(this.name, this.params, state);
    const products = stateCount(this.name, state, 'products');
    this.b = stateArray(this.name, state, 'b', Float32Array, products * products);
    this.products = products;
  }
}

/** P = (XᵀX + λI)⁻¹ by Cholesky on the products x products Gram matrix. */
export function inverseViaProducts(x: CsrMatrix, lambda: number): Float64Array {
  const n = x.cols;
  const g = new Float64Array(n * n);
  for (let u = 0; u < x.rows; u++) {
    const a = x.indptr[u];
    const e = x.indptr[u + 1];
    for (let s = a; s < e; s++) {
      const row = x.indices[s] * n;
      const v = x.data[s];
      for (let t = a; t < e; t++) g[row + x.indices[t]] += v * x.data[t];
    }
  }
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  return spdInverseInPlace(g, n);
}

/**
 * The same P from the customers' side: (XᵀX + λI)⁻¹ = (I - Xᵀ (XXᵀ + λI)⁻¹ X) / λ, inverting an
 * m x m matrix (m customers) instead of n x n; worth it when m < n.
 */
export function inverseViaCustomers(x: CsrMatrix, xt: CsrMatrix, lambda: number): Float64Array {
  const m = x.rows;
  const n = x.cols;
  const k = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    const a = xt.indptr[i];
    const e = xt.indptr[i + 1];
    for (let s = a; s < e; s++) {
      const row = xt.indices[s] * m;
      const v = xt.data[s];
      for (let t = a; t < e; t++) k[row + xt.indices[t]] += v * xt.data[t];
    }
  }
  for (let u = 0; u < m; u++) k[u * m + u] += lambda;
  spdInverseInPlace(k, m);
  // Both sparse x dense products below run over column blocks of the dense factor, packed so the
  // block (customers x COLUMN_BLOCK) stays in cache while each product's customers add short rows into it.
  const packed = new Float64Array(m * COLUMN_BLOCK);
  // Wᵀ = Xᵀ K (n x m; K is symmetric): row i adds x_ui K[u, :] over the customers u holding i.
  const wt = new Float64Array(n * m);
  for (let c0 = 0; c0 < m; c0 += COLUMN_BLOCK) {
    const width = Math.min(COLUMN_BLOCK, m - c0);
    for (let u = 0; u < m; u++) for (let c = 0; c < width; c++) packed[u * COLUMN_BLOCK + c] = k[u * m + c0 + c];
    for (let i = 0; i < n; i++) addPackedRows(wt, i * m + c0, xt, i, packed, 0, width, 1);
  }
  // P = (I - Xᵀ W) / λ with W = K X, symmetric: row i of Xᵀ W adds x_ui W[u, :] over customers u holding
  // i; only columns j >= i are computed, then mirrored.
  const p = new Float64Array(n * n);
  for (let c0 = 0; c0 < n; c0 += COLUMN_BLOCK) {
    const width = Math.min(COLUMN_BLOCK, n - c0);
    for (let c = 0; c < width; c++) {
      const from = (c0 + c) * m;
      for (let u = 0; u < m; u++) packed[u * COLUMN_BLOCK + c] = wt[from + u];
    }
    const iEnd = Math.min(n, c0 + width);
    for (let i = 0; i < iEnd; i++) addPackedRows(p, i * n + c0, xt, i, packed, Math.max(0, i - c0), width, -1);
  }
  for (let i = 0; i < n; i++) {
    p[i * n + i] += 1;
    for (let j = 0; j < i; j++) p[i * n + j] = p[j * n + i];
  }
  const inv = 1 / lambda;
  for (let t = 0; t < p.length; t++) p[t] *= inv;
  return p;
}

/**
 * out[o + c] += sign * sum over entries (u, v) of row i of m of v * packed[u][c], for c in [first, width):
 * four entries per pass, so each load and store of out carries four multiply-adds.
 */
function addPackedRows(
  out: Float64Array,
  o: number,
  m: CsrMatrix,
  i: number,
  packed: Float64Array,
  first: number,
  width: number,
  sign: number,
): void {
  let q = m.indptr[i];
  const end = m.indptr[i + 1];
  for (; q + 3 < end; q += 4) {
    const r0 = m.indices[q] * COLUMN_BLOCK;
    const r1 = m.indices[q + 1] * COLUMN_BLOCK;
    const r2 = m.indices[q + 2] * COLUMN_BLOCK;
    const r3 = m.indices[q + 3] * COLUMN_BLOCK;
    const v0 = sign * m.data[q];
    const v1 = sign * m.data[q + 1];
    const v2 = sign * m.data[q + 2];
    const v3 = sign * m.data[q + 3];
    for (let c = first; c < width; c++)
      out[o + c] += v0 * packed[r0 + c] + v1 * packed[r1 + c] + v2 * packed[r2 + c] + v3 * packed[r3 + c];
  }
  for (; q < end; q++) {
    const r0 = m.indices[q] * COLUMN_BLOCK;
    const v0 = sign * m.data[q];
    for (let c = first; c < width; c++) out[o + c] += v0 * packed[r0 + c];
  }
}

/** B_ij = -P_ij / P_jj, B_ii = 0, as float32. */
export function weightsFromInverse(p: Float64Array, n: number): Float32Array {
  const b = new Float32Array(n * n);
  const d = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = p[j * n + j];
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) b[row + j] = i === j ? 0 : -p[row + j] / d[j];
  }
  return b;
}
