// Compiles the planted preference, seasonality and co-holding tables into flat typed arrays
// indexed by customer profile and product, so the per-row loops do array reads, not object look-ups.
import { CATALOGUE, catalogueIndex } from './catalogue.js';
import type { Population } from './customers.js';
import { PLANTED, type CoHoldingPair } from './planted.js';
import { BEH_SEGMENTS, LIFE_STAGES, SEGMENTS, type ProductType, type Segment } from './vocab.js';

/** A profile is (segment, life stage, behavioural segment); everything about interest depends only on it. */
export const PROFILE_COUNT = SEGMENTS.length * LIFE_STAGES.length * BEH_SEGMENTS.length;

export const profileIndex = (segment: number, lifeStage: number, beh: number): number =>
  (segment * LIFE_STAGES.length + lifeStage) * BEH_SEGMENTS.length + beh;

/** Planted interest of one profile in one product type (segment x life stage x behaviour lifts). */
export const typeInterest = (segment: number, lifeStage: number, beh: number, type: ProductType): number => {
  const p = PLANTED.preference;
  return p.segment[SEGMENTS[segment]][type] * p.lifeStage[LIFE_STAGES[lifeStage]][type] * p.behaviour[BEH_SEGMENTS[beh]][type];
};

/** PROFILE_COUNT x products interest table; `boost(product, segment)` adds product-specific segment boosts. */
export const compileInterest = (
  types: readonly ProductType[],
  boost: (product: number, segment: Segment) => number = () => 1,
): Float64Array => {
  const n = types.length;
  const table = new Float64Array(PROFILE_COUNT * n);
  for (let s = 0; s < SEGMENTS.length; s++)
    for (let l = 0; l < LIFE_STAGES.length; l++)
      for (let b = 0; b < BEH_SEGMENTS.length; b++) {
        const row = profileIndex(s, l, b) * n;
        for (let j = 0; j < n; j++) table[row + j] = typeInterest(s, l, b, types[j]) * boost(j, SEGMENTS[s]);
      }
  return table;
};

/** products x 12 seasonality multipliers (calendar month 0 = January). */
export const compileSeason = (types: readonly ProductType[]): Float64Array => {
  const table = new Float64Array(types.length * 12);
  types.forEach((t, j) => PLANTED.seasonality[t].forEach((v, m) => (table[j * 12 + m] = v)));
  return table;
};

/** Co-holding lifts grouped by the lifted product (compressed rows), for a product's lift given a holdings mask. */
export class PairLifts {
  private readonly start: Int32Array;
  private readonly fromBit: Int32Array;
  private readonly lift: Float64Array;

  constructor(ids: readonly string[], pairs: readonly CoHoldingPair[]) {
    const n = ids.length;
    const idx = (id: string): number => {
      const i = ids.indexOf(id);
      if (i < 0) throw new Error(`co-holding pair names unknown product ${id}`);
      return i;
    };
    const sorted = pairs.map((p) => ({ from: idx(p.from), to: idx(p.to), lift: p.lift })).sort((a, b) => a.to - b.to);
    this.start = new Int32Array(n + 1);
    this.fromBit = new Int32Array(sorted.length);
    this.lift = new Float64Array(sorted.length);
    sorted.forEach((p, k) => {
      this.start[p.to + 1]++;
      this.fromBit[k] = 1 << p.from;
      this.lift[k] = p.lift;
    });
    for (let j = 0; j < n; j++) this.start[j + 1] += this.start[j];
  }

  /** Product of the lifts onto `product` from the products held in `holdings`. */
  liftFor(product: number, holdings: number): number {
    let f = 1;
    for (let k = this.start[product]; k < this.start[product + 1]; k++) if (holdings & this.fromBit[k]) f *= this.lift[k];
    return f;
  }
}

/**
 * Interest of a customer in products of the catalogue (all of it, or the products named by `ids`, in
 * that order): planted interest with the products' segment boosts, times the gate factor when the
 * customer's income is under a product's min_income or their age over its maxAge.
 */
export class CatalogueInterest {
  private readonly table: Float64Array;
  private readonly minIncomeCents: Float64Array;
  private readonly maxAge: Float64Array;

  constructor(ids: readonly string[] = CATALOGUE.map((p) => p.id)) {
    const products = ids.map((id) => CATALOGUE[catalogueIndex(id)]);
    this.table = compileInterest(
      products.map((p) => p.type),
      (j, seg) => products[j].segmentBoost?.[seg] ?? 1,
    );
    this.minIncomeCents = Float64Array.from(products, (p) => p.minIncome * 100);
    this.maxAge = Float64Array.from(products, (p) => p.maxAge ?? Infinity);
  }

  /** Customer i's interest in each product, at `age`, written into `out` (one slot per product). */
  of(pop: Population, i: number, age: number, out: Float64Array): void {
    const n = this.maxAge.length;
    const row = profileIndex(pop.segment[i], pop.lifeStage[i], pop.beh[i]) * n;
    const income = pop.incomeCents[i];
    for (let j = 0; j < n; j++) {
      const gate = income < this.minIncomeCents[j] || age > this.maxAge[j] ? PLANTED.preference.gateFactor : 1;
      out[j] = this.table[row + j] * gate;
    }
  }
}
