// `evaluate --task context`: one ranking model with context features, trained on a split's train part,
// scored on the held-out displays and clicks in their own context and in the training-average context
// (src/eval/context.ts). By default the fm with every feature group and the logistic loss (the pairwise
// losses only let context reorder products, not say which contexts raise engagement), and display
// events weigh nothing: a display is what the bank chose to show, a click is the customer's choice.
import { NextbestError } from '../core/errors.js';
import type { EventType } from '../data/model.js';
import { evaluateContext, type ContextEvaluation } from '../eval/context.js';
import type { ModelSpec } from '../eval/runner.js';
import type { FitProgress } from '../models/contract.js';
import { createModel, resolveParams } from '../models/registry.js';
import { fitModel } from '../models/trained-model.js';
import { loadSplit } from './data.js';
import { Dataset } from './dataset.js';
import { contextKeys, requestContext } from './request-context.js';
import type { StoreAccess } from './store-access.js';
import type { WorkHooks } from './work.js';

/** The fm's parameters for a context evaluation unless given. */
export const CONTEXT_MODEL_DEFAULTS: Readonly<Record<string, string>> = { features: 'ids,customer,product,context', loss: 'logistic' };
/** Interaction weights of a context evaluation unless given. */
export const CONTEXT_WEIGHTS_DEFAULT: Readonly<Partial<Record<EventType, number>>> = { display: 0 };

export interface EvaluateContextRequest extends WorkHooks {
  model: ModelSpec;
  split: string;
  weights?: Partial<Record<EventType, number>>;
  k: number;
  /** Seconds after a display within which a click on its product is its click. */
  window: number;
  bootstrap: number;
  onProgress?: (p: FitProgress) => void;
}

export interface ContextReport extends ContextEvaluation {
  task: 'context';
  split: string;
  model: { name: string; params: object };
  weights: Partial<Record<EventType, number>>;
  k: number;
  window: number;
  trainEvents: number;
  testEvents: number;
  fitSeconds: number;
}

export async function evaluateContextModel(store: StoreAccess, req: EvaluateContextRequest): Promise<ContextReport> {
  const spec: ModelSpec = { name: req.model.name, params: { ...(req.model.name === 'fm' ? CONTEXT_MODEL_DEFAULTS : {}), ...req.model.params } };
  resolveParams(spec.name, spec.params);
  const weights = { ...CONTEXT_WEIGHTS_DEFAULT, ...req.weights };
  const split = await loadSplit(req.split, store);
  const withFeatures = await new Dataset(store).forModel(spec, split.train, { weights });
  if (!withFeatures.features.context)
    throw new NextbestError('BAD_OPTION', `--task context compares a model with and without the request's context; model ${spec.name} with these parameters has no context features (use fm with --param fm.features=ids,customer,product,context)`);
  const model = createModel(spec.name, spec.params);
  const started = performance.now();
  const trained = await fitModel(model, split.train, { weights }, { signal: req.signal, onProgress: req.onProgress }, withFeatures);
  const fitSeconds = (performance.now() - started) / 1000;
  const keys = contextKeys(trained);
  const encode = (context: Record<string, string>) => requestContext(trained, Object.fromEntries(Object.entries(context).filter(([key]) => keys.has(key))))?.request;
  const result = evaluateContext(trained, split.test, encode, { k: req.k, window: req.window, bootstrap: req.bootstrap });
  return {
    task: 'context',
    split: split.name,
    model: { name: spec.name, params: model.params },
    weights,
    k: req.k,
    window: req.window,
    trainEvents: split.train.length,
    testEvents: split.test.length,
    fitSeconds,
    ...result,
  };
}
