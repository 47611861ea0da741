// Customer x product interaction strengths: the implicit-feedback matrix that popularity, co-occurrence,
// kNN, EASE, ALS and BPR train on. Events are weighted by type and optionally decayed by age.
import { NextbestError } from '../core/errors.js';
import { EVENT_TYPES, type EventType } from '../data/model.js';
import { CsrMatrix } from './csr.js';
import type { EventLog } from './event-log.js';

/** Purchases count most; views a little; drops and declines are not positive signals at all. */
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<EventType, number>> = {
  display: 0.1,
  click: 1,
  checkout: 3,
  acquire: 3,
  drop: 0,
  rating: 1,
  accept: 3,
  decline: 0,
};

export interface InteractionOptions {
  /** Overrides of DEFAULT_EVENT_WEIGHTS; weights must be >= 0 and a weight of 0 skips the type. */
  weights?: Partial<Record<EventType, number>>;
  /** Multiply a rating event's weight by its value (the star rating); other types ignore value. */
  useValue?: boolean;
  /** Each event counts 0.5^(age / halfLifeDays); no decay when absent. */
  halfLifeDays?: number;
  /** Epoch seconds that ages are measured from; default the latest time in the log. */
  referenceTime?: number;
  /** Clamp every summed strength to 1. */
  binary?: boolean;
}

export interface Interactions {
  /** customers x products. */
  userItem: CsrMatrix;
  /** products x customers (the transpose). */
  itemUser: CsrMatrix;
}

const SECONDS_PER_DAY = 86_400;
const RATING = EVENT_TYPES.indexOf('rating');

function resolveWeights(overrides: Partial<Record<EventType, number>> | undefined): Float64Array {
  const w = new Float64Array(EVENT_TYPES.length);
  EVENT_TYPES.forEach((t, i) => (w[i] = DEFAULT_EVENT_WEIGHTS[t]));
  for (const [type, weight] of Object.entries(overrides ?? {})) {
    const i = EVENT_TYPES.indexOf(type as EventType);
    if (i < 0) throw new NextbestError('BAD_OPTION', `unknown event type "${type}" in weights`);
    if (weight === undefined) continue;
    if (!(Number.isFinite(weight) && weight >= 0))
      throw new NextbestError('BAD_OPTION', `weight for "${type}" must be a finite number >= 0, got ${weight}`);
    w[i] = weight;
  }
  return w;
}

/**
 * Sums each event's weight into its (customer, product) cell. Contributions that come out <= 0
 * (zero weight, a rating of 0 or below with useValue) are skipped so the matrix holds positives only.
 * Events later than referenceTime count as age 0.
 */
export function buildInteractions(log: EventLog, opts: InteractionOptions = {}): Interactions {
  const weight = resolveWeights(opts.weights);
  const { halfLifeDays, referenceTime } = opts;
  if (halfLifeDays !== undefined && !(Number.isFinite(halfLifeDays) && halfLifeDays > 0))
    throw new NextbestError('BAD_OPTION', `halfLifeDays must be a positive number, got ${halfLifeDays}`);
  if (referenceTime !== undefined && !Number.isFinite(referenceTime))
    throw new NextbestError('BAD_OPTION', `referenceTime must be a finite number, got ${referenceTime}`);
  const n = log.length;
  let ref = referenceTime ?? -Infinity;
  if (referenceTime === undefined) for (let k = 0; k < n; k++) if (log.time[k] > ref) ref = log.time[k];
  // ln(0.5) per second of age, so decay is one exp per event.
  const rate = halfLifeDays === undefined ? 0 : Math.LN2 / (halfLifeDays * SECONDS_PER_DAY);

  const r = new Int32Array(n);
  const c = new Int32Array(n);
  const v = new Float32Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const type = log.type[k];
    let x = weight[type];
    if (opts.useValue && type === RATING) x *= log.value[k];
    if (!(x > 0)) continue;
    if (rate > 0) {
      const age = ref - log.time[k];
      if (age > 0) x *= Math.exp(-rate * age);
    }
    r[m] = log.customer[k];
    c[m] = log.product[k];
    v[m++] = x;
  }
  const userItem = CsrMatrix.fromCoo(log.customers.size, log.products.size, r.subarray(0, m), c.subarray(0, m), v.subarray(0, m));
  if (opts.binary) userItem.data.fill(1);
  return { userItem, itemUser: userItem.transpose() };
}
