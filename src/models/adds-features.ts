// The lag features of a customer's state at the end of a month, as the Santander winners used them:
// products held, added and dropped that month, how many months each held product has been held (in
// buckets), and the calendar month of the month to predict; one feature index each, after the
// customer's attribute features. Walked month by month with a run-length counter per (customer, product).
import type { MonthlyHoldings } from '../matrix/holdings.js';

/** Months-held buckets: 1, 2-3, 4-6, 7 or more. */
const HELD_FOR = [1, 2, 4, 7];
const bucketOfRun = (run: number): number => (run >= 7 ? 3 : run >= 4 ? 2 : run >= 2 ? 1 : 0);

export class LagFeatures {
  /** First lag feature index (the attribute features come before). */
  constructor(
    readonly offset: number,
    readonly products: number,
  ) {}

  /** Lag features after the attribute features. */
  get count(): number {
    return this.products * (3 + HELD_FOR.length) + 12;
  }

  /** Writes the lag features of one state into out (returns how many); run[j] = months product j has been held. */
  write(held: number, added: number, dropped: number, run: Uint8Array, runAt: number, targetMonth: number, out: Int32Array): number {
    const P = this.products;
    let n = 0;
    for (let j = 0; j < P; j++) {
      if ((held >>> j) & 1) {
        out[n++] = this.offset + j;
        out[n++] = this.offset + 3 * P + j * HELD_FOR.length + bucketOfRun(run[runAt + j]);
      }
      if ((added >>> j) & 1) out[n++] = this.offset + P + j;
      if ((dropped >>> j) & 1) out[n++] = this.offset + 2 * P + j;
    }
    out[n++] = this.offset + P * (3 + HELD_FOR.length) + targetMonth;
    return n;
  }

  /** Most lag features one state can have. */
  get maxPerState(): number {
    return 4 * this.products + 1;
  }
}

/** Calendar month (0-11) of the month after a snapshot date (epoch seconds). */
export const nextCalendarMonth = (epochSeconds: number): number => (new Date(epochSeconds * 1000).getUTCMonth() + 1) % 12;

/**
 * Visits every month's state in order: visit(t, run) with run[u * P + j] the months customer u has held
 * product j up to month t (0 when not held).
 */
export function walkStates(h: MonthlyHoldings, visit: (t: number, run: Uint8Array) => void): void {
  const P = h.products.size;
  const run = new Uint8Array(h.customers.size * P);
  for (let t = 0; t < h.months.length; t++) {
    const masks = h.masks[t];
    for (let u = 0; u < masks.length; u++) {
      const m = masks[u];
      for (let j = 0, at = u * P; j < P; j++, at++) run[at] = (m >>> j) & 1 ? Math.min(255, run[at] + 1) : 0;
    }
    visit(t, run);
  }
}
