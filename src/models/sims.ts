// Item co-occurrence similarity, as Microsoft's SAR does it: C = Xᵀ X over who-had-what, scaled to
// count, Jaccard, lift or cosine, and scored from each customer's (optionally time-decayed) affinities.
import { z } from 'zod';
import { buildInteractions, CsrMatrix, type SparseRow, type TopK } from '../matrix/index.js';
import { BaseRecommender } from './base.js';
import {
  RowScorer,
  binarize,
  checkGramWork,
  checkSameParams,
  cooccurrence,
  csrArrays,
  csrFromState,
  diagonal,
  notFitted,
  similarFromRows,
  stateCount,
  trainingShape,
} from './common.js';
import type { ArtifactArray, FitOptions, ModelState, Reason, TrainingSet } from './contract.js';
import { topContribution } from './reason.js';
import { booleanParam, numberParam, parseParams, type RawParams } from './params.js';

export const SimsParams = z
  .object({
    /** How co-occurrence counts become similarities (SAR's default is jaccard). */
    similarity: z.enum(['count', 'jaccard', 'lift', 'cosine']).default('jaccard'),
    /** Pairs seen together by fewer customers than this have no similarity. */
    threshold: numberParam(z.number().int().min(1)).default(1),
    /** Affinities decay by 0.5^(age / halfLifeDays) from the latest event; none when absent. */
    halfLifeDays: numberParam(z.number().positive()).optional(),
    /** Affinities weigh rating events by their value (SAR uses the rating as the weight). */
    useValue: booleanParam().default(false),
  })
  .strict();
export type SimsParams = z.output<typeof SimsParams>;

export class SimsRecommender extends BaseRecommender<SimsParams> {
  readonly name = 'sims';
  /** products x products similarities, diagonal left out. */
  private sim: CsrMatrix | null = null;
  private scorer: RowScorer | null = null;
  /** Training customers' affinities (customers x products) when they differ from the history values. */
  private affinity: CsrMatrix | null = null;

  constructor(params: RawParams = {}) {
    super(parseParams('sims', SimsParams, params));
  }

  /** Whether affinities come from the log (decay or rating values) rather than the history as given. */
  private get ownAffinity(): boolean {
    return this.params.halfLifeDays !== undefined || this.params.useValue;
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const started = performance.now();
    opts?.signal?.throwIfAborted();
    const { products } = trainingShape(this.name, data);
    checkGramWork(this.name, data.interactions.userItem, 'products per customer, squared');
    const x = binarize(data.interactions.userItem);
    const c = cooccurrence(x, binarize(data.interactions.itemUser));
    opts?.signal?.throwIfAborted();
    this.setSimilarities(similarities(c, this.params.similarity, this.params.threshold));
    this.affinity = this.ownAffinity
      ? buildInteractions(data.log, { halfLifeDays: this.params.halfLifeDays, useValue: this.params.useValue }).userItem
      : null;
    this.products = products;
    this.done(opts, started);
  }

  private setSimilarities(sim: CsrMatrix): void {
    this.sim = sim;
    this.scorer = new RowScorer(sim);
  }

  /**
   * score = affinities · S. A training customer's affinities come from fit when decay or rating values
   * are on: each history product takes its fitted affinity (the history value when it has none).
   */
  scoreInto(customer: number, history: SparseRow, out: Float32Array): void {
    const scorer = this.scorer;
    if (!scorer) throw notFitted(this.name);
    scorer.scoreInto(this.affinities(customer, history), out);
  }

  /** The history product with the largest term affinity_i S[i][j]. */
  explain(customer: number, history: SparseRow, products: Int32Array): Reason[] {
    const scorer = this.scorer;
    if (!scorer) throw notFitted(this.name);
    const a = this.affinities(customer, history);
    return Array.from(products, (p) => topContribution(a, scorer.terms(a, p)));
  }

  /** The weights scoring uses: the history's, or the fitted affinities of a training customer's products. */
  private affinities(customer: number, history: SparseRow): SparseRow {
    const a = this.affinity;
    if (!(a && customer >= 0 && customer < a.rows)) return history;
    const weights = new Float32Array(history.data);
    for (let t = 0; t < history.indices.length; t++) {
      const v = a.get(customer, history.indices[t]);
      if (v > 0) weights[t] = v;
    }
    return { indices: history.indices, data: weights };
  }

  /** Products with any similarity to p, most similar first (may be fewer than k). */
  similarItems(products: Int32Array, k: number): TopK[] {
    if (!this.sim) throw notFitted(this.name);
    return similarFromRows(this.sim, products, k);
  }

  state(): ModelState {
    if (!this.sim) throw notFitted(this.name);
    const arrays: Record<string, ArtifactArray> = csrArrays('sim', this.sim);
    if (this.affinity) Object.assign(arrays, csrArrays('affinity', this.affinity));
    return {
      arrays,
      json: { params: this.params, products: this.products, customers: this.affinity?.rows ?? 0 },
    };
  }

  restore(state: ModelState): void {
    checkSameParams(this.name, this.params, state);
    const products = stateCount(this.name, state, 'products');
    const customers = stateCount(this.name, state, 'customers');
    this.setSimilarities(csrFromState(this.name, state, 'sim', products, products));
    this.affinity = this.ownAffinity ? csrFromState(this.name, state, 'affinity', customers, products) : null;
    this.products = products;
  }
}

/** Similarities from co-occurrence counts, off-diagonal entries with count >= threshold only. */
export function similarities(c: CsrMatrix, kind: SimsParams['similarity'], threshold: number): CsrMatrix {
  const d = diagonal(c);
  const indptr = new Int32Array(c.rows + 1);
  const indices = new Int32Array(c.nnz);
  const data = new Float32Array(c.nnz);
  let nnz = 0;
  for (let i = 0; i < c.rows; i++) {
    for (let k = c.indptr[i]; k < c.indptr[i + 1]; k++) {
      const j = c.indices[k];
      const cij = c.data[k];
      if (j === i || !(cij >= threshold)) continue;
      let s: number;
      if (kind === 'count') s = cij;
      else if (kind === 'jaccard') s = cij / (d[i] + d[j] - cij);
      else if (kind === 'lift') s = cij / (d[i] * d[j]);
      else s = cij / Math.sqrt(d[i] * d[j]);
      indices[nnz] = j;
      data[nnz++] = s;
    }
    indptr[i + 1] = nnz;
  }
  return new CsrMatrix(c.rows, c.cols, indptr, indices.slice(0, nnz), data.slice(0, nnz));
}
