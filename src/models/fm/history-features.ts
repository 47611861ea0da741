// What the time and held-products feature groups of an FM design (./design) are built from: time
// bucket cut points and each customer's normalised held set, both taken from the training log so the
// test rows of a split share them.
import { CsrMatrix } from '../../matrix/csr.js';
import { quantileCuts } from '../../matrix/buckets.js';
import type { EventLog } from '../../matrix/event-log.js';

/** Cut points of `buckets` quantile buckets of the log's event times (fewer when times repeat). */
export function timeCuts(log: EventLog, buckets: number): number[] {
  return quantileCuts(Float64Array.from(log.time).sort(), buckets);
}

/**
 * customers x products: 1/sqrt(|N(u)|) for every product in customer u's set N(u) of products with an
 * event in the log (SVD++'s normalisation), so a long history weighs no more than a short one.
 */
export function heldProducts(log: EventLog): CsrMatrix {
  const pairs = new Set<number>();
  const P = log.products.size;
  for (let i = 0; i < log.length; i++) pairs.add(log.customer[i] * P + log.product[i]);
  const rows = new Int32Array(pairs.size);
  const cols = new Int32Array(pairs.size);
  const count = new Int32Array(log.customers.size);
  let t = 0;
  for (const key of pairs) {
    rows[t] = Math.floor(key / P);
    cols[t] = key % P;
    count[rows[t]]++;
    t++;
  }
  const data = Float32Array.from(rows, (u) => 1 / Math.sqrt(count[u]));
  return CsrMatrix.fromCoo(log.customers.size, P, rows, cols, data);
}
