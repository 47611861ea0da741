// Exporting every customer's top-N from a saved model to CSV or Parquet, with each product's reason,
// streamed in batches (Parquet is written from the streamed CSV by the store module's table writer).
import { createWriteStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { csvField } from '../data/csv-field.js';
import { csvToParquet } from '../store/index.js';
import { loadModelForScoring } from './model-files.js';
import { explainProducts, type ReasonNames } from './reasons.js';
import type { StoreAccess } from './store-access.js';

export interface ExportRequest {
  /** A path ending in .csv or .parquet. */
  out: string;
  format: 'csv' | 'parquet';
  k: number;
  /** A model name or .nbm path; default the newest saved model. */
  model?: string;
  /** Share of the customers written so far. */
  onProgress?: (fraction: number) => void;
}

export interface ExportResult {
  out: string;
  model: string;
  customers: number;
  rows: number;
}

export async function exportRecommendations(store: StoreAccess, req: ExportRequest): Promise<ExportResult> {
  const trained = await loadModelForScoring(store, req.model);
  const descriptions = store.exists() ? await store.use((s) => s.productDescriptions()) : new Map<string, string>();
  const csv = req.format === 'csv' ? req.out : `${req.out}.tmp.csv`;
  try {
    const rows = await exportTopN({ trained, descriptions }, req.k, csv, req.onProgress);
    if (req.format === 'parquet') await csvToParquet(csv, req.out, { customer: 'text', product: 'text', rank: 'integer', score: 'float', reason: 'text' });
    return { out: req.out, model: trained.model.name, customers: trained.customers.size, rows };
  } finally {
    if (csv !== req.out) rmSync(csv, { force: true });
  }
}

/** Writes every training customer's top k with scores and reasons (empty for a model that gives none) as CSV. */
export async function exportTopN(names: ReasonNames, k: number, csvPath: string, onProgress?: (f: number) => void): Promise<number> {
  const { trained } = names;
  const out = createWriteStream(csvPath);
  out.write('customer,product,rank,score,reason\n');
  const n = trained.customers.size;
  const batch = 1000;
  let rows = 0;
  for (let start = 0; start < n; start += batch) {
    const customers = Int32Array.from({ length: Math.min(batch, n - start) }, (_, i) => start + i);
    const lists = trained.model.recommend(customers, { k, history: trained.history });
    let text = '';
    lists.forEach((l, j) => {
      const u = customers[j];
      const c = csvField(trained.customers.id(u));
      const products = Array.from(l.items, (p) => trained.products.id(p));
      const reasons = explainProducts(names, u, trained.history.row(u), products, false);
      for (let r = 0; r < l.items.length; r++) {
        text += `${c},${csvField(products[r])},${r + 1},${l.scores[r]},${csvField(reasons?.[r].text ?? '')}\n`;
        rows++;
      }
    });
    if (!out.write(text)) await once(out, 'drain');
    onProgress?.((start + customers.length) / n);
  }
  out.end();
  await once(out, 'finish');
  return rows;
}
