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
  const { meanDiff, p, low, high } = r.vsBaseline;
  const ci = low === undefined || high === undefined ? '' : ` [${f4(low)}, ${f4(high)}]`;
  return `${meanDiff >= 0 ? '+' : ''}${meanDiff.toFixed(4)}${ci} (p ${p < 1e-4 ? '< 1e-4' : p.toFixed(4)})`;
}

function rows(report: EvaluationReport): string[][] {
  const k = report.k;
  const times = (r: ModelResult): string[] => [r.fitSeconds.toFixed(2), r.scoreSeconds.toFixed(2)];
  if (report.task === 'adds') {
    const header = ['model', `Kaggle MAP@${k} [95% CI]`, `MAP@${k} adders`, `P@${k}`, `R@${k}`, `NDCG@${k}`, 'coverage', `Kaggle MAP vs ${report.baseline} [95% CI]`, 'fit s', 'score s'];
    return [
      header,
      ...report.models.map((r) => [
        r.name,
        withInterval(r, `kaggle-map@${k}`),
        f4(r.metrics[`map@${k}`]),
        f4(r.metrics[`precision@${k}`]),
        f4(r.metrics[`recall@${k}`]),
        f4(r.metrics[`ndcg@${k}`]),
        f4(r.metrics[`coverage@${k}`]),
        pValue(r),
        ...times(r),
      ]),
    ];
  }
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
      ...times(r),
    ]),
  ];
}

const n = (x: number): string => x.toLocaleString('en-US');

const describe = (r: EvaluationReport): string =>
  r.task === 'adds'
    ? `${r.split}: ${n(r.customers)} customers ranked, ${n(r.customersWithAdds ?? 0)} of them with adds (${n(r.testEvents)} adds); ` +
      `${n(r.trainEvents)} adds in the months trained on; K = ${r.k}`
    : `split ${r.split}: ${n(r.trainEvents)} train events, ${n(r.testEvents)} test events, ` +
      `${n(r.customers)} customers with test items, K = ${r.k}`;

/** One line per model evaluated with exploration: the young products' share and what it cost in NDCG. */
function explorationLines(report: EvaluationReport): string[] {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return report.models.flatMap((r) => {
    const e = r.exploration;
    if (!e) return [];
    return [
      `exploration ${r.name}: weight ${e.weight}, ${e.youngProducts} products younger than ${e.ageDays} days got ${pct(e.share)} of the lists ` +
        `(${pct(e.shareWithout)} without); NDCG@${report.k} ${f4(r.metrics[`ndcg@${report.k}`])} vs ${f4(e.ndcgWithout)} without (cost ${f4(e.ndcgCost)})`,
    ];
  });
}

export function textTable(report: EvaluationReport): string {
  const all = rows(report);
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const explored = explorationLines(report);
  return `${describe(report)}\n\n${all.map(line).join('\n')}\n${explored.length ? `\n${explored.join('\n')}\n` : ''}`;
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
    ...explorationLines(report).flatMap((l) => [`- ${l}`]),
    ...(report.models.some((r) => r.exploration) ? [''] : []),
    'Parameters:',
    '',
    params,
    '',
  ].join('\n');
}
