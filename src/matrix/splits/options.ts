// Argument checks and the train-size rule shared by the split functions.
import { NextbestError } from '../../core/errors.js';

/** Seed of the shared ML-100K random-75-25 split; the default wherever a seed is optional. */
export const DEFAULT_SEED = 42;

/** A ratio strictly between 0 and 1. */
export function checkRatio(ratio: number, what = 'ratio'): number {
  if (!(typeof ratio === 'number' && ratio > 0 && ratio < 1))
    throw new NextbestError('BAD_OPTION', `${what} must be a number strictly between 0 and 1, got ${String(ratio)}`);
  return ratio;
}

/** A seed for Rng: an integer in [0, 2^32). */
export function checkSeed(seed: number): number {
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    throw new NextbestError('BAD_OPTION', `seed must be an integer from 0 to 4294967295, got ${String(seed)}`);
  return seed;
}

/** A count of at least 1. */
export function checkCount(n: number, what: string): number {
  if (!(Number.isInteger(n) && n >= 1))
    throw new NextbestError('BAD_OPTION', `${what} must be an integer of at least 1, got ${String(n)}`);
  return n;
}

/**
 * How many of a customer's m units stay in train: ceil(ratio * m), so a customer with a single unit
 * keeps it in train. The small slack stops float error (0.35 * 20 = 7.000000000000001) adding one.
 */
export const trainCount = (ratio: number, m: number): number => Math.min(m, Math.ceil(ratio * m - 1e-9));
