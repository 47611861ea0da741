// The evaluation reports in the reports folder beside the store (`nextbest evaluate` and `start` write
// them), newest first, for the dashboard's leaderboard: each model's metrics at K with their intervals,
// coverage, fit and scoring time, the test against the baseline and the metric-vs-K curve.
import type { EvaluationReport, ModelResult } from '../eval/runner.js';
import { readReports } from './reports.js';

export interface EvaluationRun {
  /** The JSON report's file name. */
  report: string;
  /** When it was written (the file's modification time). */
  evaluatedAt: string;
  task: 'ranking' | 'adds';
  split: string;
  k: number;
  customers: number;
  baseline: string;
  warning: string | null;
  models: Pick<ModelResult, 'name' | 'params' | 'metrics' | 'intervals' | 'vsBaseline' | 'fitSeconds' | 'scoreSeconds' | 'curve'>[];
}

const isRankingReport = (r: unknown): r is EvaluationReport =>
  typeof r === 'object' && r !== null && Array.isArray((r as EvaluationReport).models) && typeof (r as EvaluationReport).k === 'number' &&
  (r as EvaluationReport).models.every(
    (m) => typeof m?.name === 'string' && typeof m.metrics === 'object' && m.metrics !== null && typeof m.fitSeconds === 'number' && typeof m.scoreSeconds === 'number',
  );

/** The newest `limit` ranking (and adds) reports; files that are not such reports are passed over. */
export function evaluationRuns(dir: string, limit: number): EvaluationRun[] {
  const runs: EvaluationRun[] = [];
  for (const { file, mtime, report } of readReports(dir)) {
    if (runs.length >= limit) break;
    if (!isRankingReport(report)) continue;
    runs.push({
      report: file,
      evaluatedAt: mtime.toISOString(),
      task: report.task ?? 'ranking',
      split: report.split,
      k: report.k,
      customers: report.customers,
      baseline: report.baseline,
      warning: report.warning ?? null,
      models: report.models.map((m) => ({
        name: m.name,
        params: m.params ?? {},
        metrics: m.metrics,
        intervals: m.intervals ?? {},
        vsBaseline: m.vsBaseline ?? null,
        fitSeconds: m.fitSeconds,
        scoreSeconds: m.scoreSeconds,
        curve: m.curve,
      })),
    });
  }
  return runs;
}
