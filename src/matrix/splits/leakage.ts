// Leakage check (after LightFM's _check_test_train_intersections): no (customer, product) pair, or for cold start no customer, on both sides.
import { NextbestError } from '../../core/errors.js';
import type { EventLog } from '../event-log.js';

export type LeakageCheck = 'pairs' | 'customers';

export interface LeakageOptions {
  /** 'pairs' (default): no (customer, product) pair on both sides; 'customers': no customer on both sides. */
  what?: LeakageCheck;
}

/** Throws BAD_ARGUMENT when train and test do not share id maps or overlap in what opts.what names. */
export function assertNoLeakage(
  split: { readonly train: EventLog; readonly test: EventLog; readonly name?: string },
  opts: LeakageOptions = {},
): void {
  const { train, test } = split;
  const what = opts.what ?? 'pairs';
  const label = split.name ? `split "${split.name}"` : 'the split';
  if (train.customers !== test.customers || train.products !== test.products || train.contexts !== test.contexts)
    throw new NextbestError(
      'INTERNAL',
      `${label}: train and test do not share id maps, so their indices do not line up; cut both from one event log`,
    );
  if (what === 'customers') return checkCustomers(train, test, label);
  if (what === 'pairs') return checkPairs(train, test, label);
  throw new NextbestError('INTERNAL', `leakage check must be 'pairs' or 'customers', got ${String(what)}`);
}

function checkCustomers(train: EventLog, test: EventLog, label: string): void {
  const inTrain = new Uint8Array(train.customers.size);
  for (let i = 0; i < train.length; i++) inTrain[train.customer[i]] = 1;
  const counted = new Uint8Array(train.customers.size);
  let shared = 0;
  let example = -1;
  for (let i = 0; i < test.length; i++) {
    const c = test.customer[i];
    if (inTrain[c] && !counted[c]) {
      counted[c] = 1;
      shared++;
      if (example < 0) example = c;
    }
  }
  if (shared > 0)
    throw new NextbestError(
      'UNSUITABLE_DATA',
      `${label} leaks: ${shared} customer(s) have events in both train and test (e.g. "${train.customers.id(example)}"), but a cold-start test must hold only unseen customers`,
    );
}

/** Train's products per customer, sorted, then a binary search per test event: 8 bytes per train event. */
function checkPairs(train: EventLog, test: EventLog, label: string): void {
  const nc = train.customers.size;
  const start = new Int32Array(nc + 1);
  for (let i = 0; i < train.length; i++) start[train.customer[i] + 1]++;
  for (let c = 0; c < nc; c++) start[c + 1] += start[c];
  const cursor = start.slice(0, nc);
  const products = new Int32Array(train.length);
  for (let i = 0; i < train.length; i++) products[cursor[train.customer[i]]++] = train.product[i];
  for (let c = 0; c < nc; c++) if (start[c + 1] - start[c] > 1) products.subarray(start[c], start[c + 1]).sort();

  let shared = 0;
  let example = -1;
  for (let i = 0; i < test.length; i++) {
    const c = test.customer[i];
    const p = test.product[i];
    let lo = start[c];
    let hi = start[c + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (products[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    if (lo < start[c + 1] && products[lo] === p) {
      shared++;
      if (example < 0) example = i;
    }
  }
  if (shared > 0)
    throw new NextbestError(
      'UNSUITABLE_DATA',
      `${label} leaks: ${shared} test event(s) repeat a (customer, product) pair from train (e.g. customer "${train.customers.id(test.customer[example])}", product "${train.products.id(test.product[example])}")`,
    );
}
