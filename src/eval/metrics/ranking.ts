// Top-N ranking metrics at K, exactly as ../shared/BENCHMARKS.md defines them, kept per customer so the
// runner can bootstrap and pair-test them. ../shared/tools/score-topn.mjs is the independent check.
import { NextbestError } from '../../core/errors.js';
import type { CsrMatrix } from '../../matrix/index.js';
import { checkK, checkSameLength, itemsOf, type RankedList } from './lists.js';

/** Metric names; keys of the result are `${name}@${k}`, e.g. 'ndcg@10'. */
export const RANKING_METRIC_NAMES = ['precision', 'recall', 'hr', 'ndcg', 'map', 'map_ms', 'mrr'] as const;
export type RankingMetricName = (typeof RANKING_METRIC_NAMES)[number];

export interface RankingMetrics {
  /** Customers scored (the length of every per-customer array). */
  users: number;
  /** Keyed `${name}@${k}`; entry j belongs to users[j]. */
  perUser: Record<string, Float64Array>;
  /** Mean of each per-customer array (NaN when no customers were given). */
  mean: Record<string, number>;
}

/** Customers (rows of test) with at least one held-out product: the ones top-N metrics average over. */
export function usersWithTest(test: CsrMatrix): Int32Array {
  let n = 0;
  for (let u = 0; u < test.rows; u++) if (test.indptr[u + 1] > test.indptr[u]) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let u = 0; u < test.rows; u++) if (test.indptr[u + 1] > test.indptr[u]) out[n++] = u;
  return out;
}

/**
 * Precision, Recall, HR, NDCG, MAP, MAP(MS) and MRR at each K, for customers users[j] whose ranked list
 * (best first) is recs[j]. Relevant products of customer u are the stored entries of test row u (any
 * value, binary relevance). Per customer, with hit positions p (1-based) among the first K:
 *   precision = hits / K (a list shorter than K is not rescaled), recall = hits / |test|,
 *   hr = [hits > 0], ndcg = sum 1/log2(p+1) / IDCG over min(K, |test|) positions,
 *   map = sum Precision@p / min(K, |test|), map_ms = the same sum / |test| (Microsoft Recommenders),
 *   mrr = 1 / first hit position (0 without a hit).
 * A product repeated in a list counts as a hit only the first time; indices outside 0..test.cols-1
 * (e.g. -1 padding) occupy their position but never hit. Every customer passed must have at least one
 * test product (see usersWithTest): the benchmark averages over exactly those customers.
 */
export function rankingMetrics(
  recs: readonly RankedList[],
  users: Int32Array,
  test: CsrMatrix,
  k: number | readonly number[],
): RankingMetrics {
  checkSameLength('rankingMetrics recs and users', recs, users);
  const ks = typeof k === 'number' ? [k] : [...k];
  if (ks.length === 0) throw new NextbestError('BAD_OPTION', 'rankingMetrics needs at least one K');
  ks.forEach(checkK);
  const maxK = Math.max(...ks);
  const n = users.length;

  // idcg[m] = sum over the first m positions of 1 / log2(p + 1), p 1-based.
  const idcg = new Float64Array(maxK + 1);
  for (let m = 1; m <= maxK; m++) idcg[m] = idcg[m - 1] + 1 / Math.log2(m + 1);

  const perUser: Record<string, Float64Array> = {};
  for (const kk of ks) for (const name of RANKING_METRIC_NAMES) perUser[`${name}@${kk}`] = new Float64Array(n);
  const columns = ks.map((kk) => RANKING_METRIC_NAMES.map((name) => perUser[`${name}@${kk}`]));

  const relevant = new Uint8Array(test.cols);
  const hitAt = new Int32Array(maxK); // 0-based positions of hits, ascending
  for (let j = 0; j < n; j++) {
    const u = users[j];
    if (!(u >= 0 && u < test.rows))
      throw new NextbestError('INTERNAL', `customer index ${u} is outside the test matrix (0..${test.rows - 1})`);
    const rel = test.row(u).indices;
    if (rel.length === 0)
      throw new NextbestError('INTERNAL', `customer ${u} has no test products; pass only usersWithTest(test)`);
    for (let t = 0; t < rel.length; t++) relevant[rel[t]] = 1;

    const items = itemsOf(recs[j]);
    const len = Math.min(items.length, maxK);
    let nHits = 0;
    for (let p = 0; p < len; p++) {
      const item = items[p];
      if (item >= 0 && item < test.cols && relevant[item] === 1) {
        relevant[item] = 0; // a repeat of this product is not a second hit
        hitAt[nHits++] = p;
      }
    }
    for (let t = 0; t < rel.length; t++) relevant[rel[t]] = 0;

    for (let q = 0; q < ks.length; q++) {
      const kk = ks[q];
      let hits = 0;
      let dcg = 0;
      let ap = 0;
      for (let h = 0; h < nHits && hitAt[h] < kk; h++) {
        const p = hitAt[h];
        hits++;
        dcg += 1 / Math.log2(p + 2);
        ap += hits / (p + 1);
      }
      const m = Math.min(kk, rel.length);
      const [precision, recall, hr, ndcg, map, mapMs, mrr] = columns[q];
      precision[j] = hits / kk;
      recall[j] = hits / rel.length;
      hr[j] = hits > 0 ? 1 : 0;
      ndcg[j] = dcg / idcg[m];
      map[j] = ap / m;
      mapMs[j] = ap / rel.length;
      mrr[j] = hits > 0 ? 1 / (hitAt[0] + 1) : 0;
    }
  }

  const mean: Record<string, number> = {};
  for (const [key, values] of Object.entries(perUser)) {
    let s = 0;
    for (let j = 0; j < n; j++) s += values[j];
    mean[key] = n === 0 ? NaN : s / n;
  }
  return { users: n, perUser, mean };
}
