// Global temporal cutoff: events before the cutoff train, new (customer, product) pairs from the cutoff on test.
import { NextbestError } from '../../core/errors.js';
import type { EventLog } from '../event-log.js';
import { assertNoLeakage } from './leakage.js';
import { DROP, partition, TEST, TRAIN, type Split } from './split.js';
import { pairUnits } from './units.js';

export interface TemporalCutoffOptions {
  /** Epoch seconds: time < cutoff trains, time >= cutoff tests. */
  cutoff: number;
}

/**
 * Events with time < cutoff go to train; events at or after it go to test unless their (customer,
 * product) pair already has a train event, in which case they are dropped (counted in split.dropped):
 * a repeat of a known pair is not something to recommend. Customers first seen after the cutoff test
 * as cold customers. Filter the log to the event types that count before splitting if, say, a display
 * before the cutoff should not hide an acquisition after it.
 */
export function temporalCutoff(log: EventLog, opts: TemporalCutoffOptions): Split {
  const cutoff = opts?.cutoff;
  if (!(typeof cutoff === 'number' && Number.isFinite(cutoff)))
    throw new NextbestError('BAD_OPTION', `cutoff must be epoch seconds (a finite number), got ${String(cutoff)}`);
  const units = pairUnits(log);
  const trained = new Uint8Array(units.count);
  for (let r = 0; r < log.length; r++) if (log.time[r] < cutoff) trained[units.unitOf[r]] = 1;
  const side = new Uint8Array(log.length);
  for (let r = 0; r < log.length; r++)
    side[r] = log.time[r] < cutoff ? TRAIN : trained[units.unitOf[r]] ? DROP : TEST;
  const split = partition(log, side, `temporal:${cutoff}`);
  assertNoLeakage(split, { what: 'pairs' });
  return split;
}
