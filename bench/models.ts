// Fit and scoring time per model on ML-TOPN (943 customers x 1,682 products), with the quality figures
// beside them so speed is never read without quality. Skipped when ../shared/data is absent.
// BENCH_MODELS=als,bpr,warp times only those (popularity, the baseline, always runs).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluate } from '../src/eval/runner.js';
import { splitFromFiles } from '../src/matrix/splits/index.js';
import { MODEL_NAMES } from '../src/models/registry.js';

export async function benchModels(): Promise<string> {
  const dir = resolve('..', 'shared', 'data', 'ml-100k', 'splits', 'random-75-25');
  if (!existsSync(dir)) return `ML-TOPN model bench skipped: ${dir} is absent`;
  const split = await splitFromFiles(join(dir, 'train.tsv'), join(dir, 'test.tsv'));
  const only = process.env.BENCH_MODELS?.split(',');
  const names = only ? MODEL_NAMES.filter((name) => only.includes(name)) : MODEL_NAMES;
  const report = await evaluate({ models: names.map((name) => ({ name, params: {} })), split, k: 10, bootstrap: 0 });
  const lines = [
    '| model (ML-TOPN, defaults) | fit s | score s (943 customers) | P@10 | NDCG@10 | MAP@10 |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...report.models.map(
      (m) =>
        `| ${m.name} | ${m.fitSeconds.toFixed(2)} | ${m.scoreSeconds.toFixed(2)} | ${m.metrics['precision@10'].toFixed(4)} | ` +
        `${m.metrics['ndcg@10'].toFixed(4)} | ${m.metrics['map@10'].toFixed(4)} |`,
    ),
  ];
  const total = report.models.reduce((s, m) => s + m.fitSeconds + m.scoreSeconds, 0);
  return `${lines.join('\n')}\n\nall models, fit + score: ${total.toFixed(1)} s`;
}
