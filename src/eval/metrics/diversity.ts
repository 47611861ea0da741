// Intra-list diversity: how different the products within one customer's list are, as the mean
// pairwise cosine distance of the products' customer vectors (products bought by the same people are similar).
import type { CsrMatrix } from '../../matrix/index.js';
import { itemsOf, meanDefined, type PerUserMetric, type RankedList } from './lists.js';

/**
 * Per list: the mean over pairs of its first k entries of 1 - cos(v_a, v_b), where v_i is row i of
 * itemUsers (products x customers, e.g. train.transpose(); stored values are used as weights). A
 * product with an all-zero vector has similarity 0 to everything. Lists are taken as given (a repeated
 * product makes a pair at distance 0); indices outside 0..itemUsers.rows-1 are ignored. A list with
 * fewer than two valid entries gets NaN and is left out of the mean.
 */
export function intraListDiversity(recs: readonly RankedList[], itemUsers: CsrMatrix, k = Infinity): PerUserMetric {
  const nItems = itemUsers.rows;
  const norms = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let t = itemUsers.indptr[i]; t < itemUsers.indptr[i + 1]; t++) s += itemUsers.data[t] * itemUsers.data[t];
    norms[i] = Math.sqrt(s);
  }
  const cache = new Map<number, number>(); // a * nItems + b (a < b) -> cosine
  const cosine = (x: number, y: number): number => {
    if (x === y) return norms[x] > 0 ? 1 : 0;
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    if (norms[a] === 0 || norms[b] === 0) return 0;
    const key = a * nItems + b;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const { indices: ia, data: da } = itemUsers.row(a);
    const { indices: ib, data: db } = itemUsers.row(b);
    let dot = 0;
    for (let p = 0, q = 0; p < ia.length && q < ib.length; ) {
      if (ia[p] === ib[q]) dot += da[p++] * db[q++];
      else if (ia[p] < ib[q]) p++;
      else q++;
    }
    const c = dot / (norms[a] * norms[b]);
    cache.set(key, c);
    return c;
  };

  const perUser = new Float64Array(recs.length);
  recs.forEach((list, j) => {
    const raw = itemsOf(list);
    const items: number[] = [];
    for (let p = 0; p < Math.min(raw.length, k); p++) if (raw[p] >= 0 && raw[p] < nItems) items.push(raw[p]);
    if (items.length < 2) {
      perUser[j] = NaN;
      return;
    }
    let sum = 0;
    for (let p = 0; p < items.length; p++) for (let q = p + 1; q < items.length; q++) sum += 1 - cosine(items[p], items[q]);
    perUser[j] = sum / ((items.length * (items.length - 1)) / 2);
  });
  return { perUser, mean: meanDefined(perUser) };
}
