// Evaluation reports on disk: the JSON report and its Markdown rendering, stamped with the time; the
// reports read back newest first; and the newest figures they hold for a model.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileStamp } from '../core/file-stamp.js';
import { markdownReport } from '../eval/report.js';
import type { EvaluationReport, ModelResult } from '../eval/runner.js';
import { storeFolder } from './store-folder.js';

/** The reports folder beside the store (see store-folder.ts). */
export const reportsDir = (store: string): string => join(storeFolder(store), 'reports');

export interface ReportFiles {
  json: string;
  markdown: string;
}

export function writeReports(report: EvaluationReport, dir: string, prefix: string): ReportFiles {
  mkdirSync(dir, { recursive: true });
  const stamp = fileStamp();
  const json = join(dir, `${prefix}-${stamp}.json`);
  const markdown = join(dir, `${prefix}-${stamp}.md`);
  writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(markdown, markdownReport(report));
  return { json, markdown };
}

/** A JSON file in the reports folder as read back: not checked to be a report. */
export interface ReportFile {
  /** The file's name (in the reports folder). */
  file: string;
  /** When it was written (the file's modification time). */
  mtime: Date;
  report: unknown;
}

/**
 * The JSON files in the reports folder, newest first (ties by name, last first), each parsed only when the
 * caller gets to it; a file that is not JSON (one someone put there) is passed over. None without the folder.
 * Every number read is finite: writeReports writes a NaN or infinite metric as null, and a number too large
 * for a double in a file written otherwise (1e999, which JSON.parse reads as Infinity) is read as null too.
 */
export function* readReports(dir: string): Generator<ReportFile> {
  if (!existsSync(dir)) return;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, mtime: statSync(join(dir, file)).mtime }))
    .sort((a, b) => b.mtime.getTime() - a.mtime.getTime() || b.file.localeCompare(a.file));
  for (const { file, mtime } of files) {
    let report: unknown;
    try {
      report = JSON.parse(readFileSync(join(dir, file), 'utf8'), (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
    } catch {
      continue;
    }
    yield { file, mtime, report };
  }
}

/** One model's figures in an evaluation report, and where they come from. */
export interface EvaluationFigures {
  /** The JSON report's file name (in the reports folder). */
  report: string;
  /** When the report was written (the file's modification time). */
  evaluatedAt: string;
  split: string;
  k: number;
  /** Customers evaluated. */
  customers: number;
  metrics: Record<string, number>;
  intervals: Record<string, { low: number; high: number }>;
  vsBaseline: ModelResult['vsBaseline'];
}

/** Parameters compared whatever the order of their keys. */
const sameParams = (a: object, b: object): boolean => {
  const canonical = (o: object): string => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
};

/**
 * The newest evaluation in the reports folder (`nextbest evaluate` and `start` write them) of a model by
 * this name with these very parameters, or null when none evaluated it. The figures are those of the
 * same model and parameters fitted on the report's split, not of a particular saved file.
 */
export function latestEvaluation(dir: string, model: string, params: object): EvaluationFigures | null {
  for (const { file, mtime, report: read } of readReports(dir)) {
    const report = read as EvaluationReport;
    const result = Array.isArray(report?.models) ? report.models.find((m) => m.name === model && sameParams(m.params ?? {}, params)) : undefined;
    if (result)
      return {
        report: file,
        evaluatedAt: mtime.toISOString(),
        split: report.split,
        k: report.k,
        customers: report.customers,
        metrics: result.metrics,
        intervals: result.intervals,
        vsBaseline: result.vsBaseline,
      };
  }
  return null;
}
