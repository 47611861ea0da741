// Hyper-parameter search on a validation split carved out of train, never out of test: every grid
// combination is fitted on the inner train part and scored on the validation part.
import { NextbestError } from '../core/errors.js';
import type { EventLog } from '../matrix/index.js';
import { validationSplit, type ValidationOptions } from '../matrix/splits/index.js';
import { evaluate } from './runner.js';

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
}

export function gridCombinations(grid: Record<string, string[]>): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    if (!values.length) throw new NextbestError('BAD_ARGUMENT', `grid parameter ${key} has no values; give e.g. ${key}=1,2,3`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

export async function tune(opts: TuneOptions): Promise<TuneResult> {
  const metric = opts.metric ?? `ndcg@${opts.k}`;
  const split = validationSplit(opts.train, opts.validation);
  const trials: Trial[] = [];
  for (const combo of gridCombinations(opts.grid)) {
    const spec = { name: opts.model, params: { ...opts.fixed, ...combo } };
    const report = await evaluate({ models: [spec], baseline: spec, split, k: opts.k, bootstrap: 0 });
    const result = report.models[0];
    const value = result.metrics[metric];
    if (value === undefined) throw new NextbestError('BAD_ARGUMENT', `unknown metric ${metric}; use e.g. ndcg@${opts.k}`);
    trials.push({ params: combo, value, fitSeconds: result.fitSeconds });
  }
  const best = trials.reduce((a, b) => (b.value > a.value ? b : a));
  return { model: opts.model, metric, validation: split.name, trials, best };
}
