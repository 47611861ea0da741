// Bayesian FM by Gibbs sampling (Freudenthaler, Schmidt-Thieme and Rendle 2011; libFM's MCMC):
// Gaussian priors on w and on each factor of v with per-group mean and precision drawn from a
// Normal-Gamma hyper-prior, noise precision alpha ~ Gamma (regression) or the probit link with
// truncated-normal latent targets (classification). Predictions are averaged over the samples after
// burn-in: for opts.test during fit (exactly libFM's output), and for other designs over up to
// opts.keepSamples kept samples. No learning rate or regularisation to tune; O(k * nnz) per sample.
import type { Design } from './design.js';
import { fitCoordinate } from './coordinate.js';
import type { FmFitOptions } from './options.js';
import type { FmFitResult } from './result.js';

export function fitMcmc(design: Design, opts: FmFitOptions = {}): FmFitResult {
  return fitCoordinate(design, opts, true);
}
