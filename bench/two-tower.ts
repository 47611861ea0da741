// The two-tower model on ML-TOPN (BENCH=two-tower): fit seconds (TensorFlow.js, early stopping), top-10
// lists per second scoring every product and from the nearest-neighbour index, peak RSS, and NDCG@10
// beside them so speed is never read without quality. Skipped when ../shared/data is absent.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rankingMetrics, usersWithTest } from '../src/eval/metrics/index.js';
import { relevantMatrix } from '../src/eval/runner.js';
import { buildInteractions, type TopK } from '../src/matrix/index.js';
import { splitFromFiles } from '../src/matrix/splits/index.js';
import { TwoTowerRecommender } from '../src/models/neural/two-tower.js';

export async function benchTwoTower(): Promise<string> {
  const dir = resolve('..', 'shared', 'data', 'ml-100k', 'splits', 'random-75-25');
  if (!existsSync(dir)) return `two-tower bench skipped: ${dir} is absent`;
  const split = await splitFromFiles(join(dir, 'train.tsv'), join(dir, 'test.tsv'));
  const interactions = buildInteractions(split.train, { binary: true });
  const model = new TwoTowerRecommender();
  const started = performance.now();
  await model.fit({ log: split.train, interactions });
  const fitSeconds = (performance.now() - started) / 1000;
  // Lists per second for the customers with test products, scoring every product, then from the index
  // (as serving a large catalogue does); quality from the first pass, as evaluate measures it.
  const test = relevantMatrix(split);
  const customers = usersWithTest(test);
  let lists: TopK[] = [];
  const rate = (): number => {
    const t = performance.now();
    lists = model.recommend(customers, { k: 10, history: interactions.userItem });
    return customers.length / ((performance.now() - t) / 1000);
  };
  const full = rate();
  const quality = rankingMetrics(lists, customers, test, 10).mean;
  model.indexProducts();
  const indexed = rate();
  const peak = process.resourceUsage().maxRSS / 1024;
  return [
    '| two-tower (ML-TOPN, defaults) | fit s | lists/s (all products) | lists/s (index) | peak RSS MiB | NDCG@10 | P@10 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| two-tower | ${fitSeconds.toFixed(1)} | ${full.toFixed(0)} | ${indexed.toFixed(0)} | ${peak.toFixed(0)} | ${quality['ndcg@10'].toFixed(4)} | ${quality['precision@10'].toFixed(4)} |`,
  ].join('\n');
}
