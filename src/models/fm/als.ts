// libFM's ALS: coordinate descent where each parameter is set to its closed-form optimum given all
// others (the mode of its conditional posterior with fixed priors mu = 0, precision = reg and noise
// precision 1), using the cached residuals e and factor sums q; O(k * nnz) per sweep. Classification
// (probit) replaces the 0/1 targets by their expected latent values each sweep (EM).
import type { Design } from './design.js';
import { fitCoordinate } from './coordinate.js';
import type { FmFitOptions } from './options.js';
import type { FmFitResult } from './result.js';

/** reg defaults to 10 for w and v (0 for w0); reg.w / reg.v may give one value per feature group. */
export function fitAls(design: Design, opts: FmFitOptions = {}): FmFitResult {
  return fitCoordinate(design, opts, false);
}
