// Popularity baselines: the same list for everyone (global), per customer segment, or trending
// (recent events count more). The floor every other model must clear.
import { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import { DEFAULT_EVENT_WEIGHTS, eventTypeCode, type SideFeatures, type SparseRow, type TopK } from '../matrix/index.js';
import { BaseRecommender } from './base.js';
import { checkSameParams, notFitted, similarFromDense, stateArray, stateCount, trainingShape } from './common.js';
import type { FitOptions, ModelState, Reason, TrainingSet } from './contract.js';
import type { DataNeeds } from './needs.js';
import { numberParam, parseParams, type RawParams } from './params.js';
import { attributeOf } from './fm/index.js';

export const PopularityParams = z
  .object({
    /** global: distinct customers per product; segment: the same within the customer's segment; trending: decayed event counts. */
    mode: z.enum(['global', 'segment', 'trending']).default('global'),
    /** trending: an event's weight halves every this many days before the latest event. */
    halfLifeDays: numberParam(z.number().positive()).default(30),
    /**
     * segment: the customer attribute whose values name the segments, or several joined by "+" (each
     * combination of their values is a segment, e.g. age+gender); default segment.
     */
    segmentAttribute: z.string().min(1).optional(),
    /** segment: numeric segment attributes in this many quantile buckets (default: each number is a value). */
    segmentBuckets: numberParam(z.number().int().min(2).max(100)).optional(),
  })
  .strict();
export type PopularityParams = z.output<typeof PopularityParams>;

/** The customer attribute that names segments when segmentAttribute is not given. */
export const DEFAULT_SEGMENT_ATTRIBUTE = 'segment';

/** The attributes a segmentAttribute names ("age+gender": both). */
const segmentAttributes = (spec: string): string[] => spec.split('+').map((a) => a.trim()).filter(Boolean);

/** Segment mode needs the segment attribute of every customer. */
export function popularityNeeds(raw: RawParams): DataNeeds | null {
  const p = parseParams('popularity', PopularityParams, raw);
  if (p.mode !== 'segment') return null;
  const attributes = segmentAttributes(p.segmentAttribute ?? DEFAULT_SEGMENT_ATTRIBUTE);
  const buckets = p.segmentBuckets;
  return {
    who: `model "popularity" with mode=segment`,
    customer: { attributes, required: attributes, requiredFix: 'set segmentAttribute to one of them', buckets: buckets ?? 10, normalize: false, categorical: buckets === undefined },
  };
}

const SECONDS_PER_DAY = 86_400;
/** Event types that are positive signals (weight > 0), indexed like EventLog.type. */
const POSITIVE = new Uint8Array(256);
for (const [type, weight] of Object.entries(DEFAULT_EVENT_WEIGHTS))
  if (weight > 0) POSITIVE[eventTypeCode(type as keyof typeof DEFAULT_EVENT_WEIGHTS)] = 1;

export class PopularityRecommender extends BaseRecommender<PopularityParams> {
  readonly name = 'popularity';
  /** Score per product for customers without a segment (and for similarItems). */
  private scores: Float32Array = new Float32Array(0);
  /** segments x products scores (segment mode). */
  private segmentScores: Float32Array = new Float32Array(0);
  /** Segment of each training customer, -1 for none. */
  private customerSegment: Int32Array = new Int32Array(0);
  private segments: string[] = [];

  constructor(params: RawParams = {}) {
    const p = parseParams('popularity', PopularityParams, params);
    super(p.mode === 'segment' ? { ...p, segmentAttribute: p.segmentAttribute ?? DEFAULT_SEGMENT_ATTRIBUTE } : p);
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const started = performance.now();
    opts?.signal?.throwIfAborted();
    const { products } = trainingShape(this.name, data);
    const x = data.interactions.userItem;
    const scores = new Float32Array(products);
    if (this.params.mode === 'trending') {
      // Each positive event counts 0.5^(age / halfLife), age from the latest event in the log.
      const { log } = data;
      let latest = -Infinity;
      for (let k = 0; k < log.length; k++) if (log.time[k] > latest) latest = log.time[k];
      const rate = Math.LN2 / (this.params.halfLifeDays * SECONDS_PER_DAY);
      const acc = new Float64Array(products);
      for (let k = 0; k < log.length; k++) {
        const p = log.product[k];
        if (POSITIVE[log.type[k]] && p < products) acc[p] += Math.exp(-rate * (latest - log.time[k]));
      }
      scores.set(acc);
    } else {
      scores.set(x.colCounts());
    }
    this.segmentScores = new Float32Array(0);
    this.customerSegment = new Int32Array(0);
    this.segments = [];
    if (this.params.mode === 'segment') this.fitSegments(data, scores);
    this.scores = scores;
    this.products = products;
    this.done(opts, started);
  }

  /** Distinct customers per (segment, product); global popularity breaks ties within a segment. */
  private fitSegments(data: TrainingSet, global: Float32Array): void {
    const attr = this.params.segmentAttribute as string;
    const features = data.customerFeatures;
    if (!features)
      throw new NextbestError('BAD_PARAMETER', `model "popularity" with mode=segment needs customer features with "${attr}=<value>" columns`);
    const attributes = segmentAttributes(attr);
    for (const a of attributes)
      if (!features.features.ids().some((f) => attributeOf(f) === a))
        throw new NextbestError('BAD_PARAMETER', `no customer feature "${a}=<value>" found; check segmentAttribute=${attr}`);
    const x = data.interactions.userItem;
    const n = x.cols;
    const keys = segmentKeys(features, attributes, x.rows);
    const segments = [...new Set(keys.filter((k): k is string => k !== null))].sort();
    const customerSegment = segmentOfCustomers(keys, segments);
    const counts = new Float64Array(segments.length * n);
    for (let c = 0; c < x.rows; c++) {
      const s = customerSegment[c];
      if (s < 0) continue;
      for (let k = x.indptr[c]; k < x.indptr[c + 1]; k++) counts[s * n + x.indices[k]]++;
    }
    let maxCount = 0;
    let maxGlobal = 0;
    for (let k = 0; k < counts.length; k++) if (counts[k] > maxCount) maxCount = counts[k];
    for (let p = 0; p < n; p++) if (global[p] > maxGlobal) maxGlobal = global[p];
    // A fraction below 1 keeps the segment count order exact; skipped where float32 could round it up.
    const tie = maxCount < 65_536 ? 0.5 / (maxGlobal + 1) : 0;
    const segmentScores = new Float32Array(counts.length);
    for (let k = 0; k < counts.length; k++) segmentScores[k] = counts[k] + tie * global[k % n];
    this.segments = segments;
    this.customerSegment = customerSegment;
    this.segmentScores = segmentScores;
  }

  /** Segment mode: each customer's segment from these features (its current attributes); a segment not seen in training scores as none. */
  useFeatures(features: { customer?: SideFeatures }): void {
    if (this.params.mode !== 'segment' || !features.customer) return;
    if (!this.products) throw notFitted(this.name);
    const keys = segmentKeys(features.customer, segmentAttributes(this.params.segmentAttribute as string), this.customerSegment.length);
    this.customerSegment = segmentOfCustomers(keys, this.segments);
  }

  scoreInto(customer: number, _history: SparseRow, out: Float32Array): void {
    if (!this.products) throw notFitted(this.name);
    const s = customer >= 0 && customer < this.customerSegment.length ? this.customerSegment[customer] : -1;
    const n = this.products;
    out.set(s >= 0 ? this.segmentScores.subarray(s * n, (s + 1) * n) : this.scores);
  }

  /** How popular each product is where the customer is scored from: its segment, everyone, or recent events. */
  explain(customer: number, _history: SparseRow, products: Int32Array): Reason[] {
    if (!this.products) throw notFitted(this.name);
    const s = customer >= 0 && customer < this.customerSegment.length ? this.customerSegment[customer] : -1;
    const trending = this.params.mode === 'trending';
    return Array.from(products, (p): Reason => {
      // Segment scores are whole counts plus a tie-break below 1; global scores are counts.
      const weight = s >= 0 ? this.segmentScores[s * this.products + p] : this.scores[p];
      if (s >= 0) return { kind: 'popular', basis: 'segment', customers: Math.floor(weight), segment: this.segments[s], weight };
      return { kind: 'popular', basis: trending ? 'trending' : 'global', customers: trending ? null : weight, segment: null, weight };
    });
  }

  /** The most popular other products (global or trending popularity). */
  similarItems(products: Int32Array, k: number): TopK[] {
    if (!this.products) throw notFitted(this.name);
    return similarFromDense(() => this.scores, this.products, products, k);
  }

  state(): ModelState {
    if (!this.products) throw notFitted(this.name);
    return {
      arrays: { scores: this.scores, segmentScores: this.segmentScores, customerSegment: this.customerSegment },
      json: { params: this.params, products: this.products, segments: this.segments },
    };
  }

  restore(state: ModelState): void {
    checkSameParams(this.name, this.params, state);
    const products = stateCount(this.name, state, 'products');
    const segments = state.json.segments;
    if (!(Array.isArray(segments) && segments.every((s) => typeof s === 'string')))
      throw new NextbestError('CORRUPT_MODEL', `model ${this.name}: saved state has no segment list; save the model again`);
    this.scores = stateArray(this.name, state, 'scores', Float32Array, products);
    this.segmentScores = stateArray(this.name, state, 'segmentScores', Float32Array, segments.length * products);
    this.customerSegment = stateArray(this.name, state, 'customerSegment', Int32Array);
    for (const s of this.customerSegment)
      if (s < -1 || s >= segments.length)
        throw new NextbestError('CORRUPT_MODEL', `model ${this.name}: saved customerSegment refers to segment ${s} of ${segments.length}`);
    this.segments = segments as string[];
    this.products = products;
  }
}

/**
 * Each of the first `customers` rows' segment name: the value of its one segment attribute ("MASS" of
 * "segment=MASS"), or its features of several joined ("age#2 & gender=M"); null when it lacks one.
 */
function segmentKeys(features: SideFeatures, attributes: readonly string[], customers: number): (string | null)[] {
  const names = features.features.ids();
  const attributeIndex = names.map((f) => attributes.indexOf(attributeOf(f)));
  const fm = features.matrix;
  return Array.from({ length: customers }, (_, c) => {
    if (c >= fm.rows) return null;
    const parts: (string | null)[] = attributes.map(() => null);
    for (let k = fm.indptr[c]; k < fm.indptr[c + 1]; k++) {
      const a = attributeIndex[fm.indices[k]];
      if (a >= 0 && fm.data[k] > 0 && parts[a] === null) parts[a] = names[fm.indices[k]];
    }
    if (parts.some((p) => p === null)) return null;
    return attributes.length === 1 ? (parts[0] as string).slice(attributes[0].length + 1) : parts.join(' & ');
  });
}

/** Each customer's index in `segments`, or -1 (no key, or a segment not seen in training). */
function segmentOfCustomers(keys: readonly (string | null)[], segments: readonly string[]): Int32Array {
  const index = new Map(segments.map((name, i) => [name, i]));
  return Int32Array.from(keys, (k) => (k === null ? -1 : (index.get(k) ?? -1)));
}
