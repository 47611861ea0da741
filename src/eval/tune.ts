// Hyper-parameter search on a validation split carved out of train, never out of test: every grid
// combination is fitted on the inner train part and scored on the validation part.
import { NextbestError } from '../core/errors.js';
import type { EventLog } from '../matrix/index.js';
import { validationSplit, type ValidationOptions } from '../matrix/splits/index.js';
import { evaluate, type EvaluateOptions } from './runner.js';
import { smallSampleWarning } from './small-sample.js';

export interface TuneOptions {
  model: string;
  /** Values to try per parameter, e.g. { lambda: ['100', '300'] }; the search is the full grid. */
  grid: Record<string, string[]>;
  /** Parameters held fixed. */
  fixed?: Record<string, string>;
  train: EventLog;
  k: number;
  /** Metric to maximise (default ndcg@K). */
  metric?: string;
  validation?: ValidationOptions;
  /** Given to every fit, which checks it between iterations (the CLI's Ctrl-C). */
  signal?: AbortSignal;
  /** The training set with the side features the model needs (see EvaluateOptions). */
  trainingSetFor?: EvaluateOptions['trainingSetFor'];
}

export interface Trial {
  params: Record<string, string>;
  value: number;
  fitSeconds: number;
}

export interface TuneResult {
  model: string;
  metric: string;
  validation: string;
  trials: Trial[];
  best: Trial;
  /** Set when the validation set holds too few customers for the comparison to mean much. */
  warning?: string;
}

export function gridCombinations(grid: Record<string, string[]>): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    if (!values.length) throw new NextbestError('BAD_OPTION', `grid parameter ${key} has no values; give e.g. ${key}=1,2,3`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

export async function tune(opts: TuneOptions): Promise<TuneResult> {
  const metric = opts.metric ?? `ndcg@${opts.k}`;
  const split = validationSplit(opts.train, opts.validation);
  const trials: Trial[] = [];
  let customers = 0;
  for (const combo of gridCombinations(opts.grid)) {
    const spec = { name: opts.model, params: { ...opts.fixed, ...combo } };
    const report = await evaluate({ models: [spec], baseline: spec, split, k: opts.k, bootstrap: 0, signal: opts.signal, trainingSetFor: opts.trainingSetFor });
    customers = report.customers;
    const result = report.models[0];
    const value = result.metrics[metric];
    if (value === undefined) throw new NextbestError('BAD_OPTION', `unknown metric ${metric}; use e.g. ndcg@${opts.k}`);
    trials.push({ params: combo, value, fitSeconds: result.fitSeconds });
  }
  const best = trials.reduce((a, b) => (b.value > a.value ? b : a));
  const warning = smallSampleWarning(customers, 'validation', 'the choice between settings is');
  return { model: opts.model, metric, validation: split.name, trials, best, ...(warning ? { warning } : {}) };
}
