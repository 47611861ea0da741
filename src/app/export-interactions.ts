// The training view handed to an engine that trains at scale (Spark, Dask, ...): every event a model
// would learn from, one row each, as Parquet in a folder (`nextbest export-interactions --out DIR`):
// customer_id, product_id, event_type, weight (the event type's interaction weight), value (a rating's
// stars, else 1), time, and one ctx_<key> column per context key (time of day, page, ...). Events of
// a type weighted 0 are left out, as training leaves them out. `_nextbest.json` beside it (a name Spark
// and Dask skip) says what the folder holds.
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { csvField } from '../data/csv-field.js';
import { EVENT_TYPES, type EventType } from '../data/model.js';
import { DEFAULT_EVENT_WEIGHTS, type EventLog } from '../matrix/index.js';
import { csvToParquet, type ColumnType } from '../store/index.js';
import { loadTrainingLog } from './data.js';
import type { StoreAccess } from './store-access.js';

export interface ExportInteractionsRequest {
  /** The folder to write (created when missing). */
  out: string;
  /** Only this split's train part; default every event in the store. */
  split?: string;
  /** Interaction weights by event type (defaults: DEFAULT_EVENT_WEIGHTS). */
  weights?: Partial<Record<EventType, number>>;
}

export interface ExportInteractionsResult {
  out: string;
  file: string;
  rows: number;
  customers: number;
  products: number;
  contextKeys: string[];
  weights: Record<EventType, number>;
}

export async function exportInteractions(store: StoreAccess, req: ExportInteractionsRequest): Promise<ExportInteractionsResult> {
  const log = await loadTrainingLog(store, req.split);
  const weights = { ...DEFAULT_EVENT_WEIGHTS, ...req.weights };
  mkdirSync(req.out, { recursive: true });
  const file = join(req.out, 'interactions.parquet');
  const csv = join(req.out, '.interactions.csv');
  try {
    const { rows, keys } = await writeCsv(log, weights, csv);
    const columns: Record<string, ColumnType> = {
      customer_id: 'text',
      product_id: 'text',
      event_type: 'text',
      weight: 'double',
      value: 'double',
      time: 'timestamp',
      ...Object.fromEntries(keys.map((k) => [`ctx_${k}`, 'text' as const])),
    };
    await csvToParquet(csv, file, columns);
    const result = { out: req.out, file, rows, customers: log.customers.size, products: log.products.size, contextKeys: keys, weights };
    writeFileSync(join(req.out, '_nextbest.json'), `${JSON.stringify({ ...result, split: req.split ?? null, columns }, null, 2)}\n`);
    return result;
  } finally {
    rmSync(csv, { force: true });
  }
}

/** The rows as CSV (header first), streamed; returns how many and the context keys (sorted). */
async function writeCsv(log: EventLog, weights: Record<EventType, number>, path: string): Promise<{ rows: number; keys: string[] }> {
  const contextOf = log.contexts.ids().map((kv) => {
    const at = kv.indexOf('=');
    return { key: kv.slice(0, at), value: kv.slice(at + 1) };
  });
  const keys = [...new Set(contextOf.map((c) => c.key))].sort();
  const column = new Map(keys.map((k, i) => [k, i]));
  const out = createWriteStream(path);
  out.write(['customer_id', 'product_id', 'event_type', 'weight', 'value', 'time', ...keys.map((k) => `ctx_${k}`)].join(',') + '\n');
  const customerIds = log.customers.ids();
  const productIds = log.products.ids();
  let rows = 0;
  let chunk = '';
  const context: string[] = new Array(keys.length);
  for (let i = 0; i < log.length; i++) {
    const type = EVENT_TYPES[log.type[i]];
    const weight = weights[type];
    if (!(weight > 0)) continue;
    context.fill('');
    for (let c = log.contextPtr[i]; c < log.contextPtr[i + 1]; c++) {
      const kv = contextOf[log.contextIds[c]];
      context[column.get(kv.key) as number] = csvField(kv.value);
    }
    const time = new Date(log.time[i] * 1000).toISOString().slice(0, 19).replace('T', ' ');
    chunk += `${csvField(customerIds[log.customer[i]])},${csvField(productIds[log.product[i]])},${type},${weight},${log.value[i]},${time}${keys.length ? ',' : ''}${context.join(',')}\n`;
    rows++;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { rows, keys };
}
