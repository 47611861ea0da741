// `nextbest export-interactions --out DIR`: the training view as Parquet for an engine that trains at
// scale (src/app/export-interactions.ts); factors it learns come back with `nextbest import-factors`.
import type { Command } from 'commander';
import { join } from 'node:path';
import { exportInteractions } from '../../app/export-interactions.js';
import type { EventType } from '../../data/model.js';
import { eventWeights } from '../args.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { prepareOutputFile } from '../output-file.js';
import { printJson } from '../output.js';

interface ExportInteractionsOptions extends CommonOptions {
  out: string;
  split?: string;
  weights?: Partial<Record<EventType, number>>;
}

export function registerExportInteractions(program: Command): void {
  withCommon(
    program
      .command('export-interactions')
      .description('write the training view (customer, product, weight, time, context) as Parquet for Spark, Dask or any engine that trains at scale')
      .requiredOption('--out <dir>', 'the folder to write interactions.parquet (and _nextbest.json) into')
      .option('--split <spec>', 'only the train part of this split (default: every event)')
      .option('--weights <type=w,...>', 'interaction weights by event type (default display=0.1,click=1,checkout=3,acquire=3); weight 0 leaves a type out', eventWeights('--weights')),
  ).action(async (opts: ExportInteractionsOptions) => {
    prepareOutputFile(join(opts.out, 'interactions.parquet'), '--out');
    const r = await exportInteractions(storeAccess(opts), { out: opts.out, split: opts.split, weights: opts.weights });
    if (opts.json) printJson(r);
    else
      process.stdout.write(
        `wrote ${r.rows.toLocaleString('en-US')} interactions of ${r.customers.toLocaleString('en-US')} customers and ${r.products.toLocaleString('en-US')} products ` +
          `to ${r.file}${r.contextKeys.length ? ` (context: ${r.contextKeys.join(', ')})` : ''}\n`,
      );
  });
}
