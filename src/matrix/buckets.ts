// Quantile buckets of a numeric variable: cut points from a sorted sample, and the bucket of a value.

/** Ascending cut points at the 1/B .. (B-1)/B quantiles, without repeats or a cut at the minimum (no empty buckets). */
export function quantileCuts(sorted: ArrayLike<number>, buckets: number): number[] {
  const cuts: number[] = [];
  for (let k = 1; k < buckets; k++) {
    const q = sorted[Math.floor((k * sorted.length) / buckets)];
    if (q > (cuts.length ? cuts[cuts.length - 1] : sorted[0])) cuts.push(q);
  }
  return cuts;
}

/** Number of cuts <= x, i.e. the bucket of x (0 .. cuts.length). */
export function bucketOf(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
