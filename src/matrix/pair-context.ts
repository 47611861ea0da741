// The context of each (customer, product) pair of an interaction matrix: the share of the pair's
// positive events (weight > 0) that carried each context feature ("tod=morning"). A ranking model that
// learns from pairs sees the context its pairs happened in; the mean over every pair is the context
// it assumes when a request names none.
import { EVENT_TYPES, type EventType } from '../data/model.js';
import { CsrMatrix } from './csr.js';
import type { EventLog } from './event-log.js';
import type { IdMap } from './id-map.js';
import { DEFAULT_EVENT_WEIGHTS } from './interactions.js';

export interface PairContexts {
  /** userItem.nnz x context features: row q is the context of userItem's q-th stored pair. */
  matrix: CsrMatrix;
  /** Context feature names, "key=value" (the log's contexts). */
  features: IdMap;
  /** The mean of matrix's rows (the context of an average pair). */
  mean: Float32Array;
}

/** Pair q of userItem for (customer, product), or -1 (a binary search in the customer's sorted row). */
function pairIndex(userItem: CsrMatrix, customer: number, product: number): number {
  let lo = userItem.indptr[customer];
  let hi = userItem.indptr[customer + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = userItem.indices[mid];
    if (c === product) return mid;
    if (c < product) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function buildPairContexts(
  log: EventLog,
  userItem: CsrMatrix,
  weights: Partial<Record<EventType, number>> = {},
  keepKey: (key: string) => boolean = () => true,
): PairContexts {
  const positive = Uint8Array.from(EVENT_TYPES, (t) => ((weights[t] ?? DEFAULT_EVENT_WEIGHTS[t]) > 0 ? 1 : 0));
  const keep = Uint8Array.from(log.contexts.ids(), (name) => (keepKey(name.slice(0, name.indexOf('='))) ? 1 : 0));
  const events = new Float64Array(userItem.nnz);
  const r: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < log.length; i++) {
    if (!positive[log.type[i]]) continue;
    const q = pairIndex(userItem, log.customer[i], log.product[i]);
    if (q < 0) continue;
    events[q]++;
    for (let t = log.contextPtr[i]; t < log.contextPtr[i + 1]; t++)
      if (keep[log.contextIds[t]]) (r.push(q), c.push(log.contextIds[t]));
  }
  const v = Float32Array.from(r, (q) => 1 / events[q]);
  const matrix = CsrMatrix.fromCoo(userItem.nnz, log.contexts.size, Int32Array.from(r), Int32Array.from(c), v);
  const mean = new Float32Array(log.contexts.size);
  if (userItem.nnz) for (let k = 0; k < matrix.nnz; k++) mean[matrix.indices[k]] += matrix.data[k] / userItem.nnz;
  return { matrix, features: log.contexts, mean };
}
