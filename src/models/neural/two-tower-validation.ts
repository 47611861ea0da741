// The two-tower model's validation part, carved out of train for early stopping: one held pair of up
// to VALIDATION_CUSTOMERS customers with at least MIN_HISTORY positives (scored among the products not
// in their history), and, when the towers read customer attributes, new customers too: a share of the
// customers held out whole (none of their pairs trained on) and scored from their attributes alone on
// all their positives, as a customer never seen is scored. The score is the mean NDCG@10 of each part,
// averaged over the parts, so stopping weighs both the customers it knows and the ones it does not.
import type { Rng } from '../../core/rng.js';
import { shuffle, topK, type CsrMatrix } from '../../matrix/index.js';
import { heldOutNdcg } from './early-stopping.js';
import type { TwoTowerWeights } from './two-tower-forward.js';

export const VALIDATION_CUSTOMERS = 1000;
const MIN_HISTORY = 5;
/** Most share of the customers held out whole as new ones. */
const NEW_SHARE = 0.1;

export interface ValidationSplit {
  /** Positions in userItem of the held pairs of known customers. */
  held: Int32Array;
  /** Customers held out whole. */
  unseen: Int32Array;
}

/** Held pairs and (with newCustomers) customers held out whole, of the customers with enough positives. */
export function validationSplit(userItem: CsrMatrix, rng: Rng, newCustomers: boolean): ValidationSplit {
  const positives = (u: number): number[] => {
    const out: number[] = [];
    for (let q = userItem.indptr[u]; q < userItem.indptr[u + 1]; q++) if (userItem.data[q] > 0) out.push(q);
    return out;
  };
  const eligible: number[] = [];
  for (let u = 0; u < userItem.rows; u++) if (positives(u).length >= MIN_HISTORY) eligible.push(u);
  shuffle(eligible, eligible.length, rng);
  const unseenCount = newCustomers ? Math.min(VALIDATION_CUSTOMERS / 2, Math.floor(eligible.length * NEW_SHARE)) : 0;
  const unseen = eligible.slice(0, unseenCount).sort((a, b) => a - b);
  const known = eligible.slice(unseenCount, unseenCount + VALIDATION_CUSTOMERS - unseenCount).sort((a, b) => a - b);
  const held = known.map((u) => {
    const q = positives(u);
    return q[rng.int(q.length)];
  });
  return { held: Int32Array.from(held), unseen: Int32Array.from(unseen) };
}

/** Scores of every product for a customer (products long), from weights. */
export type ScoreAll = (w: TwoTowerWeights, customer: number, scores: Float64Array) => void;

/**
 * The validation score: NDCG@10 of each held pair's product among the products not in its customer's
 * history (scored as known), and of each unseen customer's positives among all products (scored as
 * new), averaged within each part and then over the parts present.
 */
export function validationNdcg(w: TwoTowerWeights, products: number, history: CsrMatrix, userItem: CsrMatrix, split: ValidationSplit, known: ScoreAll, unseen: ScoreAll): number {
  const scores = new Float64Array(products);
  const mark = new Uint8Array(products);
  const parts: number[] = [];
  if (split.held.length) {
    let sum = 0;
    for (const q of split.held) {
      const u = ownerOf(userItem, q);
      known(w, u, scores);
      const row = history.row(u).indices;
      for (const p of row) mark[p] = 1;
      sum += heldOutNdcg(scores, userItem.indices[q], (p) => mark[p] === 1);
      for (const p of row) mark[p] = 0;
    }
    parts.push(sum / split.held.length);
  }
  if (split.unseen.length) {
    let sum = 0;
    for (const u of split.unseen) {
      unseen(w, u, scores);
      let relevant = 0;
      for (let q = userItem.indptr[u]; q < userItem.indptr[u + 1]; q++) if (userItem.data[q] > 0) mark[userItem.indices[q]] = 1;
      for (const m of mark) relevant += m;
      const top = topK(scores, 10).items;
      let dcg = 0;
      top.forEach((p, i) => mark[p] && (dcg += 1 / Math.log2(i + 2)));
      let ideal = 0;
      for (let i = 0; i < Math.min(10, relevant); i++) ideal += 1 / Math.log2(i + 2);
      mark.fill(0);
      sum += ideal > 0 ? dcg / ideal : 0;
    }
    parts.push(sum / split.unseen.length);
  }
  return parts.length ? parts.reduce((s, x) => s + x, 0) / parts.length : 0;
}

/** The customer whose row holds position q of m. */
export function ownerOf(m: CsrMatrix, q: number): number {
  let lo = 0;
  let hi = m.rows - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (m.indptr[mid] <= q) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
