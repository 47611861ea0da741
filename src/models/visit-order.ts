// The order SGD visits the rows of a design in. A fresh full random permutation every epoch misses the
// cache on almost every row, and on the factors of the row's customer, once the design is far larger
// than the cache (measured: FM SGD took 15x the time per epoch for 10x the rows, 1 M -> 10 M). Instead
// each epoch visits blocks of BLOCK consecutive rows in random order, the rows of every MIX consecutive
// blocks of that order shuffled together: steps still come from MIX random places in the data, while a
// group's rows (and, in a design built from a log, their customers' factors) stay in cache. Measured
// on ML-RATING SGD, seeds 1-3: the same RMSE as a full shuffle (mean 0.9243 vs 0.9244 with side
// features, 0.9275 vs 0.9275 ids only), 3x faster per epoch at 1 M synthetic rows.
import type { Rng } from '../../core/rng.js';

const BLOCK = 64;
const MIX = 64;

/** Fills order (one entry per row) with this epoch's visiting order. */
export function blockOrder(order: Int32Array, rng: Rng): void {
  const n = order.length;
  const blocks = Math.ceil(n / BLOCK);
  const perm = new Int32Array(blocks);
  for (let b = 0; b < blocks; b++) perm[b] = b;
  shuffleInPlace(perm, 0, blocks, rng);
  let o = 0;
  for (let t = 0; t < blocks; t += MIX) {
    const from = o;
    for (let g = t; g < Math.min(blocks, t + MIX); g++) {
      const end = Math.min(n, (perm[g] + 1) * BLOCK);
      for (let i = perm[g] * BLOCK; i < end; i++) order[o++] = i;
    }
    shuffleInPlace(order, from, o, rng);
  }
}

/** Fisher-Yates over a[from .. to). */
function shuffleInPlace(a: Int32Array, from: number, to: number, rng: Rng): void {
  for (let i = to - 1; i > from; i--) {
    const r = from + rng.int(i - from + 1);
    const tmp = a[i];
    a[i] = a[r];
    a[r] = tmp;
  }
}
