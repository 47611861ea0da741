// WARP matrix factorisation (Weston, Bengio & Usunier 2011, "WSABIE"), trained as LightFM does: for
// each held (customer, product) pair, draw products until one the customer does not hold scores within
// a margin of 1 of the held one (at most maxSampled draws), then take a pairwise step weighted by
// log(floor((products − 1) / draws)) — a cheap estimate of how far the held product is from the top.
// Adagrad steps, product biases, scores = customer · product + bias. Seeded and single-threaded.
import { z } from 'zod';
import type { SparseRow } from '../matrix/index.js';
import type { FitOptions, TrainingSet } from './contract.js';
import { FactorRecommender, fitSgd, foldInSgd, type SgdEpoch } from './mf-common.js';
import { MAX_FACTORS, MAX_ITERATIONS, numberParam, parseParams, type RawParams } from './params.js';

export const WarpParams = z
  .object({
    factors: numberParam(z.number().int().min(1).max(MAX_FACTORS)).default(64),
    /** Passes over every held (customer, product) pair (more overfit ML-TOPN without regularisation). */
    epochs: numberParam(z.number().int().min(1).max(MAX_ITERATIONS)).default(10),
    /** Adagrad base step. */
    learningRate: numberParam(z.number().positive()).default(0.05),
    /** L2 decay on the factors and biases a step touches. */
    regularization: numberParam(z.number().min(0)).default(0),
    /** Most products drawn per held pair while looking for a margin violator. */
    maxSampled: numberParam(z.number().int().min(1).max(1000)).default(10),
    seed: numberParam(z.number().int()).default(42),
  })
  .strict();
export type WarpParams = z.output<typeof WarpParams>;

export class WarpRecommender extends FactorRecommender<WarpParams> {
  readonly name = 'warp';
  private readonly epoch: SgdEpoch;

  constructor(params: RawParams = {}) {
    super(parseParams('warp', WarpParams, params));
    const maxSampled = this.params.maxSampled;
    this.epoch = (K, f, e) => K.warpEpoch(f, e, maxSampled);
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    this.install(await fitSgd(this.name, this.params, data, opts, this.epoch));
  }

  foldIn(history: SparseRow): Float32Array {
    return foldInSgd(this.fitted(), this.params, history, this.epoch);
  }
}
