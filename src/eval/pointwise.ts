// Evaluation of rating and accept / decline predictions: RMSE and MAE, or AUC and log-loss, on a
// split's test events, or averaged over stratified folds (the BANK-OFFER protocol).
import { NextbestError } from '../core/errors.js';
import { subset, type EventLog } from '../matrix/index.js';
import type { Split } from '../matrix/splits/index.js';
import type { FitProgress } from '../models/contract.js';
import { stratifiedFolds } from './folds.js';
import { aucBinary, logLoss, mae, rmse } from './metrics/index.js';
import { createPointwiseModel, type PointwiseTask, type SideAttributes } from './pointwise-models.js';
import type { ModelSpec } from './runner.js';
import { distinctCustomers, smallSampleWarning } from './small-sample.js';

export interface PointwiseResult {
  name: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  fitSeconds: number;
  scoreSeconds: number;
}

export interface PointwiseReport {
  task: PointwiseTask;
  split: string;
  trainEvents: number;
  testEvents: number;
  /** Distinct customers among the test events (every customer's events, over the folds). */
  customers: number;
  models: PointwiseResult[];
  /** Set when too few customers are tested for the metrics to mean much. */
  warning?: string;
}

/** The small-sample warning of a rating or accept / decline evaluation over `customers`, as a report field. */
export function pointwiseWarning(customers: number): { warning?: string } {
  const warning = smallSampleWarning(customers, 'test', 'the metrics are');
  return warning ? { warning } : {};
}

/** The observed target of every event: the rating, or 1 accepted / 0 declined. */
export function targets(log: EventLog, task: PointwiseTask): Float64Array {
  return Float64Array.from(log.value, (v) => (task === 'classification' ? (v > 0 ? 1 : 0) : v));
}

/** Why AUC has no value for these 1 / 0 targets (they hold one class only), or undefined when it has one. */
export function oneClassReason(labels: Float64Array): string | undefined {
  const accepted = labels.reduce((n, y) => n + y, 0);
  if (accepted > 0 && accepted < labels.length) return undefined;
  return `are all ${accepted ? 'accepted' : 'declined'} (${labels.length}); AUC needs accepted and declined events`;
}

/** Refuses an evaluation whose AUC would have no value. */
export function requireBothClasses(labels: Float64Array, what: string): void {
  const reason = oneClassReason(labels);
  if (reason) throw new NextbestError('UNSUITABLE_DATA', `${what} ${reason}: choose another split`);
}

/** RMSE and MAE, or AUC (where both classes are there) and log-loss, of predictions against targets. */
export function score(task: PointwiseTask, actual: Float64Array, predicted: Float64Array): Record<string, number> {
  if (task === 'rating') return { rmse: rmse(actual, predicted), mae: mae(actual, predicted) };
  const labels = Uint8Array.from(actual);
  const logloss = logLoss(labels, predicted);
  return oneClassReason(actual) ? { logloss } : { auc: aucBinary(labels, predicted), logloss };
}

/** Called after each iteration of a model's fit; fold is 0-based, of folds (1 for a split). */
export type PointwiseProgress = (name: string, fold: number, folds: number, p: FitProgress) => void;

function runOne(spec: ModelSpec, task: PointwiseTask, attributes: SideAttributes, train: EventLog, test: EventLog, onProgress?: (p: FitProgress) => void): PointwiseResult {
  const model = createPointwiseModel(spec.name, spec.params as Record<string, string>, task, attributes);
  let started = performance.now();
  model.fit(train, test, onProgress);
  const fitSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const predicted = model.predict();
  const scoreSeconds = (performance.now() - started) / 1000;
  return { name: spec.name, params: model.params, metrics: score(task, targets(test, task), predicted), fitSeconds, scoreSeconds };
}

export function evaluatePointwise(
  task: PointwiseTask,
  models: ModelSpec[],
  split: Split,
  attributes: SideAttributes,
  onProgress?: PointwiseProgress,
): PointwiseReport {
  if (split.test.length === 0) throw new NextbestError('NO_EVENTS', `split ${split.name} has no test events`);
  if (task === 'classification') requireBothClasses(targets(split.test, task), `split ${split.name}'s test events`);
  return {
    task,
    split: split.name,
    trainEvents: split.train.length,
    testEvents: split.test.length,
    customers: distinctCustomers(split.test.customer),
    models: models.map((m) => runOne(m, task, attributes, split.train, split.test, onProgress && ((p) => onProgress(m.name, 0, 1, p)))),
    ...pointwiseWarning(distinctCustomers(split.test.customer)),
  };
}

/** k-fold cross-validation over one log (stratified on accept / decline); metrics are fold means. */
export function crossValidate(
  task: PointwiseTask,
  models: ModelSpec[],
  log: EventLog,
  k: number,
  attributes: SideAttributes,
  seed = 42,
  onProgress?: PointwiseProgress,
): PointwiseReport {
  if (task === 'classification') requireBothClasses(targets(log, task), 'the events');
  const folds = stratifiedFolds(targets(log, 'classification'), k, seed);
  const results = models.map((spec) => {
    const per: PointwiseResult[] = [];
    for (let f = 0; f < k; f++) {
      const rows = (inFold: boolean): Int32Array => Int32Array.from(folds.keys()).filter((i) => (folds[i] === f) === inFold);
      const report = onProgress && ((p: FitProgress) => onProgress(spec.name, f, k, p));
      per.push(runOne(spec, task, attributes, subset(log, rows(false)), subset(log, rows(true)), report));
    }
    const mean = (get: (r: PointwiseResult) => number): number => per.reduce((s, r) => s + get(r), 0) / k;
    const metrics: Record<string, number> = {};
    for (const key of Object.keys(per[0].metrics)) metrics[key] = mean((r) => r.metrics[key]);
    return { name: spec.name, params: per[0].params, metrics, fitSeconds: mean((r) => r.fitSeconds), scoreSeconds: mean((r) => r.scoreSeconds) };
  });
  const customers = distinctCustomers(log.customer);
  return { task, split: `folds:${k}:${seed}`, trainEvents: log.length, testEvents: log.length, customers, models: results, ...pointwiseWarning(customers) };
}
