// Evaluation reports for people: an aligned text table for the terminal and a Markdown file;
// the JSON report is the EvaluationReport itself.
import type { EvaluationReport, ModelResult } from './runner.js';

const f4 = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(4));

function withInterval(r: ModelResult, key: string): string {
  const ci = r.intervals[key];
  return ci ? `${f4(r.metrics[key])} [${f4(ci.low)}, ${f4(ci.high)}]` : f4(r.metrics[key]);
}

function pValue(r: ModelResult): string {
  if (!r.vsBaseline) return 'baseline';
  const { meanDiff, p } = r.vsBaseline;
  return `${meanDiff >= 0 ? '+' : ''}${meanDiff.toFixed(4)} (p ${p < 1e-4 ? '< 1e-4' : p.toFixed(4)})`;
}

function rows(report: EvaluationReport): string[][] {
  const k = report.k;
  const header = ['model', `P@${k}`, `R@${k}`, `NDCG@${k} [95% CI]`, `MAP@${k}`, `HR@${k}`, `coverage`, `NDCG vs ${report.baseline}`, 'fit s', 'score s'];
  return [
    header,
    ...report.models.map((r) => [
      r.name,
      f4(r.metrics[`precision@${k}`]),
      f4(r.metrics[`recall@${k}`]),
      withInterval(r, `ndcg@${k}`),
      f4(r.metrics[`map@${k}`]),
      f4(r.metrics[`hr@${k}`]),
      f4(r.metrics[`coverage@${k}`]),
      pValue(r),
      r.fitSeconds.toFixed(2),
      r.scoreSeconds.toFixed(2),
    ]),
  ];
}

const describe = (r: EvaluationReport): string =>
  `split ${r.split}: ${r.trainEvents.toLocaleString('en-US')} train events, ${r.testEvents.toLocaleString('en-US')} test events, ` +
  `${r.customers.toLocaleString('en-US')} customers with test items, K = ${r.k}`;

export function textTable(report: EvaluationReport): string {
  const all = rows(report);
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return `${describe(report)}\n\n${all.map(line).join('\n')}\n`;
}

export function markdownReport(report: EvaluationReport): string {
  const [header, ...body] = rows(report);
  const params = report.models.map((r) => `- ${r.name}: \`${JSON.stringify(r.params)}\``).join('\n');
  return [
    `# Evaluation`,
    '',
    describe(report),
    '',
    ...(report.warning ? [`Warning: ${report.warning}.`, ''] : []),
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
    '',
    'Parameters:',
    '',
    params,
    '',
  ].join('\n');
}
