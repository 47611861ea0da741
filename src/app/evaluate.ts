// Evaluating models: ranking models on a split against the popularity baseline (each model fitted on
// the split's train part with the side features it needs), reports written beside the store; rating
// and accept / decline models on a split or by k-fold cross-validation.
import { santanderMap } from '../eval/metrics/index.js';
import { evaluate, runModels, type EvaluationReport, type ModelSpec } from '../eval/runner.js';
import { smallSampleWarning } from '../eval/small-sample.js';
import { crossValidate, evaluatePointwise, type PointwiseProgress, type PointwiseReport } from '../eval/pointwise.js';
import type { PointwiseTask } from '../eval/pointwise-models.js';
import type { FitProgress } from '../models/contract.js';
import type { ExplorationOptions } from '../models/exploration.js';
import { resolveParams } from '../models/registry.js';
import { addsTrainingSet, heldTrainingSet, loadHoldings, monthToPredict } from './adds-data.js';
import { loadAttributes, loadLog, loadSplit } from './data.js';
import { bitCount } from '../matrix/holdings.js';
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

export interface EvaluateRankingRequest extends EvaluateRequest {
  /** Exploration of cold products in every list, with its share and NDCG cost in the report. */
  explore?: ExplorationOptions;
}

export async function evaluateRanking(store: StoreAccess, req: EvaluateRankingRequest): Promise<{ report: EvaluationReport; files: ReportFiles }> {
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
    explore: req.explore,
    trainingSetFor: async (spec, shared) => (await dataset.forModel(spec, shared.log, {}, shared)).data,
  });
  await req.beforeWrite?.();
  const files = writeReports(report, req.reportDir ?? reportsDir(store.name), 'evaluate');
  return { report, files };
}

export interface EvaluateAddsRequest extends Omit<EvaluateRequest, 'split'> {
  /** The month to predict (a snapshot date, YYYY-MM-DD); default the store's last. */
  month?: string;
}

/**
 * The Santander task: every model trained on the months before `month`, ranking for every customer in
 * the month before what they do not hold, scored against what they added in `month`: Kaggle's MAP@K over
 * every customer ranked (kaggle-map@K, customers without adds count 0) beside the usual metrics over the
 * customers with adds, the paired test on Kaggle MAP@K.
 */
export async function evaluateAdds(store: StoreAccess, req: EvaluateAddsRequest): Promise<{ report: EvaluationReport; files: ReportFiles }> {
  for (const m of [...(req.baseline ? [req.baseline] : []), ...req.models]) resolveParams(m.name, m.params);
  const all = await loadHoldings(store);
  const t = monthToPredict(all, req.month);
  const h = all.upTo(t);
  const test = all.addedMatrix(t);
  const users = all.presentAt(t - 1);
  const train = heldTrainingSet(h);
  const dataset = new Dataset(store);
  const kaggle = `kaggle-map@${req.k}`;
  const baseline = req.baseline ?? { name: 'popularity', params: {} };
  const models = await runModels(req.models, baseline, {
    ...req,
    train,
    history: all.heldMatrix(t - 1),
    test,
    users,
    trainingSetFor: async (spec) => (await addsTrainingSet(dataset, spec, h, train)).data,
    extra: (recs, ranked) => ({ [kaggle]: santanderMap(recs, ranked, test, req.k).perUser }),
    paired: kaggle,
  });
  let withAdds = 0;
  for (const u of users) if (test.indptr[u + 1] > test.indptr[u]) withAdds++;
  let trainAdds = 0;
  for (let s = 1; s < t; s++) for (let u = 0; u < all.customers.size; u++) if (all.added(u, s)) trainAdds += bitCount(all.added(u, s));
  const warning = smallSampleWarning(withAdds, 'test', 'intervals and the paired test are');
  const report: EvaluationReport = {
    split: `adds in ${all.monthName(t)}, trained on ${t} months (${all.monthName(0)} to ${all.monthName(t - 1)})`,
    k: req.k,
    customers: users.length,
    trainEvents: trainAdds,
    testEvents: test.indptr[test.rows],
    baseline: baseline.name,
    models,
    task: 'adds',
    customersWithAdds: withAdds,
    ...(warning ? { warning } : {}),
  };
  await req.beforeWrite?.();
  const files = writeReports(report, req.reportDir ?? reportsDir(store.name), 'evaluate-adds');
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
