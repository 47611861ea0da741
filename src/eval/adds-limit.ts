// The limit of the adds task on generated data: every customer's list ranked by the planted add hazards
// (src/data/generate/santander.ts) of the month predicted, given what they held the month before, scored
// with Kaggle's MAP@K. No model can expect to do better; a model's distance to it is what is left to learn.
import { NextbestError } from '../core/errors.js';
import { PLANTED, type Population } from '../data/generate/index.js';
import { customerNumber } from '../data/generate/customers.js';
import { santanderAddHazards } from '../data/generate/santander.js';
import { SANTANDER_PRODUCTS } from '../data/formats/santander.js';
import { topK, type TopK } from '../matrix/index.js';
import type { MonthlyHoldings } from '../matrix/holdings.js';
import { santanderMap, type SantanderMap } from './metrics/index.js';

/** Kaggle MAP@k of ranking by the planted hazards, over the customers of month t - 1 (as evaluate --task adds ranks them). */
export function plantedAddsLimit(h: MonthlyHoldings, t: number, pop: Population, k = 7): SantanderMap {
  const columns = PLANTED.santander.products;
  // The store names a column by its Kaggle code, or by its catalogue product when santander-columns.csv was loaded.
  const column = Int32Array.from(h.products.ids(), (id) => {
    const j = columns.findIndex((c) => c.product === id || SANTANDER_PRODUCTS.find((p) => p.column === c.flag)?.productId === id);
    if (j < 0) throw new NextbestError('UNSUITABLE_DATA', `product ${id} is not a column of the generated Santander file`);
    return j;
  });
  const date = new Date(h.months[t] * 1000);
  const month = date.getUTCFullYear() * 12 + date.getUTCMonth();
  const users = h.presentAt(t - 1);
  const hazards = new Float64Array(columns.length);
  const scores = new Float64Array(h.products.size);
  const skip = new Uint8Array(h.products.size);
  const recs: TopK[] = [];
  for (const u of users) {
    const i = Number(h.customers.id(u)) - customerNumber(0);
    if (!(i >= 0 && i < pop.size)) throw new NextbestError('UNSUITABLE_DATA', `customer ${h.customers.id(u)} is not one of the generated population`);
    const heldMask = h.masks[t - 1][u];
    let held = 0;
    for (let p = 0; p < column.length; p++) if ((heldMask >>> p) & 1) held |= 1 << column[p];
    santanderAddHazards(pop, i, month, held, hazards);
    for (let p = 0; p < column.length; p++) {
      scores[p] = hazards[column[p]];
      skip[p] = (heldMask >>> p) & 1;
    }
    recs.push(topK(scores, k, skip));
  }
  return santanderMap(recs, users, h.addedMatrix(t), k);
}
