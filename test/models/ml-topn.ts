// The ML-TOPN protocol of ../shared/BENCHMARKS.md, self-contained for the model quality tests: read the
// random 75/25 split, index users and items in numeric id order (so "ties: lower item id first" is
// "lower index first"), every train rating a binary positive, and P/R/NDCG/MAP@K as defined there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInteractions, CsrMatrix, EventLogBuilder } from '../../src/matrix/index.js';
import type { Recommender, TrainingSet } from '../../src/models/contract.js';

export interface TopNMetrics {
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  users: number;
}

export interface MlTopn {
  train: TrainingSet;
  /** customers x products, 1 per held-out (user, item). */
  test: CsrMatrix;
}

export function loadMlTopn(dir: string): MlTopn {
  const read = (file: string): string[][] =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => l.split('\t'));
  const train = read('train.tsv');
  const test = read('test.tsv');
  const byNumber = (a: string, b: string) => Number(a) - Number(b);
  const b = new EventLogBuilder();
  for (const id of [...new Set([...train, ...test].map((r) => r[0]))].sort(byNumber)) b.addCustomer(id);
  for (const id of [...new Set([...train, ...test].map((r) => r[1]))].sort(byNumber)) b.addProduct(id);
  for (const [u, i, r, t] of train) b.add(u, i, Number(t), 'rating', Number(r));
  const log = b.build();
  const rows = Int32Array.from(test, (r) => log.customers.index(r[0]));
  const cols = Int32Array.from(test, (r) => log.products.index(r[1]));
  return {
    train: { log, interactions: buildInteractions(log, { binary: true }) },
    test: CsrMatrix.fromCoo(log.customers.size, log.products.size, rows, cols, new Float32Array(test.length).fill(1)),
  };
}

/** Ranks every product but the user's train products for each user with a test product. */
export function evaluateTopN(model: Recommender, data: MlTopn, k = 10): TopNMetrics {
  const users: number[] = [];
  for (let u = 0; u < data.test.rows; u++) if (data.test.indptr[u + 1] > data.test.indptr[u]) users.push(u);
  const recs = model.recommend(Int32Array.from(users), { k, history: data.train.interactions.userItem });
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let map = 0;
  users.forEach((u, n) => {
    const relevant = new Set(data.test.row(u).indices);
    let hits = 0;
    let dcg = 0;
    let ap = 0;
    recs[n].items.forEach((item, p) => {
      if (!relevant.has(item)) return;
      hits++;
      dcg += 1 / Math.log2(p + 2);
      ap += hits / (p + 1);
    });
    let idcg = 0;
    for (let p = 0; p < Math.min(k, relevant.size); p++) idcg += 1 / Math.log2(p + 2);
    precision += hits / k;
    recall += hits / relevant.size;
    ndcg += dcg / idcg;
    map += ap / Math.min(k, relevant.size);
  });
  const n = users.length;
  return { precision: precision / n, recall: recall / n, ndcg: ndcg / n, map: map / n, users: n };
}
