// What every recommender shares: batch recommendation from per-customer scores, with exclusions,
// candidate lists and filters applied the same way for all models.
import { NextbestError } from '../core/errors.js';
import { topK, type CsrMatrix, type SparseRow, type TopK } from '../matrix/index.js';
import { exploreTopK } from './exploration.js';
import type { FitOptions, ModelState, Recommender, RecommendOptions, ScoringRequest, TrainingSet } from './contract.js';

export abstract class BaseRecommender<P extends object> implements Recommender<P> {
  abstract readonly name: string;
  products = 0;

  constructor(readonly params: Readonly<P>) {}

  abstract fit(data: TrainingSet, opts?: FitOptions): Promise<void>;
  abstract scoreInto(customer: number, history: SparseRow, out: Float32Array, fromHistory?: boolean, request?: ScoringRequest): void;
  abstract similarItems(products: Int32Array, k: number): TopK[];
  abstract state(): ModelState;
  abstract restore(state: ModelState): void;

  recommend(customers: Int32Array, opts: RecommendOptions): TopK[] {
    if (!this.products) throw new NextbestError('INTERNAL', `model ${this.name} is not fitted; fit or load it first`);
    if (!(Number.isInteger(opts.k) && opts.k > 0)) throw new NextbestError('BAD_OPTION', `k must be a positive whole number`);
    const exclude: CsrMatrix | null = opts.exclude === undefined ? opts.history : opts.exclude;
    const scores = new Float32Array(this.products);
    const skip = new Uint8Array(this.products);
    const out: TopK[] = [];
    for (const c of customers) {
      const inRange = c >= 0 && c < opts.history.rows;
      const history = inRange ? opts.history.row(c) : { indices: new Int32Array(0), data: new Float32Array(0) };
      this.scoreInto(c, history, scores, opts.fromHistory, opts.request);
      const excluded = exclude && c >= 0 && c < exclude.rows ? exclude.row(c).indices : null;
      if (excluded) for (const p of excluded) skip[p] = 1;
      if (opts.filter) {
        const filter = opts.filter;
        for (let p = 0; p < this.products; p++) if (!skip[p] && !filter(c, p)) scores[p] = -Infinity;
      }
      const k = Math.min(opts.k, this.products);
      out.push(opts.explore ? exploreTopK(scores, k, skip, opts.explore, opts.candidates) : topK(scores, k, skip, opts.candidates));
      if (excluded) for (const p of excluded) skip[p] = 0;
    }
    return out;
  }

  /** Fills progress for single-pass models, so every fit reports at least once. */
  protected done(opts: FitOptions | undefined, started: number): void {
    opts?.onProgress?.({ iteration: 1, total: 1, elapsedSeconds: (performance.now() - started) / 1000 });
  }
}
