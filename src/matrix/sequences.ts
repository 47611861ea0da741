// Each customer's events in time order, for sequence models and leave-last-out style evaluation.
// Grouped by a stable counting sort on customer after a stable time sort, so equal times keep log order.
import { type EventType } from '../data/model.js';
import { eventTypeCode, sortByTime, type EventLog } from './event-log.js';

export interface Sequences {
  /** Customer u's events are at positions offsets[u] .. offsets[u+1]; length customers + 1. */
  offsets: Int32Array;
  products: Int32Array;
  /** Epoch seconds. */
  times: Float64Array;
  /** Index into EVENT_TYPES. */
  types: Uint8Array;
  /** The event's row in the log, to reach its value and context. */
  rows: Int32Array;
}

export interface SequenceOptions {
  /** Keep only these event types; all types when absent. */
  types?: readonly EventType[];
}

export function buildSequences(log: EventLog, opts: SequenceOptions = {}): Sequences {
  const keep = new Uint8Array(256);
  if (opts.types) for (const t of opts.types) keep[eventTypeCode(t)] = 1;
  else keep.fill(1);

  const nCustomers = log.customers.size;
  const offsets = new Int32Array(nCustomers + 1);
  let m = 0;
  for (let k = 0; k < log.length; k++) {
    if (keep[log.type[k]]) {
      offsets[log.customer[k] + 1]++;
      m++;
    }
  }
  for (let u = 0; u < nCustomers; u++) offsets[u + 1] += offsets[u];

  const byTime = sortByTime(log);
  const next = offsets.slice(0, nCustomers);
  const rows = new Int32Array(m);
  for (let t = 0; t < byTime.length; t++) {
    const k = byTime[t];
    if (keep[log.type[k]]) rows[next[log.customer[k]]++] = k;
  }
  const products = new Int32Array(m);
  const times = new Float64Array(m);
  const types = new Uint8Array(m);
  for (let p = 0; p < m; p++) {
    const k = rows[p];
    products[p] = log.product[k];
    times[p] = log.time[k];
    types[p] = log.type[k];
  }
  return { offsets, products, times, types, rows };
}
