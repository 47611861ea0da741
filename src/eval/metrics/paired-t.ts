// Paired t-test of two models' per-customer metric values: is the mean difference distinguishable
// from zero? Two-sided, p from the Student t distribution with n - 1 degrees of freedom.
import { checkSameLength } from './lists.js';
import { studentTTwoSidedP } from './special.js';

export interface PairedTestResult {
  /** Pairs used (pairs with a NaN on either side are left out). */
  n: number;
  /** Mean of a - b. */
  meanDiff: number;
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Paired t-test of a[i] vs b[i] (same customers, same order): t = mean(d) / (sd(d) / sqrt n) with
 * d = a - b and the n - 1 standard deviation. When every difference is equal, t is ±Infinity (p = 0)
 * or, when they are all zero, 0 (p = 1). t and p are NaN for fewer than two pairs.
 */
export function pairedTest(a: ArrayLike<number>, b: ArrayLike<number>): PairedTestResult {
  checkSameLength('pairedTest a and b', a, b);
  const d: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] - b[i];
    if (x === x) d.push(x);
  }
  const n = d.length;
  let sum = 0;
  for (const x of d) sum += x;
  const meanDiff = n === 0 ? NaN : sum / n;
  if (n < 2) return { n, meanDiff, t: NaN, df: n - 1, p: NaN };
  let ss = 0;
  for (const x of d) ss += (x - meanDiff) * (x - meanDiff);
  const se = Math.sqrt(ss / (n - 1) / n);
  const df = n - 1;
  if (se === 0) {
    if (meanDiff === 0) return { n, meanDiff, t: 0, df, p: 1 };
    return { n, meanDiff, t: meanDiff > 0 ? Infinity : -Infinity, df, p: 0 };
  }
  const t = meanDiff / se;
  return { n, meanDiff, t, df, p: studentTTwoSidedP(t, df) };
}
