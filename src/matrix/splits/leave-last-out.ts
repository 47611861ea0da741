// Leave-last-out: each customer's latest n (customer, product) pairs test, the rest train.
import type { EventLog } from '../event-log.js';
import { sortByTime } from '../event-log.js';
import { assertNoLeakage } from './leakage.js';
import { checkCount } from './options.js';
import { partition, TEST, type Split } from './split.js';
import { pairUnits, rowSides } from './units.js';

export interface LeaveLastOutOptions {
  /** Pairs held out per customer; default 1. */
  n?: number;
}

/**
 * Orders each customer's (customer, product) pairs by the time of their first event, ties in row order,
 * and sends the last n to test (all their events); customers with n pairs or fewer stay wholly in
 * train. On a log of ml-100k u.data sorted by (user, item) with n = 1 this reproduces
 * ../shared/data/ml-100k/splits/leave-last-out exactly (a tie goes to the largest item id).
 */
export function leaveLastOut(log: EventLog, opts: LeaveLastOutOptions = {}): Split {
  const n = checkCount(opts.n ?? 1, 'n');
  const units = pairUnits(log, sortByTime(log));
  const unitSide = new Uint8Array(units.count);
  for (let c = 0; c < log.customers.size; c++) {
    const first = units.unitStart[c];
    const end = units.unitStart[c + 1];
    if (end - first > n) unitSide.fill(TEST, end - n, end);
  }
  const split = partition(log, rowSides(units, unitSide), `leave-last-out:${n}`);
  assertNoLeakage(split, { what: 'pairs' });
  return split;
}
