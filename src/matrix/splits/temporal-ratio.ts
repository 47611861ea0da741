// Per-customer temporal split: each customer's earliest pairs (by first event time) train, the latest test.
import type { EventLog } from '../event-log.js';
import { sortByTime } from '../event-log.js';
import { assertNoLeakage } from './leakage.js';
import { checkRatio, trainCount } from './options.js';
import { partition, TEST, type Split } from './split.js';
import { pairUnits, rowSides } from './units.js';

export interface TemporalRatioOptions {
  /** Share of each customer's pairs kept in train, earliest first. */
  ratio: number;
}

/**
 * Orders each customer's (customer, product) pairs by the time of their first event (ties keep row
 * order) and keeps the earliest ceil(ratio * m) in train, the rest in test; all events of a pair go to
 * the side of its first event, so a customer with one pair stays in train.
 */
export function temporalRatio(log: EventLog, opts: TemporalRatioOptions): Split {
  const ratio = checkRatio(opts?.ratio);
  const units = pairUnits(log, sortByTime(log));
  const unitSide = new Uint8Array(units.count);
  for (let c = 0; c < log.customers.size; c++) {
    const first = units.unitStart[c];
    const m = units.unitStart[c + 1] - first;
    unitSide.fill(TEST, first + trainCount(ratio, m), first + m);
  }
  const split = partition(log, rowSides(units, unitSide), `temporal-ratio:${ratio}`);
  assertNoLeakage(split, { what: 'pairs' });
  return split;
}
