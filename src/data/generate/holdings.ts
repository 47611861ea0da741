// The products each customer holds when they join the bank, drawn once from the planted structure
// and shared by events.csv (held products are clicked and bought less) and santander.csv (its first
// month), so both files start from the same holdings. Co-holding lifts apply in catalogue order, so
// planted pairs really co-occur.
import type { Rng } from '../../core/rng.js';
import { CatalogueInterest, PairLifts } from './affinity.js';
import { CATALOGUE } from './catalogue.js';
import type { Population } from './customers.js';
import { PLANTED } from './planted.js';
import { streamRng, STREAMS } from './seeds.js';

/**
 * Bitmask of initially held products. `chance[j]` is product j's chance before co-holding lifts
 * (base rate x interest x gates); products are drawn in index order, so every pair's `from` must precede its `to`.
 */
const drawHoldings = (rng: Rng, chance: Float64Array, pairs: PairLifts, cap: number): number => {
  let held = 0;
  for (let j = 0; j < chance.length; j++) {
    const p = Math.min(cap, chance[j] * pairs.liftFor(j, held));
    if (rng.next() < p) held |= 1 << j;
  }
  return held;
};

/** Each customer's initial holdings, bit j = CATALOGUE[j]; cold-start customers hold products too. */
export const initialHoldings = (pop: Population, seed: number): Int32Array => {
  const rng = streamRng(seed, STREAMS.catalogueHoldings);
  const interest = new CatalogueInterest();
  const pairs = new PairLifts(
    CATALOGUE.map((p) => p.id),
    PLANTED.coHolding,
  );
  const initialRate = Float64Array.from(CATALOGUE, (p) => p.initialRate);
  const chance = new Float64Array(CATALOGUE.length);
  const held = new Int32Array(pop.size);
  for (let i = 0; i < pop.size; i++) {
    interest.of(pop, i, pop.age[i], chance);
    for (let j = 0; j < chance.length; j++) chance[j] *= initialRate[j];
    held[i] = drawHoldings(rng, chance, pairs, PLANTED.funnel.maxProbability);
  }
  return held;
};
