// The sequential model on ML-NEXT (ml-100k leave-last-out, ../shared/BENCHMARKS.md): fit seconds,
// recommendations per second (scoreInto over every product, then the top 10 of those not in the
// customer's history, one customer at a time, as serving does), peak RSS, and HR@10 / NDCG@10 beside
// them. BENCH=sequential; BENCH_SEQUENTIAL="key=value ..." overrides the model's defaults.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rankingMetrics, usersWithTest } from '../src/eval/metrics/index.js';
import { relevantMatrix } from '../src/eval/runner.js';
import { buildInteractions, topK, type TopK } from '../src/matrix/index.js';
import { splitFromFiles } from '../src/matrix/splits/index.js';
import { SequentialRecommender } from '../src/models/neural/sequential.js';

export async function benchSequential(): Promise<string> {
  const dir = resolve('..', 'shared', 'data', 'ml-100k', 'splits', 'leave-last-out');
  if (!existsSync(dir)) return `sequential bench skipped: ${dir} is absent`;
  const split = await splitFromFiles(join(dir, 'train.tsv'), join(dir, 'test.tsv'));
  const history = buildInteractions(split.train, { binary: true }).userItem;
  const params = Object.fromEntries((process.env.BENCH_SEQUENTIAL ?? '').split(/\s+/).filter(Boolean).map((kv) => kv.split('=')));
  const model = new SequentialRecommender(params);
  let started = performance.now();
  let epochs = 0;
  await model.fit({ log: split.train, interactions: buildInteractions(split.train, { binary: true }) }, { onProgress: (p) => (epochs = p.iteration) });
  const fitSeconds = (performance.now() - started) / 1000;

  const scores = new Float32Array(model.products);
  const skip = new Uint8Array(model.products);
  const test = relevantMatrix(split);
  const customers = usersWithTest(test);
  const lists: TopK[] = [];
  started = performance.now();
  for (const c of customers) {
    const row = history.row(c);
    model.scoreInto(c, row, scores);
    for (const p of row.indices) skip[p] = 1;
    lists.push(topK(scores, 10, skip));
    for (const p of row.indices) skip[p] = 0;
  }
  const scoreSeconds = (performance.now() - started) / 1000;
  const n = customers.length;
  const quality = rankingMetrics(lists, customers, test, 10).mean;
  return [
    `| sequential (ML-NEXT, ${JSON.stringify(model.params)}) | fit s | epochs | recommendations/s | peak RSS MiB | HR@10 | NDCG@10 |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${n} customers | ${fitSeconds.toFixed(1)} | ${epochs} | ${(n / scoreSeconds).toFixed(0)} | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} | ${quality['hr@10'].toFixed(4)} | ${quality['ndcg@10'].toFixed(4)} |`,
  ].join('\n');
}
