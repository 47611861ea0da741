// `nextbest export --k N --out FILE.csv|FILE.parquet`: top-N with scores for every customer of a
// trained model, streamed in batches (Parquet is written by DuckDB from the streamed CSV).
import type { Command } from 'commander';
import { createWriteStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { extname } from 'node:path';
import { NextbestError } from '../../core/errors.js';
import { csvField } from '../../data/csv-field.js';
import { loadTrainedModel, type TrainedModel } from '../../models/trained-model.js';
import { csvToParquet } from '../../store/index.js';
import { positiveInt } from '../args.js';
import { withCommon, type CommonOptions } from '../common.js';
import { resolveModelPath } from '../model-args.js';
import { prepareOutputFile } from '../output-file.js';
import { printJson } from '../output.js';
import { progressBar } from '../progress.js';

interface ExportOptions extends CommonOptions {
  k: number;
  out: string;
  model?: string;
}

export async function exportTopN(trained: TrainedModel, k: number, csvPath: string, onProgress?: (f: number) => void): Promise<number> {
  const out = createWriteStream(csvPath);
  out.write('customer,product,rank,score\n');
  const n = trained.customers.size;
  const batch = 1000;
  let rows = 0;
  for (let start = 0; start < n; start += batch) {
    const customers = Int32Array.from({ length: Math.min(batch, n - start) }, (_, i) => start + i);
    const lists = trained.model.recommend(customers, { k, history: trained.history });
    let text = '';
    lists.forEach((l, j) => {
      const c = csvField(trained.customers.id(customers[j]));
      for (let r = 0; r < l.items.length; r++) {
        text += `${c},${csvField(trained.products.id(l.items[r]))},${r + 1},${l.scores[r]}\n`;
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

export function registerExport(program: Command): void {
  withCommon(
    program
      .command('export')
      .description('top-N recommendations for every customer to CSV or Parquet')
      .requiredOption('--out <file>', 'FILE.csv or FILE.parquet')
      .option('--k <n>', 'products per customer', positiveInt('--k'), 10)
      .option('--model <name|file.nbm>', 'a trained model (default: the newest in the models folder)'),
  ).action(async (opts: ExportOptions) => {
    const format = extname(opts.out).toLowerCase();
    if (format !== '.csv' && format !== '.parquet') {
      throw new NextbestError('BAD_OPTION', `--out ${opts.out} must end in .csv or .parquet`);
    }
    prepareOutputFile(opts.out);
    const trained = loadTrainedModel(resolveModelPath(opts.model, opts.store));
    const bar = progressBar('export', !!opts.json);
    const csv = format === '.csv' ? opts.out : `${opts.out}.tmp.csv`;
    try {
      const rows = await exportTopN(trained, opts.k, csv, bar.update);
      if (format === '.parquet') await csvToParquet(csv, opts.out, { customer: 'text', product: 'text', rank: 'integer', score: 'float' });
      bar.stop();
      const summary = { out: opts.out, model: trained.model.name, customers: trained.customers.size, rows };
      if (opts.json) printJson(summary);
      else process.stdout.write(`wrote ${rows.toLocaleString('en-US')} rows for ${summary.customers.toLocaleString('en-US')} customers to ${opts.out}\n`);
    } finally {
      if (csv !== opts.out) rmSync(csv, { force: true });
    }
  });
}
