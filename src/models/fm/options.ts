// Options shared by the FM solvers, and their resolution into per-group arrays.
import { NextbestError } from '../../core/errors.js';
import type { Design } from './design.js';
import type { FmTask } from './model.js';

export type FmSolver = 'sgd' | 'als' | 'mcmc';

/**
 * Regularisation (prior precision in ALS): one number for every w and v, or per kind, where w and v
 * may be one value per feature group. w0 is unregularised unless set.
 */
export type RegSpec = number | { w0?: number; w?: number | ArrayLike<number>; v?: number | ArrayLike<number> };

export interface FmProgress {
  iteration: number;
  iterations: number;
  /** Training RMSE (regression, unclipped) or log loss (classification) of the current parameters. */
  train: number;
  /** RMSE or log loss on opts.test of the model's predictions so far (MCMC: the running average). */
  test?: number;
  seconds: number;
}

export interface FmFitOptions {
  solver?: FmSolver;
  task?: FmTask;
  /** Factors per feature; default 8. */
  k?: number;
  /** Epochs (SGD), sweeps (ALS) or samples (MCMC); default 100. */
  iterations?: number;
  /** Stdev of the normal initialisation of V; default 0.1. */
  initStdev?: number;
  /** SGD default 0.01 for w and v; ALS default 10 (0 for w0); MCMC ignores it (hyper-priors learn it). */
  reg?: RegSpec;
  /** SGD step size; default 0.01. */
  learnRate?: number;
  seed?: number;
  /** SGD: visit rows in a fresh random order each epoch (default true; libFM keeps file order). */
  shuffle?: boolean;
  /**
   * ALS / MCMC: sweep one-hot groups (ids) row by row for cache locality (default true); false sweeps
   * every column from the transpose. The two give the same parameters.
   */
  rowSweeps?: boolean;
  /** MCMC: samples discarded before predictions are averaged; default min(5, iterations / 10). */
  burnIn?: number;
  /**
   * MCMC: posterior samples kept for predicting designs not seen during fit (evenly spaced after
   * burn-in); default 20, capped so they take at most 256 MB.
   */
  keepSamples?: number;
  /** Evaluated after every iteration; MCMC averages its predictions over samples, as libFM does. */
  test?: Design;
  onProgress?: (p: FmProgress) => void;
}

export interface ResolvedReg {
  w0: number;
  /** Per group. */
  w: Float64Array;
  /** Per group. */
  v: Float64Array;
}

export function resolveReg(reg: RegSpec | undefined, groups: number, fallback: number, fallbackW0 = 0): ResolvedReg {
  const perGroup = (x: number | ArrayLike<number> | undefined, what: string): Float64Array => {
    const out = new Float64Array(groups);
    if (x === undefined) out.fill(fallback);
    else if (typeof x === 'number') out.fill(x);
    else {
      if (x.length !== groups) throw new NextbestError('BAD_PARAMETER', `reg.${what} has ${x.length} values for ${groups} feature groups`);
      for (let g = 0; g < groups; g++) out[g] = x[g];
    }
    for (let g = 0; g < groups; g++)
      if (!(out[g] >= 0)) throw new NextbestError('BAD_PARAMETER', `reg.${what} must be >= 0, got ${out[g]}`);
    return out;
  };
  if (reg === undefined || typeof reg === 'number') {
    const r = reg ?? fallback;
    return { w0: fallbackW0, w: perGroup(r, 'w'), v: perGroup(r, 'v') };
  }
  const w0 = reg.w0 ?? fallbackW0;
  if (!(w0 >= 0)) throw new NextbestError('BAD_PARAMETER', `reg.w0 must be >= 0, got ${w0}`);
  return { w0, w: perGroup(reg.w, 'w'), v: perGroup(reg.v, 'v') };
}

export function checkPositiveInt(x: number, what: string, min = 1): number {
  if (!(Number.isInteger(x) && x >= min)) throw new NextbestError('BAD_PARAMETER', `${what} must be an integer >= ${min}, got ${x}`);
  return x;
}

/** Classification targets as booleans: y > 0 is positive (0/1 and -1/+1 labels both work). */
export const isPositive = (y: number): boolean => y > 0;

/** Log loss of probabilities p against labels y (> 0 positive), clamped away from 0 and 1. */
export function logLossOf(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
    s -= isPositive(y[i]) ? Math.log(q) : Math.log(1 - q);
  }
  return y.length ? s / y.length : NaN;
}

export function rmseOf(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2;
  return y.length ? Math.sqrt(s / y.length) : NaN;
}
