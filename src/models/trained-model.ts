// A fitted model together with what it needs to answer on its own: the id maps of its index space,
// the training history it scores from (and excludes by default), and the options it was trained with.
// This is what `nextbest train` saves and `recommend`, `similar` and `export` load.
import { NextbestError } from '../core/errors.js';
import { buildInteractions, CsrMatrix, IdMap, type EventLog, type InteractionOptions, type TopK } from '../matrix/index.js';
import { readArtifact, writeArtifact, type ModelArtifact } from './artifact.js';
import type { FitOptions, Recommender, RecommendOptions, TrainingSet } from './contract.js';
import type { FeatureEncoding } from './needs.js';
import { lastEventTime, productFirstSeen } from './exploration.js';
import { createModel } from './registry.js';

export interface TrainedModel {
  model: Recommender;
  customers: IdMap;
  products: IdMap;
  /** customers x products training strengths. */
  history: CsrMatrix;
  interactionOptions: InteractionOptions;
  /** How the side features it was trained with were encoded (empty when it uses none). */
  features: FeatureEncoding;
  meta: Record<string, unknown>;
}

/**
 * Whether the model ranks next month's adds (train --task adds): its history is what each customer held
 * at the end of the last month trained on (meta.month), and every customer of that month is known,
 * whether or not they held anything.
 */
export const ranksAdds = (t: TrainedModel): boolean => t.meta.task === 'adds';

export function trainingSet(log: EventLog, interactionOptions: InteractionOptions = {}): TrainingSet {
  return { log, interactions: buildInteractions(log, interactionOptions) };
}

/** Fits on a log alone, or on a training set with its side features (and their encoding) when given. */
export async function fitModel(
  model: Recommender,
  log: EventLog,
  interactionOptions: InteractionOptions = {},
  opts: FitOptions = {},
  withFeatures?: { data: TrainingSet; features: FeatureEncoding },
): Promise<TrainedModel> {
  const data = withFeatures?.data ?? trainingSet(log, interactionOptions);
  await model.fit(data, opts);
  return {
    model,
    customers: log.customers,
    products: log.products,
    history: data.interactions.userItem,
    interactionOptions,
    features: withFeatures?.features ?? {},
    meta: { trainedThrough: log.length ? lastEventTime(log) : null, productFirstSeen: Array.from(productFirstSeen(log), (t) => (Number.isNaN(t) ? null : t)) },
  };
}

/** Recommendations by customer id; unknown customers get an empty history (cold start). */
export function recommendFor(
  trained: TrainedModel,
  customerIds: readonly string[],
  opts: Omit<RecommendOptions, 'history'>,
): { customerId: string; products: string[]; scores: number[] }[] {
  const indices = Int32Array.from(customerIds, (id) => trained.customers.index(id));
  const lists: TopK[] = trained.model.recommend(indices, { ...opts, history: trained.history });
  return lists.map((l, n) => ({
    customerId: customerIds[n],
    products: Array.from(l.items, (p) => trained.products.id(p)),
    scores: Array.from(l.scores),
  }));
}

export function saveTrainedModel(path: string, t: TrainedModel): void {
  const state = t.model.state();
  writeArtifact(path, {
    model: t.model.name,
    params: t.model.params,
    state: {
      arrays: {
        ...state.arrays,
        'history.indptr': t.history.indptr,
        'history.indices': t.history.indices,
        'history.data': t.history.data,
      },
      json: state.json,
    },
    meta: {
      ...t.meta,
      customers: t.customers.toJSON(),
      products: t.products.toJSON(),
      interactionOptions: t.interactionOptions,
      features: t.features,
    },
  });
}

export const loadTrainedModel = (path: string): TrainedModel => trainedModelOf(readArtifact(path), path);

/** The ranking model a decoded artifact holds; `source` names it in messages. */
export function trainedModelOf(a: ModelArtifact, source: string): TrainedModel {
  if (a.model === 'fm-rating' || a.model === 'fm-classification')
    throw new NextbestError('BAD_OPTION', `${source} holds a ${a.model.slice(3)} model, not a ranking one; score events with it through nextbest predict`);
  const { customers: c, products: p, interactionOptions, features, ...meta } = a.meta;
  const customers = IdMap.fromJSON(c);
  const products = IdMap.fromJSON(p);
  const { 'history.indptr': indptr, 'history.indices': indices, 'history.data': data, ...arrays } = a.state.arrays;
  if (!(indptr instanceof Int32Array && indices instanceof Int32Array && data instanceof Float32Array)) {
    throw new NextbestError('CORRUPT_MODEL', `${source} has no training history; train it again with nextbest train`);
  }
  const model = createModel(a.model, a.params as Record<string, string | number | boolean>);
  model.restore({ arrays, json: a.state.json });
  return {
    model,
    customers,
    products,
    history: new CsrMatrix(customers.size, products.size, indptr, indices, data),
    interactionOptions: (interactionOptions ?? {}) as InteractionOptions,
    features: (features ?? {}) as FeatureEncoding,
    meta,
  };
}
