// What a solver hands back, and how raw outputs become predictions.
import type { CsrMatrix } from '../../matrix/csr.js';
import { clip, normalCdf, sigmoid, type FmParams, type FmTask } from './model.js';

/** How a classification model's raw output becomes a probability. */
export type FmLink = 'identity' | 'logit' | 'probit';

export interface FmFitResult {
  /** The last parameters (SGD, ALS) or the last sample (MCMC). */
  params: FmParams;
  /** MCMC: posterior samples kept for predicting new designs; predictions average over them. */
  samples: FmParams[];
  task: FmTask;
  link: FmLink;
  /** Training target range; regression predictions are clipped to it. */
  min: number;
  max: number;
  /** Predictions for opts.test (MCMC: averaged over all samples after burn-in). */
  testPredictions?: Float64Array;
  seconds: number;
}

/** Prediction (clipped rating or probability) from a raw output. */
export function transform(raw: number, link: FmLink, min: number, max: number): number {
  if (link === 'logit') return sigmoid(raw);
  if (link === 'probit') return normalCdf(raw);
  return clip(raw, min, max);
}

/** Predictions of one parameter set for every row of x. */
export function predictWith(params: FmParams, x: CsrMatrix, link: FmLink, min: number, max: number, out: Float64Array = new Float64Array(x.rows)): Float64Array {
  for (let i = 0; i < x.rows; i++) out[i] = transform(params.predictRow(x, i), link, min, max);
  return out;
}
