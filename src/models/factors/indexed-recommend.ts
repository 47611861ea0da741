// Recommendation from a nearest-neighbour index of product vectors (./inner-product-index), shared by
// the models whose score is a customer vector · product vector (the factor models, two-tower): each
// customer's top-k comes from the index instead of scoring every product. Serving (src/server) asks
// any model that can (`indexesProducts`) to index its products for a large catalogue.
import { NextbestError } from '../../core/errors.js';
import type { CsrMatrix, SparseRow, TopK } from '../../matrix/index.js';
import type { Recommender, RecommendOptions } from '../contract.js';
import type { InnerProductIndex } from './inner-product-index.js';

/** A model that can serve its lists from an index of its product vectors. */
export interface ProductIndexing {
  /** From now on, recommend() takes top-k lists from an index of the product vectors. */
  indexProducts(): void;
  readonly indexed: boolean;
}

export const indexesProducts = (model: Recommender): model is Recommender & ProductIndexing =>
  typeof (model as Partial<ProductIndexing>).indexProducts === 'function';

/** Whether recommend() can use the index for these options (no filter, no candidate list, no exploration). */
export const indexServes = (opts: RecommendOptions): boolean => !opts.filter && !opts.candidates && !opts.explore;

/** Each customer's top-k from the index, by the customer's vector (from its history, as scoreInto derives it). */
export function recommendFromIndex(
  index: InnerProductIndex,
  customers: Int32Array,
  opts: RecommendOptions,
  vectorOf: (customer: number, history: SparseRow) => Float32Array,
): TopK[] {
  if (!(Number.isInteger(opts.k) && opts.k > 0)) throw new NextbestError('BAD_OPTION', `k must be a positive whole number`);
  const products = index.products;
  const exclude: CsrMatrix | null = opts.exclude === undefined ? opts.history : opts.exclude;
  const skip = new Uint8Array(products);
  const none = { indices: new Int32Array(0), data: new Float32Array(0) };
  return Array.from(customers, (c) => {
    const history = c >= 0 && c < opts.history.rows ? opts.history.row(c) : none;
    const excluded = exclude && c >= 0 && c < exclude.rows ? exclude.row(c).indices : null;
    if (excluded) for (const p of excluded) skip[p] = 1;
    const list = index.topK(vectorOf(c, history), Math.min(opts.k, products), skip, excluded?.length ?? 0);
    if (excluded) for (const p of excluded) skip[p] = 0;
    return list;
  });
}
