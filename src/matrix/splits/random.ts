// Per-customer random stratified split: each customer's (customer, product) pairs go ratio / 1 - ratio to train / test.
import { Rng } from '../../core/rng.js';
import type { EventLog } from '../event-log.js';
import { assertNoLeakage } from './leakage.js';
import { checkRatio, checkSeed, DEFAULT_SEED, trainCount } from './options.js';
import { shuffle } from './shuffle.js';
import { partition, TEST, type Split } from './split.js';
import { pairUnits, rowSides } from './units.js';

export interface RandomSplitOptions {
  /** Share of each customer's pairs kept in train; default 0.75. */
  ratio?: number;
  /** Default 42. */
  seed?: number;
}

/**
 * One Rng(seed) stream; customers in index order; each customer's pairs (in first-occurrence row order)
 * Fisher-Yates shuffled and the first ceil(ratio * m) kept in train, so a customer with one pair stays
 * in train. All events of a pair go to the same side. On a log of ml-100k u.data sorted by (user, item)
 * with seed 42 this reproduces ../shared/data/ml-100k/splits/random-75-25 exactly.
 */
export function randomSplit(log: EventLog, opts: RandomSplitOptions = {}): Split {
  const ratio = checkRatio(opts.ratio ?? 0.75);
  const seed = checkSeed(opts.seed ?? DEFAULT_SEED);
  const units = pairUnits(log);
  const unitSide = new Uint8Array(units.count);
  const rng = new Rng(seed);
  const buf = new Int32Array(units.maxPerCustomer);
  for (let c = 0; c < log.customers.size; c++) {
    const first = units.unitStart[c];
    const m = units.unitStart[c + 1] - first;
    if (m === 0) continue;
    for (let i = 0; i < m; i++) buf[i] = first + i;
    shuffle(buf, m, rng);
    for (let i = trainCount(ratio, m); i < m; i++) unitSide[buf[i]] = TEST;
  }
  const split = partition(log, rowSides(units, unitSide), `random:${ratio}:${seed}`);
  assertNoLeakage(split, { what: 'pairs' });
  return split;
}
