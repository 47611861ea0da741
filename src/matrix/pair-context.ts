// The context of each (customer, product) pair of an interaction matrix: the share of the pair's
// positive events (weight > 0), by their weights, that carried each context feature ("tod=morning"), so
// a pair displayed ten times at 0.1 and clicked once at 1 has half its context from the click. A ranking model that
// learns from pairs sees the context its pairs happened in; the mean over every pair is the context
// it assumes when a request names none. Besides, the contexts each customer's events happen in at all
// (exposures: every event, displays included, whatever its weight): what a model contrasts the
// customer's pairs' contexts with to learn which contexts raise engagement, not which ones the customer
// happens to visit.
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
  /** The contexts each customer's events happened in, whatever their weight (displays too). */
  exposures: Exposures;
}

/**
 * Each customer's exposures: the distinct contexts of its events (kept keys only) and how many of its
 * events had each; customer u's are entries customerPtr[u] .. customerPtr[u + 1].
 */
export interface Exposures {
  /** Distinct contexts x context features, each feature 1. */
  matrix: CsrMatrix;
  customerPtr: Int32Array;
  /** Row of matrix. */
  context: Int32Array;
  events: Float64Array;
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
  const weight = Float64Array.from(EVENT_TYPES, (t) => weights[t] ?? DEFAULT_EVENT_WEIGHTS[t]);
  const keep = Uint8Array.from(log.contexts.ids(), (name) => (keepKey(name.slice(0, name.indexOf('='))) ? 1 : 0));
  const total = new Float64Array(userItem.nnz);
  const r: number[] = [];
  const c: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < log.length; i++) {
    const wi = weight[log.type[i]];
    if (!(wi > 0)) continue;
    const q = pairIndex(userItem, log.customer[i], log.product[i]);
    if (q < 0) continue;
    total[q] += wi;
    for (let t = log.contextPtr[i]; t < log.contextPtr[i + 1]; t++)
      if (keep[log.contextIds[t]]) (r.push(q), c.push(log.contextIds[t]), w.push(wi));
  }
  const v = Float32Array.from(r, (q, t) => w[t] / total[q]);
  const matrix = CsrMatrix.fromCoo(userItem.nnz, log.contexts.size, Int32Array.from(r), Int32Array.from(c), v);
  const mean = new Float32Array(log.contexts.size);
  if (userItem.nnz) for (let k = 0; k < matrix.nnz; k++) mean[matrix.indices[k]] += matrix.data[k] / userItem.nnz;
  return { matrix, features: log.contexts, mean, exposures: exposureContexts(log, keep, userItem.rows) };
}

/** Each customer's contexts over all its events: distinct context combinations and how many events had each. */
function exposureContexts(log: EventLog, keep: Uint8Array, customers: number): Exposures {
  const seen = new Map<string, number>();
  const r: number[] = [];
  const c: number[] = [];
  const ids: number[] = [];
  const byCustomer: Map<number, number>[] = Array.from({ length: customers }, () => new Map());
  for (let i = 0; i < log.length; i++) {
    const u = log.customer[i];
    if (u >= customers) continue;
    ids.length = 0;
    for (let t = log.contextPtr[i]; t < log.contextPtr[i + 1]; t++) if (keep[log.contextIds[t]]) ids.push(log.contextIds[t]);
    ids.sort((x, y) => x - y);
    const key = ids.join(',');
    let row = seen.get(key);
    if (row === undefined) {
      row = seen.size;
      seen.set(key, row);
      for (const j of ids) (r.push(row), c.push(j));
    }
    byCustomer[u].set(row, (byCustomer[u].get(row) ?? 0) + 1);
  }
  const matrix = CsrMatrix.fromCoo(seen.size, log.contexts.size, Int32Array.from(r), Int32Array.from(c), new Float32Array(r.length).fill(1));
  const customerPtr = new Int32Array(customers + 1);
  byCustomer.forEach((m, u) => (customerPtr[u + 1] = customerPtr[u] + m.size));
  const context = new Int32Array(customerPtr[customers]);
  const events = new Float64Array(customerPtr[customers]);
  byCustomer.forEach((m, u) => {
    let q = customerPtr[u];
    for (const [row, n] of m) (context[q] = row, (events[q++] = n));
  });
  return { matrix, customerPtr, context, events };
}
