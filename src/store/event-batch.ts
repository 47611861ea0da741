// Building EventBatch values (the columnar event rows every store backend streams out).
import type { EventBatch } from '../data/rows.js';

/** A batch of n events with every field still to fill. */
export const emptyBatch = (n: number): EventBatch => ({
  length: n,
  customer: new Array<string>(n),
  product: new Array<string>(n),
  time: new Float64Array(n),
  type: new Array<EventBatch['type'][number]>(n),
  value: new Float64Array(n),
  context: new Array<string>(n),
});

/** The batches one after another, as one batch. */
export function concatBatches(parts: readonly EventBatch[]): EventBatch {
  if (parts.length === 1) return parts[0];
  const out = emptyBatch(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of parts) {
    for (let i = 0; i < b.length; i++) {
      out.customer[at + i] = b.customer[i];
      out.product[at + i] = b.product[i];
      out.type[at + i] = b.type[i];
      out.context[at + i] = b.context[i];
    }
    out.time.set(b.time, at);
    out.value.set(b.value, at);
    at += b.length;
  }
  return out;
}
