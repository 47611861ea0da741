// Grid search of a model's parameters on a validation split carved out of a split's train part (each
// setting fitted with the side features it needs), then optionally the best setting on the test part.
import { evaluate, type EvaluationReport, type EvaluateOptions } from '../eval/runner.js';
import { gridCombinations, tune, type TuneResult } from '../eval/tune.js';
import { resolveParams } from '../models/registry.js';
import { loadSplit } from './data.js';
import { Dataset } from './dataset.js';
import type { StoreAccess } from './store-access.js';

export interface TuneRequest {
  model: string;
  /** Values to try per parameter; the search is the full grid. */
  grid: Record<string, string[]>;
  /** Parameters held fixed. */
  fixed: Record<string, string>;
  split: string;
  k: number;
  /** Then evaluate the best setting on the test part against popularity. */
  test?: boolean;
  signal?: AbortSignal;
}

export interface TuneOutcome {
  result: TuneResult;
  /** The name of the outer split. */
  split: string;
  test: EvaluationReport | null;
}

export async function tuneModel(store: StoreAccess, req: TuneRequest): Promise<TuneOutcome> {
  for (const combo of gridCombinations(req.grid)) resolveParams(req.model, { ...req.fixed, ...combo });
  const split = await loadSplit(req.split, store);
  const dataset = new Dataset(store);
  const trainingSetFor: EvaluateOptions['trainingSetFor'] = async (spec, shared) => (await dataset.forModel(spec, shared.log, {}, shared)).data;
  const result = await tune({ model: req.model, grid: req.grid, fixed: req.fixed, train: split.train, k: req.k, signal: req.signal, trainingSetFor });
  const test = req.test
    ? await evaluate({ models: [{ name: req.model, params: { ...req.fixed, ...result.best.params } }], split, k: req.k, signal: req.signal, trainingSetFor })
    : null;
  return { result, split: split.name, test };
}
