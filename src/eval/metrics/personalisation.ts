// Personalisation: 1 - the mean overlap between two customers' lists. Near 0 when everyone gets the
// same products, near 1 when lists rarely share any; with many customers a seeded sample of pairs is used.
import { NextbestError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { itemsOf, type RankedList } from './lists.js';

export interface PersonalisationOptions {
  /** Use only the first k entries of each list (default: all). */
  k?: number;
  /** Overlap of two lists as sets A, B: 'cosine' |A∩B| / sqrt(|A||B|) (default) or 'jaccard' |A∩B| / |A∪B|. */
  similarity?: 'cosine' | 'jaccard';
  /** When there are more distinct pairs than this, draw this many pairs at random instead (default 100 000). */
  maxPairs?: number;
  /** Seed of the pair sample (default 1). */
  seed?: number;
}

/**
 * 1 - mean similarity over pairs of customers' lists (each list taken as a set of its first k valid,
 * non-negative product indices). Empty lists are left out; NaN when fewer than two lists remain. All
 * pairs are used when there are at most maxPairs; otherwise maxPairs pairs of distinct customers are
 * drawn uniformly with a seeded generator, so the figure is reproducible.
 */
export function personalisation(recs: readonly RankedList[], options: PersonalisationOptions = {}): number {
  const { k = Infinity, similarity = 'cosine', maxPairs = 100_000, seed = 1 } = options;
  if (!(Number.isInteger(maxPairs) && maxPairs >= 1))
    throw new NextbestError('BAD_OPTION', `personalisation maxPairs must be a positive integer, got ${maxPairs}`);
  const sets: Int32Array[] = [];
  for (const list of recs) {
    const raw = itemsOf(list);
    const items: number[] = [];
    for (let p = 0; p < Math.min(raw.length, k); p++) if (raw[p] >= 0) items.push(raw[p]);
    if (items.length === 0) continue;
    const sorted = Int32Array.from(items).sort();
    let m = 1;
    for (let p = 1; p < sorted.length; p++) if (sorted[p] !== sorted[m - 1]) sorted[m++] = sorted[p];
    sets.push(sorted.subarray(0, m));
  }
  const n = sets.length;
  if (n < 2) return NaN;

  const overlap = (a: Int32Array, b: Int32Array): number => {
    let common = 0;
    for (let p = 0, q = 0; p < a.length && q < b.length; ) {
      if (a[p] === b[q]) {
        common++;
        p++;
        q++;
      } else if (a[p] < b[q]) p++;
      else q++;
    }
    return similarity === 'jaccard' ? common / (a.length + b.length - common) : common / Math.sqrt(a.length * b.length);
  };

  let sum = 0;
  const allPairs = (n * (n - 1)) / 2;
  if (allPairs <= maxPairs) {
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) sum += overlap(sets[a], sets[b]);
    return 1 - sum / allPairs;
  }
  const rng = new Rng(seed);
  for (let t = 0; t < maxPairs; t++) {
    const a = rng.int(n);
    let b = rng.int(n - 1);
    if (b >= a) b++;
    sum += overlap(sets[a], sets[b]);
  }
  return 1 - sum / maxPairs;
}
