// Percentile bootstrap confidence interval of a mean over customers: resample customers with
// replacement, seeded, so a reported interval can be reproduced exactly.
import { NextbestError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';

export interface BootstrapOptions {
  /** Resamples (default 1000). */
  samples?: number;
  /** Seed of the resampling (default 1). */
  seed?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
}

export interface ConfidenceInterval {
  /** Mean of the values themselves (not of the resamples). */
  mean: number;
  low: number;
  high: number;
}

/** Quantile q of ascending values, linear interpolation between order statistics (R type 7, NumPy default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Percentile bootstrap of the mean of perUser: `samples` resamples of n values drawn with replacement;
 * low / high are the (1 - level) / 2 and (1 + level) / 2 quantiles of the resample means. NaN values
 * (customers a metric is undefined for) are dropped first; all NaN when nothing is left.
 * Cost is samples x n random draws.
 */
export function bootstrapCI(perUser: ArrayLike<number>, options: BootstrapOptions = {}): ConfidenceInterval {
  const { samples = 1000, seed = 1, level = 0.95 } = options;
  if (!(Number.isInteger(samples) && samples >= 1))
    throw new NextbestError('BAD_OPTION', `bootstrap samples must be a positive integer, got ${samples}`);
  if (!(level > 0 && level < 1)) throw new NextbestError('BAD_OPTION', `bootstrap level must be in (0, 1), got ${level}`);
  const values: number[] = [];
  for (let i = 0; i < perUser.length; i++) if (perUser[i] === perUser[i]) values.push(perUser[i]);
  const n = values.length;
  if (n === 0) return { mean: NaN, low: NaN, high: NaN };
  const x = Float64Array.from(values);
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i];

  const rng = new Rng(seed);
  const means = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[rng.int(n)];
    means[s] = sum / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  return { mean: total / n, low: quantileSorted(means, alpha), high: quantileSorted(means, 1 - alpha) };
}
