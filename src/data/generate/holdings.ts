// Draws a customer's starting set of products from the planted structure: each product in a fixed
// order, with the co-holding lifts of the products already drawn, so planted pairs really co-occur.
import type { Rng } from '../../core/rng.js';
import type { PairLifts } from './affinity.js';

/**
 * Bitmask of initially held products. `chance[j]` is product j's chance before co-holding lifts
 * (base rate x interest x gates); `order` lists product indices so that every pair's `from` precedes its `to`.
 */
export const drawInitialHoldings = (rng: Rng, chance: Float64Array, order: Int32Array, pairs: PairLifts, cap: number): number => {
  let held = 0;
  for (let k = 0; k < order.length; k++) {
    const j = order[k];
    const p = Math.min(cap, chance[j] * pairs.liftFor(j, held));
    if (rng.next() < p) held |= 1 << j;
  }
  return held;
};
