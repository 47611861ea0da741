// AUC of two scorings of the same labelled events, and a percentile bootstrap of their difference that
// resamples clusters (customers) with replacement, so that the events of one customer, which are not
// independent, move together. Each arm's order is sorted once; a resample only reweights events, so
// it costs one pass per arm.
import { NextbestError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { quantileSorted, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.js';

export interface PairedAuc {
  a: number;
  b: number;
  /** a - b, with the interval of the resamples' differences. */
  difference: ConfidenceInterval;
}

/** Events in ascending score order (ties adjacent). */
const ascending = (scores: ArrayLike<number>): Int32Array => Int32Array.from({ length: scores.length }, (_, i) => i).sort((x, y) => scores[x] - scores[y]);

/** AUC of labels (1 positive) with event weights, over events sorted by score (ties count one half). */
function weightedAuc(order: Int32Array, scores: ArrayLike<number>, labels: Uint8Array, weight: (event: number) => number): number {
  let negBelow = 0;
  let pos = 0;
  let neg = 0;
  let area = 0;
  for (let s = 0; s < order.length; ) {
    let p = 0;
    let n = 0;
    const x = scores[order[s]];
    for (; s < order.length && scores[order[s]] === x; s++) {
      const e = order[s];
      const w = weight(e);
      if (labels[e]) p += w;
      else n += w;
    }
    area += p * (negBelow + 0.5 * n);
    negBelow += n;
    pos += p;
    neg += n;
  }
  return pos > 0 && neg > 0 ? area / (pos * neg) : NaN;
}

/**
 * AUC of scores a and of scores b for the same events, and the bootstrap interval of a - b over
 * clusters: cluster[e] is event e's cluster (0 .. clusters - 1).
 */
export function pairedAuc(labels: Uint8Array, a: ArrayLike<number>, b: ArrayLike<number>, cluster: Int32Array, options: BootstrapOptions = {}): PairedAuc {
  const { samples = 1000, seed = 1, level = 0.95 } = options;
  const n = labels.length;
  if (a.length !== n || b.length !== n || cluster.length !== n) throw new NextbestError('INTERNAL', `paired AUC needs one label, two scores and a cluster per event`);
  if (!(Number.isInteger(samples) && samples >= 1)) throw new NextbestError('BAD_OPTION', `bootstrap samples must be a positive integer, got ${samples}`);
  if (!(level > 0 && level < 1)) throw new NextbestError('BAD_OPTION', `bootstrap level must be in (0, 1), got ${level}`);
  const orderA = ascending(a);
  const orderB = ascending(b);
  const one = () => 1;
  const aucA = weightedAuc(orderA, a, labels, one);
  const aucB = weightedAuc(orderB, b, labels, one);
  const clusters = cluster.reduce((m, c) => Math.max(m, c + 1), 0);
  const times = new Float64Array(clusters);
  const rng = new Rng(seed);
  const diffs = new Float64Array(samples);
  const w = (e: number) => times[cluster[e]];
  for (let s = 0; s < samples; s++) {
    times.fill(0);
    for (let i = 0; i < clusters; i++) times[rng.int(clusters)]++;
    diffs[s] = weightedAuc(orderA, a, labels, w) - weightedAuc(orderB, b, labels, w);
  }
  const kept = Float64Array.from(diffs.filter((d) => d === d)).sort();
  const alpha = (1 - level) / 2;
  return { a: aucA, b: aucB, difference: { mean: aucA - aucB, low: quantileSorted(kept, alpha), high: quantileSorted(kept, 1 - alpha) } };
}
