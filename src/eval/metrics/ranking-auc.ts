// Per-customer AUC of a model's full score vector: how often a held-out product outscores a product
// the customer never had, averaged over customers. The all-items counterpart of the top-N metrics.
import { NextbestError } from '../../core/errors.js';
import type { CsrMatrix } from '../../matrix/index.js';
import { aucOfScores } from './auc.js';
import { meanDefined, type PerUserMetric } from './lists.js';

/** Dense scores over all products for a customer: a function of the customer index, or one array per entry of users. */
export type DenseScores = ((user: number) => ArrayLike<number>) | readonly ArrayLike<number>[];

/**
 * For customer users[j]: positives are the products stored in test row u, negatives all products in
 * neither test nor train row u (train may be null: then every non-test product is a negative). Scores
 * come from scores(u), or scores[j] when an array of arrays is given; each has test.cols entries.
 * Ties count 1/2, NaN scores count as -Infinity. A customer without positives or negatives gets NaN
 * and is left out of the mean.
 */
export function rankingAuc(
  users: Int32Array,
  test: CsrMatrix,
  train: CsrMatrix | null,
  scores: DenseScores,
): PerUserMetric {
  if (train && (train.rows !== test.rows || train.cols !== test.cols))
    throw new NextbestError('INTERNAL', `train is ${train.rows} x ${train.cols} but test is ${test.rows} x ${test.cols}`);
  if (typeof scores !== 'function' && scores.length !== users.length)
    throw new NextbestError('INTERNAL', `rankingAuc got ${scores.length} score arrays for ${users.length} customers`);
  const nItems = test.cols;
  const mark = new Uint8Array(nItems); // 1 = test, 2 = train only
  const pos = new Float64Array(nItems);
  const neg = new Float64Array(nItems);
  const perUser = new Float64Array(users.length);
  for (let j = 0; j < users.length; j++) {
    const u = users[j];
    if (!(u >= 0 && u < test.rows))
      throw new NextbestError('INTERNAL', `customer index ${u} is outside the test matrix (0..${test.rows - 1})`);
    const s = typeof scores === 'function' ? scores(u) : scores[j];
    if (s.length !== nItems)
      throw new NextbestError('INTERNAL', `scores for customer ${u} have ${s.length} entries, expected ${nItems}`);
    const rel = test.row(u).indices;
    const seen = train ? train.row(u).indices : new Int32Array(0);
    for (let t = 0; t < seen.length; t++) mark[seen[t]] = 2;
    for (let t = 0; t < rel.length; t++) mark[rel[t]] = 1;
    let np = 0;
    let nn = 0;
    for (let i = 0; i < nItems; i++) {
      if (mark[i] === 1) pos[np++] = s[i];
      else if (mark[i] === 0) neg[nn++] = s[i];
    }
    for (let t = 0; t < seen.length; t++) mark[seen[t]] = 0;
    for (let t = 0; t < rel.length; t++) mark[rel[t]] = 0;
    perUser[j] = aucOfScores(pos.subarray(0, np), neg.subarray(0, nn));
  }
  return { perUser, mean: meanDefined(perUser) };
}
