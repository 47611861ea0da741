// BPR matrix factorisation (Rendle et al. 2009, "BPR: Bayesian Personalized Ranking from Implicit
// Feedback"): for each held (customer, product) pair draw one product the customer does not hold and
// step on −log σ(score(held) − score(drawn)). Negatives are drawn as LightFM does, in proportion to
// product popularity (a random training entry's product), or uniformly as implicit does; a draw the
// customer holds is skipped. Adagrad steps, product biases, scores = customer · product + bias.
import { z } from 'zod';
import type { SparseRow } from '../matrix/index.js';
import type { FitOptions, TrainingSet } from './contract.js';
import { FactorRecommender, fitSgd, foldInSgd } from './mf-common.js';
import { MAX_FACTORS, MAX_ITERATIONS, numberParam, parseParams, type RawParams } from './params.js';

export const BprParams = z
  .object({
    factors: numberParam(z.number().int().min(1).max(MAX_FACTORS)).default(64),
    /** Passes over every held (customer, product) pair. */
    epochs: numberParam(z.number().int().min(1).max(MAX_ITERATIONS)).default(30),
    /** Adagrad base step. */
    learningRate: numberParam(z.number().positive()).default(0.05),
    /** L2 decay on the factors and biases a step touches. */
    regularization: numberParam(z.number().min(0)).default(0),
    /** uniform: every product alike (implicit; measured better on ML-TOPN); popularity: drawn like training entries (LightFM). */
    negatives: z.enum(['popularity', 'uniform']).default('uniform'),
    seed: numberParam(z.number().int()).default(42),
  })
  .strict();
export type BprParams = z.output<typeof BprParams>;

export class BprRecommender extends FactorRecommender<BprParams> {
  readonly name = 'bpr';

  constructor(params: RawParams = {}) {
    super(parseParams('bpr', BprParams, params));
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const popularity = this.params.negatives === 'popularity';
    this.install(await fitSgd(this.name, this.params, data, opts, (K, f, e) => K.bprEpoch(f, e, popularity)));
  }

  /** Fold-in draws negatives uniformly (training entries are not kept after fit). */
  foldIn(history: SparseRow): Float32Array {
    return foldInSgd(this.fitted(), this.params, history, (K, f, e) => K.bprEpoch(f, e, false));
  }
}
