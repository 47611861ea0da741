// The shapes metrics accept for one customer's ranked products, and small helpers shared by the
// metric files (argument checks, means that skip undefined per-customer values).
import { NextbestError } from '../../core/errors.js';
import type { TopK } from '../../matrix/index.js';

/** One customer's products, best first: a model's TopK or the bare product indices. */
export type RankedList = TopK | Int32Array | readonly number[];

/** Per-customer values (aligned with the customers passed in) and their mean. */
export interface PerUserMetric {
  perUser: Float64Array;
  /** Mean over customers whose value is defined (not NaN); NaN when there are none. */
  mean: number;
}

export const itemsOf = (list: RankedList): ArrayLike<number> => ('items' in list ? list.items : list);

/** Mean of the values that are not NaN; NaN when there are none. */
export function meanDefined(values: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

export function checkK(k: number): void {
  if (!(Number.isInteger(k) && k >= 1)) throw new NextbestError('BAD_OPTION', `K must be a positive integer, got ${k}`);
}

export function checkSameLength(what: string, a: { length: number }, b: { length: number }): void {
  if (a.length !== b.length)
    throw new NextbestError('INTERNAL', `${what}: lengths differ (${a.length} vs ${b.length}); pass one entry per customer`);
}
