// Checks of models against the structure planted in the synthetic bank data (docs/synthetic-data.md):
//  - click prediction: every DISPLAY labelled by whether the customer clicked the same product on the
//    same page shortly after; a factorization machine with the display's context (page, time of day)
//    should beat the same FM without it, because click chances are planted per (tod, page);
//  - segment recovery: k-means on implicit-ALS customer factors against the planted `segment`
//    attribute (adjusted Rand index), and a leave-one-out neighbour vote against the majority class.
import { NextbestError } from '../core/errors.js';
import type { AttributeRow, TrainingSource } from '../data/rows.js';
import {
  buildInteractions,
  buildSideFeatures,
  eventTypeCode,
  filterContext,
  loadEventLog,
  subset,
  type EventLog,
  type InteractionOptions,
} from '../matrix/index.js';
import { randomSplit } from '../matrix/splits/index.js';
import { AlsRecommender } from '../models/als.js';
import { kmeans } from '../models/factors/kmeans.js';
import { FactorIndex, normalised } from '../models/factors/neighbours.js';
import { neighbourVote } from '../models/factors/vote.js';
import { buildDesign, FactorizationMachine, type FmSolver } from '../models/fm/index.js';
import { adjustedRandIndex, aucBinary, logLoss } from './metrics/index.js';

// ---------------------------------------------------------------------------------------------
// Click-prediction data set

export interface DisplayOutcomeOptions {
  /** A click counts for a display when it follows within this many seconds; default 600 (planted 5-300 s). */
  windowSeconds?: number;
  /** Require the click to carry the display's page context (when both have one); default true. */
  samePage?: boolean;
}

/** Context id -> index of its "page=" value, -1 for other keys. */
function pageOfContext(log: EventLog): Int32Array {
  const out = new Int32Array(log.contexts.size).fill(-1);
  const ids = log.contexts.ids();
  for (let c = 0; c < ids.length; c++) if (ids[c].startsWith('page=')) out[c] = c;
  return out;
}

function eventPage(log: EventLog, pageOf: Int32Array, i: number): number {
  for (let q = log.contextPtr[i]; q < log.contextPtr[i + 1]; q++) {
    const p = pageOf[log.contextIds[q]];
    if (p >= 0) return p;
  }
  return -1;
}

/**
 * The click-prediction set: every DISPLAY event, in log order, with value 1 when the same customer
 * clicked the same product (on the same page) within `windowSeconds` after it, else 0. Each click
 * is credited to the latest qualifying display before it, so one click labels one display. Shares
 * the log's id maps and keeps each display's context.
 */
export function displayOutcomes(log: EventLog, opts: DisplayOutcomeOptions = {}): EventLog {
  const windowSeconds = opts.windowSeconds ?? 600;
  const samePage = opts.samePage ?? true;
  if (!(windowSeconds > 0)) throw new NextbestError('BAD_OPTION', `windowSeconds must be positive, got ${windowSeconds}`);
  const DISPLAY = eventTypeCode('display');
  const CLICK = eventTypeCode('click');
  // Displays and clicks ordered by (customer, product, time, display before click).
  const rows: number[] = [];
  for (let i = 0; i < log.length; i++) if (log.type[i] === DISPLAY || log.type[i] === CLICK) rows.push(i);
  const order = Int32Array.from(rows).sort(
    (a, b) =>
      log.customer[a] - log.customer[b] ||
      log.product[a] - log.product[b] ||
      log.time[a] - log.time[b] ||
      (log.type[a] === DISPLAY ? 0 : 1) - (log.type[b] === DISPLAY ? 0 : 1) ||
      a - b,
  );
  const pageOf = pageOfContext(log);
  const clicked = new Uint8Array(log.length);
  for (let s = 0; s < order.length; s++) {
    const c = order[s];
    if (log.type[c] !== CLICK) continue;
    const page = samePage ? eventPage(log, pageOf, c) : -1;
    // Walk back within this (customer, product) run to the latest unclaimed display in the window.
    for (let t = s - 1; t >= 0; t--) {
      const d = order[t];
      if (log.customer[d] !== log.customer[c] || log.product[d] !== log.product[c]) break;
      if (log.time[c] - log.time[d] > windowSeconds) break;
      if (log.type[d] !== DISPLAY || clicked[d]) continue;
      if (page >= 0) {
        const dp = eventPage(log, pageOf, d);
        if (dp >= 0 && dp !== page) continue;
      }
      clicked[d] = 1;
      break;
    }
  }
  let n = 0;
  for (let i = 0; i < log.length; i++) if (log.type[i] === DISPLAY) n++;
  const displays = new Int32Array(n);
  for (let i = 0, k = 0; i < log.length; i++) if (log.type[i] === DISPLAY) displays[k++] = i;
  const out = subset(log, displays);
  const value = new Float32Array(n);
  for (let k = 0; k < n; k++) value[k] = clicked[displays[k]];
  return { ...out, value };
}

/** The log with only the context features whose key is listed. */
export function keepContextKeys(log: EventLog, keys: readonly string[]): EventLog {
  return filterContext(log, (key) => keys.includes(key));
}

// ---------------------------------------------------------------------------------------------
// Context check

export interface ClickScore {
  auc: number;
  logloss: number;
  seconds: number;
}

export interface ClickContextOptions {
  seed?: number;
  /** FM factors; default 8. */
  k?: number;
  /** MCMC samples / SGD epochs / ALS sweeps; default 60. */
  iterations?: number;
  /** Default 'mcmc'. */
  solver?: FmSolver;
  /** Share of each customer's (customer, product) pairs in train; default 0.75. */
  ratio?: number;
  /** Context keys used by the "with context" model; default page and tod. */
  contextKeys?: readonly string[];
  /** Customer attributes added to both models (age bucketed); none when absent. */
  customerAttributes?: readonly AttributeRow[];
  /** Attribute names to use from customerAttributes; default segment, beh_segment, active_ind, age. */
  attributeNames?: readonly string[];
  /** Options of displayOutcomes. */
  outcomes?: DisplayOutcomeOptions;
}

export interface ClickContextResult {
  withContext: ClickScore;
  withoutContext: ClickScore;
  /** Displays in train / test and the test click rate. */
  train: number;
  test: number;
  clickRate: number;
}

/**
 * Labels displays by click (displayOutcomes), splits the (customer, product) pairs of each customer
 * at random, and fits the same FM classifier twice: ids (+ customer attributes) with and without the
 * context features. Scores are on the test part.
 */
export function clickContextCheck(log: EventLog, opts: ClickContextOptions = {}): ClickContextResult {
  const seed = opts.seed ?? 42;
  const contextKeys = opts.contextKeys ?? ['page', 'tod'];
  const outcomes = keepContextKeys(displayOutcomes(log, opts.outcomes), contextKeys);
  if (outcomes.length === 0) throw new NextbestError('NO_EVENTS', 'the log has no DISPLAY events to predict clicks for');
  const split = randomSplit(outcomes, { ratio: opts.ratio ?? 0.75, seed });
  const names = opts.attributeNames ?? ['segment', 'beh_segment', 'active_ind', 'age'];
  const customerFeatures = opts.customerAttributes
    ? buildSideFeatures(
        outcomes.customers,
        opts.customerAttributes.filter((r) => names.includes(r.name)),
        { numeric: 'bucket', buckets: 7 },
      )
    : undefined;
  const labels = Float64Array.from(split.test.value, (v) => (v > 0 ? 1 : 0));
  const run = (context: boolean): ClickScore => {
    const started = performance.now();
    const design = { ids: true, context, customerFeatures, target: (v: number) => (v > 0 ? 1 : 0) };
    const train = buildDesign(split.train, design);
    const test = buildDesign(split.test, design);
    const fm = new FactorizationMachine().fit(train, {
      solver: opts.solver ?? 'mcmc',
      task: 'classification',
      k: opts.k ?? 8,
      iterations: opts.iterations ?? 60,
      seed,
      test,
    });
    const p = fm.predict(test);
    return { auc: aucBinary(labels, p), logloss: logLoss(labels, p), seconds: (performance.now() - started) / 1000 };
  };
  let positives = 0;
  for (const y of labels) positives += y;
  return {
    withoutContext: run(false),
    withContext: run(true),
    train: split.train.length,
    test: split.test.length,
    clickRate: positives / Math.max(1, labels.length),
  };
}

// ---------------------------------------------------------------------------------------------
// Segment recovery

export interface SegmentRecoveryOptions {
  /** ALS factors; default 8 (measured best for the segment ARI on the synthetic bank). */
  factors?: number;
  /** ALS alternations; default 10. */
  iterations?: number;
  /** ALS regularisation; default the model's. */
  regularization?: number;
  /** Clusters; default the number of distinct values of the attribute. */
  k?: number;
  seed?: number;
  /** The customer attribute to recover; default 'segment'. */
  attribute?: string;
  /** Scale each factor vector to unit length before k-means (cosine geometry); default true. */
  unitLength?: boolean;
  /** Neighbours in the vote; default 20; 0 skips the vote (voteAccuracy and majorityAccuracy are then NaN). */
  neighbours?: number;
  /** Given to the ALS fit, which checks it between iterations (the CLI's Ctrl-C). */
  signal?: AbortSignal;
  /** Use the approximate (HNSW) neighbour index from this many customers on; default 10,000. */
  approximateFrom?: number;
  /**
   * Interaction weights; default the model's (CLICK 1, CHECKOUT 3, ACQUIRE 3) but with displays left
   * out unless weights.display says otherwise: what the bank chose to show says little of the
   * customer. Measured on 20,000 synthetic customers (seed 7, BENCH=planted): ARI 0.220 and vote
   * 0.744 (majority 0.451) without displays, 0.061 and 0.627 (majority 0.540) with displays at 0.1,
   * where every displayed customer is clustered.
   */
  interactions?: InteractionOptions;
}

export interface SegmentRecoveryResult {
  /** ARI between k-means clusters and the attribute. */
  ari: number;
  /** ARI with the other choice of unitLength, for comparison. */
  ariOther: number;
  voteAccuracy: number;
  majorityAccuracy: number;
  /** Customers with events and a known attribute value (the ones clustered and voted). */
  customers: number;
  k: number;
  /** The attribute's values, in label order. */
  classes: string[];
  seconds: number;
}

/**
 * Fits implicit ALS on the log's interactions, keeps the customers with events and a known
 * attribute value, clusters their factor vectors with k-means (k = number of attribute values) and
 * reports the ARI against the attribute, plus the neighbour vote's accuracy against the majority class.
 */
export async function segmentRecoveryCheck(
  log: EventLog,
  customerAttributes: readonly AttributeRow[],
  opts: SegmentRecoveryOptions = {},
): Promise<SegmentRecoveryResult> {
  const started = performance.now();
  const attribute = opts.attribute ?? 'segment';
  const seed = opts.seed ?? 42;
  const label = new Map<string, string>();
  for (const r of customerAttributes) if (r.name === attribute && r.str !== null && r.str !== '') label.set(r.id, r.str);
  if (label.size === 0) throw new NextbestError('UNSUITABLE_DATA', `no customer has the attribute "${attribute}"`);

  const interactions = buildInteractions(log, { ...opts.interactions, weights: { display: 0, ...opts.interactions?.weights } });
  const params: Record<string, number> = { factors: opts.factors ?? 8, iterations: opts.iterations ?? 10, seed };
  if (opts.regularization !== undefined) params.regularization = opts.regularization;
  const als = new AlsRecommender(params);
  await als.fit({ log, interactions }, { signal: opts.signal });
  const state = als.state();
  const user = state.arrays.user as Float32Array;
  const dims = params.factors;
  const m = interactions.userItem;

  const classes = [...new Set(label.values())].sort();
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const rows: number[] = [];
  const labels: number[] = [];
  for (let u = 0; u < m.rows; u++) {
    if (m.indptr[u + 1] === m.indptr[u]) continue;
    const l = label.get(log.customers.id(u));
    if (l === undefined) continue;
    rows.push(u);
    labels.push(classIndex.get(l)!);
  }
  const n = rows.length;
  const k = opts.k ?? classes.length;
  if (n < k) throw new NextbestError('UNSUITABLE_DATA', `only ${n} customers have events and a ${attribute}; need at least ${k}`);
  const x = new Float32Array(n * dims);
  rows.forEach((u, i) => x.set(user.subarray(u * dims, (u + 1) * dims), i * dims));
  const unit = normalised(x, dims);
  const unitLength = opts.unitLength ?? true;
  const ariOf = (v: Float32Array): number => adjustedRandIndex(kmeans(v, dims, { k, seed }).assignments, labels);
  const ari = ariOf(unitLength ? unit : x);
  const ariOther = ariOf(unitLength ? x : unit);
  const neighbours = opts.neighbours ?? 20;
  const vote =
    neighbours > 0
      ? neighbourVote(new FactorIndex(x, dims, { approximateFrom: opts.approximateFrom ?? 10_000 }), Int32Array.from(labels), neighbours)
      : { accuracy: NaN, majorityAccuracy: NaN };
  return {
    ari,
    ariOther,
    voteAccuracy: vote.accuracy,
    majorityAccuracy: vote.majorityAccuracy,
    customers: n,
    k,
    classes,
    seconds: (performance.now() - started) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// Loading

export interface PlantedData {
  log: EventLog;
  customerAttributes: AttributeRow[];
}

/** The event log and the customer attributes of a source (the store). */
export async function loadPlantedData(source: TrainingSource): Promise<PlantedData> {
  const log = await loadEventLog(source);
  const customerAttributes: AttributeRow[] = [];
  for await (const batch of source.attributes('customer')) for (const r of batch) customerAttributes.push(r);
  return { log, customerAttributes };
}
