// `nextbest import-factors`: customer and product factors trained elsewhere (Parquet id, features[], as
// Spark MLlib's ALS writes them) saved as a servable model over the store's ids: recommend, export,
// serve and evaluate (`--models factors --param factors.customers=... --param factors.products=...`) use it
// like any other.
import type { Command } from 'commander';
import { trainModel } from '../../app/train.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { heedInterrupt, interruptSignal } from '../interrupt.js';
import { printJson } from '../output.js';

interface ImportFactorsOptions extends CommonOptions {
  customers: string;
  products: string;
  split?: string;
  out?: string;
  regularization?: string;
  alpha?: string;
}

export function registerImportFactors(program: Command): void {
  withCommon(
    program
      .command('import-factors')
      .description('save customer and product factors trained elsewhere (Parquet id, features[]) as a model over the store\'s ids')
      .requiredOption('--customers <file.parquet>', 'customer factors: columns id and features (Spark ALS userFactors)')
      .requiredOption('--products <file.parquet>', 'product factors: columns id and features (Spark ALS itemFactors)')
      .option('--split <spec>', 'line the factors up with this split\'s train part (e.g. the one they were trained on) instead of every event')
      .option('--out <file.nbm>', 'where to save (default: factors.nbm in the models folder)')
      .option('--regularization <lambda>', 'fold-in of customers without factors: L2 penalty (default 0.1)')
      .option('--alpha <a>', 'fold-in: confidence 1 + alpha r of a history entry (default 1)'),
  ).action(async (opts: ImportFactorsOptions) => {
    const params: Record<string, string> = { customers: opts.customers, products: opts.products };
    if (opts.regularization !== undefined) params.regularization = opts.regularization;
    if (opts.alpha !== undefined) params.alpha = opts.alpha;
    const summary = await trainModel(storeAccess(opts), {
      model: 'factors',
      params,
      split: opts.split,
      out: opts.out,
      signal: interruptSignal,
      beforeWrite: heedInterrupt,
    });
    if (opts.json) {
      printJson(summary);
      return;
    }
    const c = summary.coverage;
    const n = (x: number) => x.toLocaleString('en-US');
    process.stdout.write(
      `imported ${c ? `${n(c.customers.matched)} of ${n(c.customers.of)} customers and ${n(c.products.matched)} of ${n(c.products.of)} products` : 'factors'}` +
        `${c && c.customers.unused + c.products.unused > 0 ? ` (${n(c.customers.unused)} customer and ${n(c.products.unused)} product rows name ids the store does not have)` : ''}; ` +
        `saved to ${summary.out}\n`,
    );
  });
}
