// The Santander Product Recommendation score: Kaggle's MAP@7 of each customer's ranked products against
// the products they newly added that month. Customers who added nothing score 0 and still count.
import { NextbestError } from '../../core/errors.js';
import type { CsrMatrix } from '../../matrix/index.js';
import { checkK, checkSameLength, itemsOf, type PerUserMetric, type RankedList } from './lists.js';

/**
 * Kaggle's apk (ml_metrics / benhamner), line for line: over the first k predictions, add
 * hits-so-far / position at each prediction that is in actual and not already predicted earlier; divide
 * by min(actual.length, k). 0 when actual is empty. (Unlike MAP@K of ../shared/BENCHMARKS.md, a repeated
 * prediction is never a second hit, and an empty actual scores 0 rather than being excluded.)
 */
export function apk(actual: ArrayLike<number>, predicted: ArrayLike<number>, k: number): number {
  checkK(k);
  if (actual.length === 0) return 0;
  const inActual = new Set<number>();
  for (let i = 0; i < actual.length; i++) inActual.add(actual[i]);
  const earlier = new Set<number>();
  const len = Math.min(predicted.length, k);
  let score = 0;
  let hits = 0;
  for (let i = 0; i < len; i++) {
    const p = predicted[i];
    if (inActual.has(p) && !earlier.has(p)) {
      hits++;
      score += hits / (i + 1);
    }
    earlier.add(p);
  }
  return score / Math.min(actual.length, k);
}

/** Kaggle's mapk: the plain mean of apk over all customers, empty actual lists included as 0. NaN for no customers. */
export function mapk(actual: readonly ArrayLike<number>[], predicted: readonly ArrayLike<number>[], k: number): number {
  checkSameLength('mapk actual and predicted', actual, predicted);
  if (actual.length === 0) return NaN;
  let s = 0;
  for (let j = 0; j < actual.length; j++) s += apk(actual[j], predicted[j], k);
  return s / actual.length;
}

export interface SantanderMap extends PerUserMetric {
  /** Customers with at least one newly added product (the rest score 0). */
  withAdditions: number;
}

/**
 * MAP@k (k = 7 for the competition) of recs[j] for customer customers[j] against row customers[j] of
 * added (customers x products: the products the customer holds this month and did not hold the month
 * before). Every customer passed counts in the mean, as on the Kaggle leaderboard, so pass all customers
 * being scored, not only those with additions.
 */
export function santanderMap(
  recs: readonly RankedList[],
  customers: Int32Array,
  added: CsrMatrix,
  k = 7,
): SantanderMap {
  checkSameLength('santanderMap recs and customers', recs, customers);
  checkK(k);
  const perUser = new Float64Array(customers.length);
  let withAdditions = 0;
  let sum = 0;
  for (let j = 0; j < customers.length; j++) {
    const u = customers[j];
    if (!(u >= 0 && u < added.rows))
      throw new NextbestError('INTERNAL', `customer index ${u} is outside the additions matrix (0..${added.rows - 1})`);
    const actual = added.row(u).indices;
    if (actual.length > 0) withAdditions++;
    perUser[j] = apk(actual, itemsOf(recs[j]), k);
    sum += perUser[j];
  }
  return { perUser, mean: customers.length === 0 ? NaN : sum / customers.length, withAdditions };
}
