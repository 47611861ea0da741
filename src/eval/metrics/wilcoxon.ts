// Wilcoxon signed-rank test of paired per-customer values: a rank-based alternative to the paired
// t-test for skewed metrics (most customers score 0 on top-N metrics). Normal approximation, tie-corrected.
import { checkSameLength } from './lists.js';
import { normalTwoSidedP } from './special.js';

export interface WilcoxonResult {
  /** Non-zero differences ranked (zero differences and NaN pairs are dropped). */
  n: number;
  /** Sum of the ranks of the positive differences a - b. */
  wPlus: number;
  /** Sum of the ranks of the negative differences. */
  wMinus: number;
  z: number;
  /** Two-sided p-value from the normal approximation. */
  p: number;
}

/**
 * Signed-rank test of a - b: zero differences are dropped (Wilcoxon's method), |d| ranked with ties
 * given their average rank, z = (W+ - n(n+1)/4) / sqrt(n(n+1)(2n+1)/24 - sum(t^3 - t)/48) over tie
 * groups of size t. With continuity: true, |W+ - n(n+1)/4| is reduced by 1/2. The approximation wants
 * n of about 20 or more. When no difference is non-zero, z = 0 and p = 1.
 */
export function wilcoxonSignedRank(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { continuity?: boolean } = {},
): WilcoxonResult {
  checkSameLength('wilcoxonSignedRank a and b', a, b);
  const d: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] - b[i];
    if (x === x && x !== 0) d.push(x);
  }
  const n = d.length;
  if (n === 0) return { n, wPlus: 0, wMinus: 0, z: 0, p: 1 };
  const order = d.map((_, i) => i).sort((i, j) => Math.abs(d[i]) - Math.abs(d[j]));
  let wPlus = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && Math.abs(d[order[end]]) === Math.abs(d[order[start]])) end++;
    const rank = (start + 1 + end) / 2; // average of ranks start+1 .. end
    for (let r = start; r < end; r++) if (d[order[r]] > 0) wPlus += rank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  const total = (n * (n + 1)) / 2;
  const expected = total / 2;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  let diff = wPlus - expected;
  if (options.continuity) diff = Math.sign(diff) * Math.max(Math.abs(diff) - 0.5, 0);
  const z = variance > 0 ? diff / Math.sqrt(variance) : 0;
  return { n, wPlus, wMinus: total - wPlus, z, p: normalTwoSidedP(z) };
}
