// `nextbest export --k N --out FILE.csv|FILE.parquet`: top-N with scores for every customer of a
// trained model, streamed in batches (Parquet is written by DuckDB from the streamed CSV).
import type { Command } from 'commander';
import { extname } from 'node:path';
import { exportRecommendations } from '../../app/export.js';
import { NextbestError } from '../../core/errors.js';
import { dateTime, positiveInt } from '../args.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { prepareOutputFile } from '../output-file.js';
import { printJson } from '../output.js';
import { progressBar } from '../progress.js';

interface ExportOptions extends CommonOptions {
  k: number;
  out: string;
  model?: string;
  offers?: boolean;
  at?: Date;
  acceptModel?: string;
}

export function registerExport(program: Command): void {
  withCommon(
    program
      .command('export')
      .description('top-N recommendations for every customer to CSV or Parquet')
      .requiredOption('--out <file>', 'FILE.csv or FILE.parquet')
      .option('--k <n>', 'products per customer', positiveInt('--k'), 10)
      .option('--model <name|file.nbm>', 'a trained model (default: the newest in the models folder)')
      .option('--offers', 'add offer_id, reward, reward_value, p_accept and expected_value: the customer\'s best running offer on each product')
      .option('--at <date>', 'with --offers: offers running at this date or time (default now)', dateTime('--at'))
      .option('--accept-model <name|file.nbm>', 'with --offers: the accept / decline model (default: fm-classification when trained)'),
  ).action(async (opts: ExportOptions) => {
    const format = extname(opts.out).toLowerCase();
    if (format !== '.csv' && format !== '.parquet') {
      throw new NextbestError('BAD_OPTION', `--out ${opts.out} must end in .csv or .parquet`);
    }
    prepareOutputFile(opts.out);
    const bar = progressBar('export', !!opts.json);
    const summary = await exportRecommendations(storeAccess(opts), {
      out: opts.out,
      format: format === '.csv' ? 'csv' : 'parquet',
      k: opts.k,
      model: opts.model,
      offers: opts.offers ? { at: opts.at, acceptModel: opts.acceptModel } : undefined,
      onProgress: bar.update,
    });
    bar.stop();
    if (opts.json) printJson(summary);
    else process.stdout.write(`wrote ${summary.rows.toLocaleString('en-US')} rows for ${summary.customers.toLocaleString('en-US')} customers to ${opts.out}\n`);
  });
}
