// Evaluating models: ranking models on a split against the popularity baseline (each model fitted on
// the split's train part with the side features it needs), reports written beside the store; rating
// and accept / decline models on a split or by k-fold cross-validation.
import { evaluate, type EvaluationReport, type ModelSpec } from '../eval/runner.js';
import { crossValidate, evaluatePointwise, type PointwiseProgress, type PointwiseReport } from '../eval/pointwise.js';
import type { PointwiseTask } from '../eval/pointwise-models.js';
import type { FitProgress } from '../models/contract.js';
import { resolveParams } from '../models/registry.js';
import { loadAttributes, loadLog, loadSplit } from './data.js';
import { Dataset } from './dataset.js';
import { reportsDir, writeReports, type ReportFiles } from './reports.js';
import type { StoreAccess } from './store-access.js';
import { runBlocking, type WorkHooks } from './work.js';

export interface EvaluateRequest extends WorkHooks {
  /** The models compared, and the baseline when it is not one of them. */
  models: ModelSpec[];
  baseline?: ModelSpec;
  split: string;
  k: number;
  bootstrap: number;
  /** Where the JSON and Markdown reports go; default reports/ beside the store. */
  reportDir?: string;
  onModel?: (name: string, phase: 'fit' | 'score', progress?: FitProgress) => void;
}

export async function evaluateRanking(store: StoreAccess, req: EvaluateRequest): Promise<{ report: EvaluationReport; files: ReportFiles }> {
  for (const m of [...(req.baseline ? [req.baseline] : []), ...req.models]) resolveParams(m.name, m.params);
  const split = await loadSplit(req.split, store);
  const dataset = new Dataset(store);
  const report = await evaluate({
    models: req.models,
    baseline: req.baseline,
    split,
    k: req.k,
    bootstrap: req.bootstrap,
    signal: req.signal,
    onModel: req.onModel,
    trainingSetFor: async (spec, shared) => (await dataset.forModel(spec, shared.log, {}, shared)).data,
  });
  await req.beforeWrite?.();
  const files = writeReports(report, req.reportDir ?? reportsDir(store.name), 'evaluate');
  return { report, files };
}

export interface EvaluatePointwiseRequest extends WorkHooks {
  task: PointwiseTask;
  models: ModelSpec[];
  /** Stratified k-fold cross-validation over every event (classification) instead of a split. */
  folds?: number;
  split: string;
  onProgress?: PointwiseProgress;
}

export async function evaluatePointwiseModels(store: StoreAccess, req: EvaluatePointwiseRequest): Promise<PointwiseReport> {
  const attributes = await loadAttributes(store);
  if (req.folds) {
    const log = await loadLog(store);
    return runBlocking(req, () => crossValidate(req.task, req.models, log, req.folds as number, attributes, undefined, req.onProgress));
  }
  const split = await loadSplit(req.split, store);
  return runBlocking(req, () => evaluatePointwise(req.task, req.models, split, attributes, req.onProgress));
}
