// Item-based k nearest neighbours: cosine similarity between product columns (with optional shrinkage
// towards zero for rarely co-held pairs), each product keeping only its closest neighbours.
import { z } from 'zod';
import { CsrMatrix, type SparseRow, type TopK } from '../matrix/index.js';
import { BaseRecommender } from './base.js';
import {
  RowScorer,
  checkSameParams,
  checkGramWork,
  csrArrays,
  csrFromState,
  nearestRows,
  notFitted,
  similarFromRows,
  stateCount,
  trainingShape,
} from './common.js';
import type { FitOptions, ModelState, Reason, TrainingSet } from './contract.js';
import { topContribution } from './reason.js';
import { MAX_NEIGHBOURS, numberParam, parseParams, type RawParams } from './params.js';

export const ItemKnnParams = z
  .object({
    /** Neighbours kept per product. */
    neighbours: numberParam(z.number().int().min(1).max(MAX_NEIGHBOURS)).default(200),
    /** sim = dot / (|a| |b| + shrink): damps similarities resting on few customers. */
    shrink: numberParam(z.number().min(0)).default(10),
  })
  .strict();
export type ItemKnnParams = z.output<typeof ItemKnnParams>;

export class ItemKnnRecommender extends BaseRecommender<ItemKnnParams> {
  readonly name = 'item-knn';
  /** Row i: product i's neighbours j and sim(i, j). */
  private neighbours: CsrMatrix | null = null;
  /** Over the transpose: row i lists the products j that keep i as a neighbour, so scoring adds rows. */
  private scorer: RowScorer | null = null;

  constructor(params: RawParams = {}) {
    super(parseParams('item-knn', ItemKnnParams, params));
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const started = performance.now();
    opts?.signal?.throwIfAborted();
    const { products } = trainingShape(this.name, data);
    const { userItem, itemUser } = data.interactions;
    checkGramWork(this.name, userItem, 'products per customer, squared');
    this.setNeighbours(nearestRows(itemUser, userItem, this.params.neighbours, this.params.shrink));
    this.products = products;
    this.done(opts, started);
  }

  private setNeighbours(m: CsrMatrix): void {
    this.neighbours = m;
    this.scorer = new RowScorer(m.transpose());
  }

  /** score(j) = sum over history products i among j's neighbours of w_i sim(j, i). */
  scoreInto(_customer: number, history: SparseRow, out: Float32Array): void {
    if (!this.scorer) throw notFitted(this.name);
    this.scorer.scoreInto(history, out);
  }

  /** The history product with the largest term w_i sim(j, i). */
  explain(_customer: number, history: SparseRow, products: Int32Array): Reason[] {
    const scorer = this.scorer;
    if (!scorer) throw notFitted(this.name);
    return Array.from(products, (p) => topContribution(history, scorer.terms(history, p)));
  }

  similarItems(products: Int32Array, k: number): TopK[] {
    if (!this.neighbours) throw notFitted(this.name);
    return similarFromRows(this.neighbours, products, k);
  }

  state(): ModelState {
    if (!this.neighbours) throw notFitted(this.name);
    return { arrays: csrArrays('neighbours', this.neighbours), json: { params: this.params, products: this.products } };
  }

  restore(state: ModelState): void {
    checkSameParams(this.name, this.params, state);
    const products = stateCount(this.name, state, 'products');
    this.setNeighbours(csrFromState(this.name, state, 'neighbours', products, products));
    this.products = products;
  }
}
