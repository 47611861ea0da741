// User-based k nearest neighbours: a customer is scored from what their most similar customers hold,
// cosine similarity with shrinkage. Training customers' neighbours are found once at fit; any other
// history (a new customer, a changed profile scored under an unknown index) gets its neighbours on the fly.
import { z } from 'zod';
import { CsrMatrix, topK, type SparseRow, type TopK } from '../matrix/index.js';
import { BaseRecommender } from './base.js';
import {
  checkGramWork,
  checkSameParams,
  csrArrays,
  csrFromState,
  nearestRows,
  notFitted,
  similarFromRows,
  stateCount,
  trainingShape,
} from './common.js';
import type { FitOptions, ModelState, Reason, TrainingSet } from './contract.js';
import { MAX_NEIGHBOURS, numberParam, parseParams, type RawParams } from './params.js';

export const UserKnnParams = z
  .object({
    /** Most similar customers each customer is scored from. */
    neighbours: numberParam(z.number().int().min(1).max(MAX_NEIGHBOURS)).default(70),
    /** sim = dot / (|u| |v| + shrink). */
    shrink: numberParam(z.number().min(0)).default(0),
  })
  .strict();
export type UserKnnParams = z.output<typeof UserKnnParams>;

export class UserKnnRecommender extends BaseRecommender<UserKnnParams> {
  readonly name = 'user-knn';
  /** Training customers x products strengths. */
  private x: CsrMatrix | null = null;
  private xt: CsrMatrix | null = null;
  private norms: Float64Array = new Float64Array(0);
  /** Row u: u's neighbours v and sim(u, v). */
  private neighbours: CsrMatrix | null = null;
  /** Scratch for on-the-fly neighbours: one dot product per training customer. */
  private dots: Float64Array = new Float64Array(0);
  private itemSim: CsrMatrix | null = null;

  constructor(params: RawParams = {}) {
    super(parseParams('user-knn', UserKnnParams, params));
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const started = performance.now();
    opts?.signal?.throwIfAborted();
    const { products } = trainingShape(this.name, data);
    const { userItem, itemUser } = data.interactions;
    checkGramWork(this.name, itemUser, 'customers per product, squared');
    this.neighbours = nearestRows(userItem, itemUser, this.params.neighbours, this.params.shrink);
    this.setMatrix(userItem, itemUser);
    this.products = products;
    this.done(opts, started);
  }

  private setMatrix(x: CsrMatrix, xt: CsrMatrix): void {
    this.x = x;
    this.xt = xt;
    this.norms = new Float64Array(x.rows);
    for (let u = 0; u < x.rows; u++) {
      let s = 0;
      for (let k = x.indptr[u]; k < x.indptr[u + 1]; k++) s += x.data[k] * x.data[k];
      this.norms[u] = Math.sqrt(s);
    }
    this.dots = new Float64Array(x.rows);
    this.itemSim = null;
  }

  /** score(p) = sum over neighbours v of sim(u, v) x_vp. */
  scoreInto(customer: number, history: SparseRow, out: Float32Array, fromHistory = false): void {
    const x = this.x;
    if (!x || !this.neighbours) throw notFitted(this.name);
    out.fill(0);
    const nb = this.neighboursFor(customer, history, fromHistory);
    for (let t = 0; t < nb.indices.length; t++) {
      const v = nb.indices[t];
      const s = nb.data[t];
      for (let k = x.indptr[v]; k < x.indptr[v + 1]; k++) out[x.indices[k]] += s * x.data[k];
    }
  }

  /** How many of the customer's neighbours (those scoreInto uses) hold each product. */
  explain(customer: number, history: SparseRow, products: Int32Array, fromHistory = false): Reason[] {
    const x = this.x;
    if (!x || !this.neighbours) throw notFitted(this.name);
    const nb = this.neighboursFor(customer, history, fromHistory);
    return Array.from(products, (p) => {
      let customers = 0;
      let weight = 0;
      for (let t = 0; t < nb.indices.length; t++) {
        const held = x.get(nb.indices[t], p);
        if (held === 0) continue;
        customers++;
        weight += nb.data[t] * held;
      }
      return { kind: 'similar-customers', customers, neighbours: nb.indices.length, weight };
    });
  }

  /** A training customer's neighbours from fit; any other history's (or any history with fromHistory) found now. */
  private neighboursFor(customer: number, history: SparseRow, fromHistory: boolean): SparseRow {
    const known = !fromHistory && customer >= 0 && customer < (this.x as CsrMatrix).rows;
    return known ? (this.neighbours as CsrMatrix).row(customer) : this.neighboursOf(history, customer);
  }

  /** Neighbours of a history that is not a training customer's: cosine against every other training customer. */
  private neighboursOf(history: SparseRow, customer: number): SparseRow {
    const xt = this.xt as CsrMatrix;
    const dots = this.dots;
    dots.fill(0);
    let self = 0;
    for (let t = 0; t < history.indices.length; t++) {
      const i = history.indices[t];
      const w = history.data[t];
      self += w * w;
      if (i >= xt.rows) continue;
      for (let k = xt.indptr[i]; k < xt.indptr[i + 1]; k++) dots[xt.indices[k]] += w * xt.data[k];
    }
    const norm = Math.sqrt(self);
    const { shrink } = this.params;
    for (let v = 0; v < dots.length; v++) dots[v] = dots[v] > 0 ? dots[v] / (norm * this.norms[v] + shrink) : -Infinity;
    if (customer >= 0 && customer < dots.length) dots[customer] = -Infinity; // its own training row is not a neighbour
    const best = topK(dots, Math.min(this.params.neighbours, dots.length));
    return { indices: best.items, data: best.scores };
  }

  /** Products have no neighbour lists here: similar items are the cosine between product columns, built on first use. */
  similarItems(products: Int32Array, k: number): TopK[] {
    if (!this.x || !this.xt) throw notFitted(this.name);
    this.itemSim ??= nearestRows(this.xt, this.x, this.xt.rows, this.params.shrink);
    return similarFromRows(this.itemSim, products, k);
  }

  state(): ModelState {
    if (!this.x || !this.neighbours) throw notFitted(this.name);
    return {
      arrays: { ...csrArrays('x', this.x), ...csrArrays('neighbours', this.neighbours) },
      json: { params: this.params, products: this.products, customers: this.x.rows },
    };
  }

  restore(state: ModelState): void {
    checkSameParams(this.name, this.params, state);
    const products = stateCount(this.name, state, 'products');
    const customers = stateCount(this.name, state, 'customers');
    const x = csrFromState(this.name, state, 'x', customers, products);
    this.neighbours = csrFromState(this.name, state, 'neighbours', customers, customers);
    this.setMatrix(x, x.transpose());
    this.products = products;
  }
}
