// Why a model scored a product for a customer, as structured data in the model's index space (product
// indices, feature columns). src/app/reasons.ts turns a Reason into the words a bank agent reads.

/** The feature groups a factorization machine's customer side holds. */
export type FeatureGroup = 'ids' | 'customer' | 'context';

export type Reason =
  /**
   * A product in the customer's history raised the score most. measure 'contribution': the score is a
   * sum over history products and `weight` is this product's term, `total` the sum of all terms (the
   * score it explains); 'similarity': the model's score has no such sum (BPR, WARP), `weight` is the
   * cosine between the two products' factors, the history product closest to the scored one (total null);
   * 'attention': a sequence model's prediction attended to this event most, `weight` its attention (total null).
   */
  | { kind: 'held-product'; product: number; weight: number; total: number | null; measure: 'contribution' | 'similarity' | 'attention' }
  /** `customers` of the customer's `neighbours` most similar customers hold the product; weight: the score. */
  | { kind: 'similar-customers'; customers: number; neighbours: number; weight: number }
  /**
   * Popularity: global or segment, `customers` who have the product (in `segment` when given); trending,
   * `weight` is the age-decayed count of its positive events.
   */
  | { kind: 'popular'; basis: 'global' | 'segment' | 'trending'; customers: number | null; segment: string | null; weight: number }
  /**
   * The customer-side feature whose pairwise interactions with the product's features raised the score
   * most: its group, its column within the group (-1 for the customer's id), its value, and its term.
   */
  | { kind: 'feature'; group: FeatureGroup; column: number; value: number; weight: number }
  /** Nothing the customer has raised the score (weight: the score, null where the model has no such sum). */
  | { kind: 'none'; weight: number | null };

/**
 * The reason from per-history-entry contributions (their sum is the score): the history product with
 * the largest positive term, or 'none' when no term is positive.
 */
export function topContribution(history: { indices: Int32Array }, terms: Float64Array): Reason {
  let best = -1;
  let total = 0;
  for (let t = 0; t < terms.length; t++) {
    total += terms[t];
    if (terms[t] > 0 && (best < 0 || terms[t] > terms[best])) best = t;
  }
  if (best < 0) return { kind: 'none', weight: total };
  return { kind: 'held-product', product: history.indices[best], weight: terms[best], total, measure: 'contribution' };
}
