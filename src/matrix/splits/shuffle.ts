// Seeded in-place Fisher-Yates shuffle, drawn exactly as ../shared/data/ml-100k/splits/make_splits.js draws.
import type { Rng } from '../../core/rng.js';

/** Shuffles a[0 .. n-1]: for i = n-1 down to 1, j = floor(rng * (i + 1)), swap a[i] and a[j]. */
export function shuffle<T>(a: { [i: number]: T }, n: number, rng: Rng): void {
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
