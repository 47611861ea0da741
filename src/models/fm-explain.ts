// Reasons of a ranking factorization machine (./fm-recommender): which feature of the customer's side
// (its id, an attribute, the context) raised a product's score most through the FM's pairwise terms.
import type { CsrMatrix, SparseRow } from '../matrix/index.js';
import type { FmParams } from './fm/index.js';
import type { FeatureGroup, Reason } from './reason.js';

/**
 * With the customer's features j (values x_j) and the product's features l, the score's pairwise terms
 * across the two sides are sum_j x_j <v_j, s_p>, s_p = sum_l x_l v_l: feature j adds x_j <v_j, s_p>
 * (averaged over the parameter sets). The rest of the score is the customer's own terms (equal for every
 * product) and the product's own (equal for every customer). Per product, the customer feature with the
 * largest positive term; 'none' when no term is positive.
 */
export function featureReasons(
  sets: readonly FmParams[],
  customer: SparseRow,
  productRows: CsrMatrix,
  products: Int32Array,
  groupOf: (feature: number) => { group: FeatureGroup; column: number },
): Reason[] {
  const k = sets[0].k;
  const sum = new Float64Array(k);
  const terms = new Float64Array(customer.indices.length);
  return Array.from(products, (p): Reason => {
    terms.fill(0);
    for (const { v } of sets) {
      sum.fill(0);
      for (let q = productRows.indptr[p]; q < productRows.indptr[p + 1]; q++) {
        const o = productRows.indices[q] * k;
        const x = productRows.data[q];
        for (let f = 0; f < k; f++) sum[f] += x * v[o + f];
      }
      for (let t = 0; t < terms.length; t++) {
        const o = customer.indices[t] * k;
        let d = 0;
        for (let f = 0; f < k; f++) d += v[o + f] * sum[f];
        terms[t] += (customer.data[t] * d) / sets.length;
      }
    }
    let best = -1;
    for (let t = 0; t < terms.length; t++) if (terms[t] > 0 && (best < 0 || terms[t] > terms[best])) best = t;
    if (best < 0) return { kind: 'none', weight: null };
    return { kind: 'feature', ...groupOf(customer.indices[best]), value: customer.data[best], weight: terms[best] };
  });
}
