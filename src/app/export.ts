// Exporting every customer's top-N from a saved model to CSV or Parquet, with each product's reason,
// streamed in batches (Parquet is written from the streamed CSV by the store module's table writer).
import { createWriteStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { csvField } from '../data/csv-field.js';
import { csvToParquet, type ColumnType } from '../store/index.js';
import { loadAcceptModel } from './accept-model.js';
import { loadModelForScoring } from './model-files.js';
import { OFFER_COLUMNS, offerColumns } from './offer-columns.js';
import { explainProducts, type ReasonNames } from './reasons.js';
import type { StoreAccess } from './store-access.js';

export interface ExportRequest {
  /** A path ending in .csv or .parquet. */
  out: string;
  format: 'csv' | 'parquet';
  k: number;
  /** A model name or .nbm path; default the newest saved model. */
  model?: string;
  /** Add the offer columns (offer-columns.ts): offers running at `at` (default now), P(accept) from the accept model (default fm-classification when trained). */
  offers?: { at?: Date; acceptModel?: string };
  /** Share of the customers written so far. */
  onProgress?: (fraction: number) => void;
}

export interface ExportResult {
  out: string;
  model: string;
  customers: number;
  rows: number;
}

/** Columns an export adds after customer, product, rank and score: their values for each customer's list, batch by batch. */
export interface ExtraColumns {
  names: readonly string[];
  types: Readonly<Record<string, ColumnType>>;
  /** For each list, for each of its products, the columns' values (in `names` order; '' for none). */
  values(lists: readonly { customer: string; products: readonly string[] }[]): Promise<string[][][]>;
}

export async function exportRecommendations(store: StoreAccess, req: ExportRequest): Promise<ExportResult> {
  const trained = await loadModelForScoring(store, req.model);
  const descriptions = store.exists() ? await store.use((s) => s.productDescriptions()) : new Map<string, string>();
  const csv = req.format === 'csv' ? req.out : `${req.out}.tmp.csv`;
  const offers = req.offers;
  try {
    const names: ReasonNames = { trained, descriptions };
    const rows = offers
      ? await store.use(async (s) => {
          const extra = await offerColumns(s, loadAcceptModel(store.name, offers.acceptModel), offers.at ?? new Date());
          return exportTopN(names, req.k, csv, req.onProgress, extra);
        })
      : await exportTopN(names, req.k, csv, req.onProgress);
    const extraTypes = offers ? OFFER_COLUMNS : {};
    if (req.format === 'parquet') await csvToParquet(csv, req.out, { customer: 'text', product: 'text', rank: 'integer', score: 'float', reason: 'text', ...extraTypes });
    return { out: req.out, model: trained.model.name, customers: trained.customers.size, rows };
  } finally {
    if (csv !== req.out) rmSync(csv, { force: true });
  }
}

/** Writes every training customer's top k with scores, reasons (empty for a model that gives none) and any extra columns as CSV. */
export async function exportTopN(names: ReasonNames, k: number, csvPath: string, onProgress?: (f: number) => void, extra?: ExtraColumns): Promise<number> {
  const { trained } = names;
  const out = createWriteStream(csvPath);
  out.write(['customer', 'product', 'rank', 'score', 'reason', ...(extra?.names ?? [])].join(',') + '\n');
  const n = trained.customers.size;
  const batch = 1000;
  let rows = 0;
  for (let start = 0; start < n; start += batch) {
    const customers = Int32Array.from({ length: Math.min(batch, n - start) }, (_, i) => start + i);
    const lists = trained.model.recommend(customers, { k, history: trained.history });
    const values = extra && (await extra.values(lists.map((l, j) => ({ customer: trained.customers.id(customers[j]), products: Array.from(l.items, (p) => trained.products.id(p)) }))));
    let text = '';
    lists.forEach((l, j) => {
      const u = customers[j];
      const c = csvField(trained.customers.id(u));
      const products = Array.from(l.items, (p) => trained.products.id(p));
      const reasons = explainProducts(names, u, trained.history.row(u), products, false);
      for (let r = 0; r < l.items.length; r++) {
        const more = values ? values[j][r].map((v) => `,${csvField(v)}`).join('') : '';
        text += `${c},${csvField(products[r])},${r + 1},${l.scores[r]},${csvField(reasons?.[r].text ?? '')}${more}\n`;
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
