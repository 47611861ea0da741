// Each customer's events in time order, for sequence models and leave-last-out style evaluation.
// A stable counting sort groups events by customer in log order; each group is then stably sorted by time.
import { type EventType } from '../data/model.js';
import { eventTypeCode, type EventLog } from './event-log.js';
import { stableArgsort } from './sort.js';

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

  const rows = new Int32Array(m);
  const times = new Float64Array(m);
  const next = offsets.slice(0, nCustomers);
  for (let k = 0; k < log.length; k++) {
    if (!keep[log.type[k]]) continue;
    const p = next[log.customer[k]]++;
    rows[p] = k;
    times[p] = log.time[k];
  }
  for (let u = 0; u < nCustomers; u++) sortByTimeWithin(times, rows, offsets[u], offsets[u + 1]);

  const products = new Int32Array(m);
  const types = new Uint8Array(m);
  for (let p = 0; p < m; p++) {
    products[p] = log.product[rows[p]];
    types[p] = log.type[rows[p]];
  }
  return { offsets, products, times, types, rows };
}

/** Stable sort of times[a..b) carrying rows along; rows arrive ascending, so ties stay in log order. */
function sortByTimeWithin(times: Float64Array, rows: Int32Array, a: number, b: number): void {
  let sorted = true;
  for (let p = a + 1; p < b && sorted; p++) if (times[p - 1] > times[p]) sorted = false;
  if (sorted) return;
  if (b - a <= 32) {
    for (let p = a + 1; p < b; p++) {
      const t = times[p];
      const r = rows[p];
      let q = p - 1;
      for (; q >= a && times[q] > t; q--) {
        times[q + 1] = times[q];
        rows[q + 1] = rows[q];
      }
      times[q + 1] = t;
      rows[q + 1] = r;
    }
    return;
  }
  const order = stableArgsort(times.subarray(a, b));
  const t0 = times.slice(a, b);
  const r0 = rows.slice(a, b);
  for (let p = 0; p < order.length; p++) {
    times[a + p] = t0[order[p]];
    rows[a + p] = r0[order[p]];
  }
}
