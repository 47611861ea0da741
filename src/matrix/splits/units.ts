// Groups each customer's events into (customer, product) pairs, the unit per-customer splits move whole so a pair never straddles a split.
import { NextbestError } from '../../core/errors.js';
import type { EventLog } from '../event-log.js';

export interface PairUnits {
  /** Customer c's pairs are the unit ids unitStart[c] .. unitStart[c+1] - 1, in order of first occurrence. */
  readonly unitStart: Int32Array;
  /** The unit (pair) of each event row. */
  readonly unitOf: Int32Array;
  readonly count: number;
  /** Most units any one customer has. */
  readonly maxPerCustomer: number;
}

/**
 * Pairs per customer, numbered in order of first occurrence when the rows are visited in `order`
 * (a row permutation such as sortByTime's; default row order).
 */
export function pairUnits(log: EventLog, order?: Int32Array): PairUnits {
  const n = log.length;
  if (order && order.length !== n)
    throw new NextbestError('INTERNAL', `a row order must list all ${n} events, got ${order.length}`);
  const { customer, product } = log;
  const nc = log.customers.size;
  const start = new Int32Array(nc + 1);
  for (let r = 0; r < n; r++) start[customer[r] + 1]++;
  for (let c = 0; c < nc; c++) start[c + 1] += start[c];
  const cursor = start.slice(0, nc);
  // Each row's product travels with it so the grouping pass below reads sequentially.
  const byCustomer = new Int32Array(n);
  const productOf = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const r = order ? order[k] : k;
    const q = cursor[customer[r]]++;
    byCustomer[q] = r;
    productOf[q] = product[r];
  }

  const seenBy = new Int32Array(log.products.size).fill(-1);
  const unitOfProduct = new Int32Array(log.products.size);
  const unitStart = new Int32Array(nc + 1);
  const unitOf = new Int32Array(n);
  let count = 0;
  let maxPerCustomer = 0;
  for (let c = 0; c < nc; c++) {
    unitStart[c] = count;
    for (let q = start[c]; q < start[c + 1]; q++) {
      const p = productOf[q];
      if (seenBy[p] !== c) {
        seenBy[p] = c;
        unitOfProduct[p] = count++;
      }
      unitOf[byCustomer[q]] = unitOfProduct[p];
    }
    maxPerCustomer = Math.max(maxPerCustomer, count - unitStart[c]);
  }
  unitStart[nc] = count;
  return { unitStart, unitOf, count, maxPerCustomer };
}

/** Row sides from unit sides. */
export function rowSides(units: PairUnits, unitSide: Uint8Array): Uint8Array {
  const { unitOf } = units;
  const side = new Uint8Array(unitOf.length);
  for (let r = 0; r < side.length; r++) side[r] = unitSide[unitOf[r]];
  return side;
}
