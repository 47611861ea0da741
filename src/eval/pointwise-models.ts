// The models that predict a value per (customer, product, context) event rather than rank products:
// the factorization machine with its feature groups chosen by parameters, and the prior baseline
// (mean rating, or the training acceptance rate). Used by `evaluate --task rating|classification`.
import { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import type { AttributeRow } from '../data/rows.js';
import type { EventLog, IdMap } from '../matrix/index.js';
import { buildSideFeatures, filterContext, type SideFeatures } from '../matrix/index.js';
import { EventModel, type SideEncoder } from '../models/fm/event-model.js';
import { buildDesign, FactorizationMachine, heldProducts, timeCuts, type Design, type RegSpec } from '../models/fm/index.js';
import type { FitProgress } from '../models/contract.js';
import { booleanParam, MAX_FACTORS, MAX_ITERATIONS, numberParam, parseParams, type RawParams } from '../models/params.js';

export type PointwiseTask = 'rating' | 'classification';

const list = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/[,+]/).map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.string()),
);

export const FmSpec = z
  .object({
    solver: z.enum(['sgd', 'als', 'mcmc']).default('mcmc'),
    k: numberParam(z.number().int().min(0).max(MAX_FACTORS)).default(8),
    iterations: numberParam(z.number().int().min(1).max(MAX_ITERATIONS)).default(100),
    /**
     * Feature groups: ids, customer (attributes), product (attributes), context, time (buckets of the
     * event time), held (the customer's training products, 1/sqrt(count) each, SVD++-style).
     */
    features: list.default(['ids']),
    /** Customer attributes to use (default all); "age" is bucketed into `buckets` quantile buckets. */
    customerAttributes: list.optional(),
    /** Product attributes to use; a trailing * matches a prefix ("genre:*"). */
    productAttributes: list.optional(),
    /** Context keys left out (e.g. duration, which leaks the outcome in the bank data). */
    excludeContext: list.default([]),
    buckets: numberParam(z.number().int().min(2).max(100)).default(7),
    /** held as one block per customer (ALS and MCMC sweep it on per-customer sums) or written into every row. */
    heldLayout: z.enum(['block', 'rows']).default('block'),
    /** Quantile buckets of the event time for the time group. */
    timeBuckets: numberParam(z.number().int().min(2).max(1000)).default(10),
    reg: numberParam(z.number().min(0)).optional(),
    /** Regularisation of the customer and product id groups when it should differ from `reg` (ALS). */
    regIds: numberParam(z.number().min(0)).optional(),
    learnRate: numberParam(z.number().positive()).optional(),
    initStdev: numberParam(z.number().positive()).default(0.1),
    normalizeProducts: booleanParam().default(true),
    seed: numberParam(z.number().int()).default(1),
  })
  .strict();
export type FmSpec = z.output<typeof FmSpec>;

export interface SideAttributes {
  customer: AttributeRow[];
  product: AttributeRow[];
}

export interface PointwiseModel {
  readonly name: string;
  readonly params: Record<string, unknown>;
  /** onProgress: after each iteration (FM epochs, sweeps or samples), with the training loss. */
  fit(train: EventLog, test: EventLog | null, onProgress?: (p: FitProgress) => void): void;
  /** Ratings or acceptance probabilities for every test event, in log order. */
  predict(): Float64Array;
}

const FEATURE_GROUPS = ['ids', 'customer', 'product', 'context', 'time', 'held'];

const matches = (patterns: string[] | undefined, name: string): boolean =>
  !patterns || patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name));

/** The entities' attributes as side features, and how they were encoded (for a saved model). */
function side(entities: IdMap, rows: AttributeRow[], keep: string[] | undefined, spec: FmSpec, normalize: boolean): { features: SideFeatures; encoder: SideEncoder } {
  const kept = rows.filter((r) => matches(keep, r.name));
  const features = buildSideFeatures(entities, kept, { numeric: 'bucket', buckets: spec.buckets, normalize });
  const encoder = { attributes: [...new Set(kept.map((r) => r.name))], cuts: Object.fromEntries(features.cuts ?? []), buckets: spec.buckets, normalize };
  return { features, encoder };
}

class FmModel implements PointwiseModel {
  readonly name = 'fm';
  private fm = new FactorizationMachine();
  private testDesign: Design | null = null;

  constructor(
    readonly params: FmSpec,
    private readonly task: PointwiseTask,
    private readonly attributes: SideAttributes,
  ) {}

  /** The fitted model on its own, for saving and scoring new events. */
  eventModel: EventModel | null = null;

  /** test: the events predict() answers for (none when the model is trained to be saved). */
  fit(train: EventLog, test: EventLog | null, onProgress?: (p: FitProgress) => void): void {
    const p = this.params;
    const unknown = p.features.filter((f) => !FEATURE_GROUPS.includes(f));
    if (unknown.length) throw new NextbestError('BAD_PARAMETER', `fm features ${unknown.join(', ')} unknown; use ${FEATURE_GROUPS.join(', ')}`);
    const customerSide = p.features.includes('customer') ? side(train.customers, this.attributes.customer, p.customerAttributes, p, false) : undefined;
    const productSide = p.features.includes('product') ? side(train.products, this.attributes.product, p.productAttributes, p, p.normalizeProducts) : undefined;
    const opts = {
      ids: p.features.includes('ids'),
      context: p.features.includes('context'),
      timeCuts: p.features.includes('time') ? timeCuts(train, p.timeBuckets) : undefined,
      held: p.features.includes('held') ? heldProducts(train) : undefined,
      heldLayout: p.heldLayout,
      customerFeatures: customerSide?.features,
      productFeatures: productSide?.features,
      target: this.task === 'classification' ? (value: number) => (value > 0 ? 1 : 0) : undefined,
    };
    const keep = (key: string): boolean => !p.excludeContext.includes(key);
    const design = buildDesign(filterContext(train, keep), opts);
    this.testDesign = test && buildDesign(filterContext(test, keep), opts);
    this.fm.fit(design, {
      solver: p.solver,
      task: this.task === 'rating' ? 'regression' : 'classification',
      k: p.k,
      iterations: p.iterations,
      initStdev: p.initStdev,
      reg: groupReg(design, p),
      learnRate: p.learnRate,
      seed: p.seed,
      test: this.testDesign ?? undefined,
      onProgress: onProgress && ((f) => onProgress({ iteration: f.iteration, total: f.iterations, elapsedSeconds: f.seconds, loss: f.train })),
    });
    this.eventModel = new EventModel({
      task: this.task,
      params: { ...p },
      fm: this.fm,
      featureNames: design.featureNames,
      customers: train.customers,
      products: train.products,
      ids: opts.ids,
      context: opts.context,
      timeCuts: opts.timeCuts,
      customerSide: customerSide?.encoder,
      productSide: productSide?.encoder,
      held: opts.held,
    });
  }

  predict(): Float64Array {
    if (!this.testDesign) throw new NextbestError('INTERNAL', 'fm is not fitted');
    return this.fm.predict(this.testDesign);
  }
}

/** `reg` for every group, or with `regIds` one value per group: regIds on the id groups, reg on the rest. */
function groupReg(design: Design, p: FmSpec): RegSpec | undefined {
  if (p.regIds === undefined) return p.reg;
  if (p.reg === undefined) throw new NextbestError('BAD_PARAMETER', 'fm regIds needs reg for the other groups; add --param fm.reg=N');
  const perGroup = design.groupNames.map((g) => (g === 'customer' || g === 'product' ? p.regIds! : p.reg!));
  return { w: perGroup, v: perGroup };
}

/** The mean training target: the mean rating, or the acceptance rate (a popularity prior). */
class PriorModel implements PointwiseModel {
  readonly name = 'prior';
  readonly params = {};
  private mean = 0;
  private n = 0;

  constructor(private readonly task: PointwiseTask) {}

  fit(train: EventLog, test: EventLog | null): void {
    let s = 0;
    for (let i = 0; i < train.length; i++) s += this.task === 'classification' ? (train.value[i] > 0 ? 1 : 0) : train.value[i];
    this.mean = s / Math.max(1, train.length);
    this.n = test?.length ?? 0;
  }

  predict(): Float64Array {
    return new Float64Array(this.n).fill(this.mean);
  }
}

export const POINTWISE_MODELS = ['fm', 'prior'] as const;

/** Fits the FM on every event of log, for saving (nextbest train --task rating|classification). */
export function trainEventModel(
  raw: Record<string, string>,
  task: PointwiseTask,
  attributes: SideAttributes,
  log: EventLog,
  onProgress?: (p: FitProgress) => void,
): EventModel {
  const model = new FmModel(parseParams('fm', FmSpec, raw), task, attributes);
  model.fit(log, null, onProgress);
  return model.eventModel!;
}

/** The prior has no parameters. */
const PriorSpec = z.object({}).strict();

/** A rating or accept / decline model's parameters, validated with defaults filled; an unknown model is refused. */
export function pointwiseParams(name: string, raw: RawParams, task: PointwiseTask): FmSpec | Record<string, never> {
  if (name === 'fm') return parseParams('fm', FmSpec, raw);
  if (name === 'prior') return parseParams('prior', PriorSpec, raw);
  throw new NextbestError('BAD_OPTION', `model "${name}" does not predict ${task === 'rating' ? 'ratings' : 'acceptance'}; use ${POINTWISE_MODELS.join(', ')}`);
}

export function createPointwiseModel(
  name: string,
  raw: Record<string, string>,
  task: PointwiseTask,
  attributes: SideAttributes,
): PointwiseModel {
  const params = pointwiseParams(name, raw, task);
  return name === 'fm' ? new FmModel(params as FmSpec, task, attributes) : new PriorModel(task);
}
