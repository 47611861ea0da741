// Evaluation reports on disk: the JSON report and its Markdown rendering, stamped with the time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileStamp } from '../core/file-stamp.js';
import { markdownReport } from '../eval/report.js';
import type { EvaluationReport } from '../eval/runner.js';

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
