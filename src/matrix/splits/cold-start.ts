// Cold-start split: whole customers held out, so test holds only customers train has never seen.
import { Rng } from '../../core/rng.js';
import type { EventLog } from '../event-log.js';
import { assertNoLeakage } from './leakage.js';
import { checkRatio, checkSeed, DEFAULT_SEED } from './options.js';
import { shuffle } from './shuffle.js';
import { partition, TEST, type Split } from './split.js';

export interface ColdStartOptions {
  /** Share of the customers with events that are held out. */
  ratio: number;
  /** Default 42. */
  seed?: number;
}

/**
 * Shuffles the customers that have events (index order, one Rng(seed) stream) and holds out the first
 * round(ratio * m), but at least 1 and at most m - 1 when m >= 2; every event of a held-out customer
 * goes to test. Customers without events stay in the shared id map and on neither side.
 */
export function coldStartSplit(log: EventLog, opts: ColdStartOptions): Split {
  const ratio = checkRatio(opts?.ratio);
  const seed = checkSeed(opts.seed ?? DEFAULT_SEED);
  const nc = log.customers.size;
  const active = new Uint8Array(nc);
  for (let r = 0; r < log.length; r++) active[log.customer[r]] = 1;
  const customers = new Int32Array(nc);
  let m = 0;
  for (let c = 0; c < nc; c++) if (active[c]) customers[m++] = c;
  shuffle(customers, m, new Rng(seed));
  const k = m < 2 ? 0 : Math.min(m - 1, Math.max(1, Math.round(ratio * m)));
  const heldOut = new Uint8Array(nc);
  for (let i = 0; i < k; i++) heldOut[customers[i]] = 1;
  const side = new Uint8Array(log.length);
  for (let r = 0; r < log.length; r++) if (heldOut[log.customer[r]]) side[r] = TEST;
  const split = partition(log, side, `cold-start:${ratio}:${seed}`);
  assertNoLeakage(split, { what: 'customers' });
  return split;
}
