// The order SGD visits its steps in (FM rows; BPR and WARP (customer, product) pairs). A fresh full
// random permutation every epoch misses the cache on almost every step, on the row and on the factors
// of its customer, once the data is far larger than the cache (measured: FM SGD took 15x the time per
// epoch for 10x the rows, 1 M -> 10 M; BPR and WARP 17-19x). Instead each epoch visits blocks of
// BLOCK consecutive steps in random order, the steps of every MIX consecutive blocks of that order
// shuffled together: steps still come from MIX random places in the data, while a group's rows and
// their customers' factors (steps are in customer order) stay in cache. Measured on ML-RATING FM SGD,
// seeds 1-3: the same RMSE as a full shuffle (mean 0.9243 vs 0.9244 with side features, 0.9275 vs
// 0.9275 ids only), 3x faster per epoch at 1 M synthetic rows.
import type { Rng } from '../core/rng.js';

const BLOCK = 64;
const MIX = 64;

/** Fills order with this epoch's visiting order of steps[0 .. order.length), or of 0 .. order.length - 1. */
export function blockOrder(order: Int32Array, rng: Rng, steps?: Int32Array): void {
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
      for (let i = perm[g] * BLOCK; i < end; i++) order[o++] = steps ? steps[i] : i;
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
