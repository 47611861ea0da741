// The Split type (train and test logs cut from one source, sharing its id maps) and the row partition that builds one.
import { NextbestError } from '../../core/errors.js';
import { subset, type EventLog } from '../event-log.js';

export interface Split {
  /** Shares customers, products and contexts IdMaps with test (and with the source log), so indices line up. */
  readonly train: EventLog;
  readonly test: EventLog;
  /** A split spec that reproduces this split through parseSplitSpec, e.g. "random:0.75:42". */
  readonly name: string;
  /** Events put on neither side to keep the sides disjoint; only temporalCutoff drops any (repeats of a train pair). */
  readonly dropped?: number;
}

/** Row sides for partition. */
export const TRAIN = 0;
export const TEST = 1;
export const DROP = 2;

/** Cuts log by a side per row (TRAIN, TEST or DROP); both sides keep the source's row order and id maps. */
export function partition(log: EventLog, side: Uint8Array, name: string): Split {
  if (side.length !== log.length)
    throw new NextbestError('INTERNAL', `a split needs one side per event: got ${side.length} for ${log.length} events`);
  let nTrain = 0;
  let nTest = 0;
  for (let i = 0; i < side.length; i++) {
    if (side[i] === TRAIN) nTrain++;
    else if (side[i] === TEST) nTest++;
  }
  const trainRows = new Int32Array(nTrain);
  const testRows = new Int32Array(nTest);
  for (let i = 0, a = 0, b = 0; i < side.length; i++) {
    if (side[i] === TRAIN) trainRows[a++] = i;
    else if (side[i] === TEST) testRows[b++] = i;
  }
  const dropped = log.length - nTrain - nTest;
  const split: Split = { train: subset(log, trainRows), test: subset(log, testRows), name };
  return dropped > 0 ? { ...split, dropped } : split;
}

/** Number of distinct customers with at least one event in log. */
export function activeCustomers(log: EventLog): number {
  const seen = new Uint8Array(log.customers.size);
  let n = 0;
  for (let i = 0; i < log.length; i++) {
    const c = log.customer[i];
    if (!seen[c]) {
      seen[c] = 1;
      n++;
    }
  }
  return n;
}
