// Novelty: how unexpected the recommended products are, as self-information -log2(popularity), where
// popularity is the share of customers holding the product in train. Popular products score near 0.
import type { CsrMatrix } from '../../matrix/index.js';
import { itemsOf, meanDefined, type PerUserMetric, type RankedList } from './lists.js';

/**
 * Per list: the mean of -log2(popularity) over its first k entries, popularity = (customers with the
 * product in train) / train.rows. A product no customer holds counts as held by one (otherwise its
 * novelty would be infinite). Indices outside 0..train.cols-1 are ignored; a list with no valid entry
 * gets NaN and is left out of the mean (the mean of the per-list means).
 */
export function novelty(recs: readonly RankedList[], train: CsrMatrix, k = Infinity): PerUserMetric {
  const counts = train.colCounts();
  const info = new Float64Array(train.cols);
  const users = Math.max(train.rows, 1);
  for (let i = 0; i < train.cols; i++) info[i] = -Math.log2(Math.max(counts[i], 1) / users);
  const perUser = new Float64Array(recs.length);
  recs.forEach((list, j) => {
    const items = itemsOf(list);
    const len = Math.min(items.length, k);
    let sum = 0;
    let n = 0;
    for (let p = 0; p < len; p++) {
      const i = items[p];
      if (i >= 0 && i < train.cols) {
        sum += info[i];
        n++;
      }
    }
    perUser[j] = n === 0 ? NaN : sum / n;
  });
  return { perUser, mean: meanDefined(perUser) };
}
