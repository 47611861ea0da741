// Training a model on the store's events (or a split's train part) and saving it: a ranking model
// with the side features its parameters ask for (and their encoding), or the rating / accept-decline
// factorization machine.
import { join } from 'node:path';
import { NextbestError } from '../core/errors.js';
import type { EventType } from '../data/model.js';
import { pointwiseParams, trainEventModel, type PointwiseTask } from '../eval/pointwise-models.js';
import type { FitProgress } from '../models/contract.js';
import { ImportedFactorsRecommender, type FactorCoverage } from '../models/imported-factors.js';
import { createModel, modelNeeds } from '../models/registry.js';
import { fitModel, saveTrainedModel, type TrainedModel } from '../models/trained-model.js';
import { addsTrainingSet, heldTrainingSet, loadHoldings } from './adds-data.js';
import { loadAttributes, loadTrainingLog } from './data.js';
import { fitInWorker } from './fit-in-worker.js';
import { Dataset } from './dataset.js';
import { modelsDir } from './model-files.js';
import type { StoreAccess } from './store-access.js';
import type { WorkHooks } from './work.js';
import { runBlocking } from './work.js';

export interface TrainRequest extends WorkHooks {
  model: string;
  params: Readonly<Record<string, string>>;
  /** Train on this split's train part; default every event in the store. */
  split?: string;
  /** Where to save; default <models folder>/<model>.nbm. */
  out?: string;
  onProgress?: (p: FitProgress) => void;
  /** Report the training loss even where it costs extra work. */
  trainingLoss?: boolean;
  /**
   * Fit in a worker thread, so the calling thread stays free (a server's requests); models that need
   * side features (customer, product or context) fit in this thread.
   */
  inWorker?: boolean;
  /** Interaction weights by event type (defaults: DEFAULT_EVENT_WEIGHTS); the model keeps them for scoring live events. */
  weights?: Partial<Record<EventType, number>>;
  /** 'adds' (Santander): learn next month's adds from the store's monthly holdings; default 'ranking'. */
  task?: 'ranking' | 'adds';
}

export interface TrainResult {
  model: string;
  params: object;
  out: string;
  customers: number;
  products: number;
  events: number;
  fitSeconds: number;
  /** Factors trained elsewhere (model `factors`): how many of the store's ids their tables cover. */
  coverage?: FactorCoverage;
}

export async function trainModel(store: StoreAccess, req: TrainRequest): Promise<TrainResult> {
  const model = createModel(req.model, req.params);
  // Events the store receives from now on are not in this model: they count as live (live-history.ts).
  const readAt = new Date().toISOString();
  const fitOpts = { signal: req.signal, trainingLoss: req.trainingLoss, onProgress: req.onProgress };
  const started = performance.now();
  let trained: TrainedModel;
  let events: number;
  if (req.task === 'adds') {
    if (req.split) throw new NextbestError('BAD_OPTION', '--split is for --task ranking; the adds task trains on every month of the store\'s holdings');
    const h = await loadHoldings(store);
    const held = heldTrainingSet(h);
    const withFeatures = await addsTrainingSet(new Dataset(store), { name: req.model, params: req.params }, h, held);
    const fitted = await fitModel(model, withFeatures.data.log, {}, fitOpts, withFeatures);
    // It ranks the month after the last one, from and without what is held then; live events do not move it.
    const last = h.months.length - 1;
    trained = { ...fitted, history: held.interactions.userItem, interactionOptions: { binary: true }, meta: { task: 'adds', month: h.monthName(last) } };
    events = withFeatures.data.log.length;
  } else {
    const log = await loadTrainingLog(store, req.split);
    const inWorker = req.inWorker && !modelNeeds(req.model, req.params);
    const interactions = req.weights ? { weights: req.weights } : {};
    const withFeatures = inWorker ? undefined : await new Dataset(store).forModel({ name: req.model, params: req.params }, log, interactions);
    trained = inWorker ? await fitInWorker(req.model, req.params, log, fitOpts, interactions) : await fitModel(model, log, interactions, fitOpts, withFeatures);
    events = log.length;
  }
  await req.beforeWrite?.();
  const fitSeconds = (performance.now() - started) / 1000;
  trained.meta = { ...trained.meta, trainedAt: new Date().toISOString(), readAt, split: req.split ?? null, events, fitSeconds };
  const out = req.out ?? join(modelsDir(store.name), `${req.model}.nbm`);
  saveTrainedModel(out, trained);
  const coverage = model instanceof ImportedFactorsRecommender && model.coverage ? { coverage: model.coverage } : {};
  return { model: req.model, params: model.params, out, customers: trained.customers.size, products: trained.products.size, events, fitSeconds, ...coverage };
}

export interface TrainEventRequest extends WorkHooks {
  task: PointwiseTask;
  params: Readonly<Record<string, string>>;
  split?: string;
  /** Where to save; default <models folder>/fm-<task>.nbm. */
  out?: string;
  onProgress?: (p: FitProgress) => void;
}

export interface TrainEventResult {
  model: 'fm';
  task: PointwiseTask;
  params: Record<string, unknown>;
  out: string;
  events: number;
  features: number;
  fitSeconds: number;
}

/** The rating or accept / decline factorization machine over its feature groups, saved for predict. */
export async function trainEventTask(store: StoreAccess, req: TrainEventRequest): Promise<TrainEventResult> {
  const { task } = req;
  pointwiseParams('fm', req.params, task);
  const log = await loadTrainingLog(store, req.split);
  if (log.length === 0)
    throw new NextbestError('NO_EVENTS', `there are no events to train on in ${req.split ? `the train part of ${req.split}` : `the store ${store.name}; run nextbest ingest first`}`);
  const attributes = await loadAttributes(store);
  const started = performance.now();
  const model = runBlocking(req, () => trainEventModel({ ...req.params }, task, attributes, log, req.onProgress));
  await req.beforeWrite?.();
  const fitSeconds = (performance.now() - started) / 1000;
  const out = req.out ?? join(modelsDir(store.name), `fm-${task}.nbm`);
  model.save(out);
  return { model: 'fm', task, params: model.parts.params, out, events: log.length, features: model.parts.featureNames.length, fitSeconds };
}
