// `nextbest predict --model fm-classification [--split SPEC] [--out FILE.csv]`: a saved rating or
// accept / decline model (train --task rating|classification) scores the store's events, or a split's
// test events, with the customers' and products' current attributes from the store: the metrics
// against what happened, and every prediction as CSV.
import type { Command } from 'commander';
import { predictEvents } from '../../app/predict.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { prepareOutputFile } from '../output-file.js';
import { printJson, table } from '../output.js';
import { printWarning } from '../warning.js';

interface PredictOptions extends CommonOptions {
  model?: string;
  split?: string;
  out?: string;
}

export function registerPredict(program: Command): void {
  withCommon(
    program
      .command('predict')
      .description('score events with a saved rating or accept / decline model')
      .option('--model <name|file.nbm>', 'a model saved by train --task rating|classification (default fm-classification)')
      .option('--split <spec>', "score this split's test events (default: every event in the store)")
      .option('--out <file.csv>', 'write customer, product, time, actual and prediction per event'),
  ).action(async (opts: PredictOptions) => {
    if (opts.out) prepareOutputFile(opts.out);
    const summary = await predictEvents(storeAccess(opts), { model: opts.model, split: opts.split, out: opts.out });
    const { metrics } = summary;
    printWarning(summary.warning);
    printWarning(summary.noAuc);
    if (opts.json) printJson(summary);
    else
      process.stdout.write(
        `${summary.task} predictions of ${summary.model} for ${summary.events.toLocaleString('en-US')} events\n` +
          table([Object.values(metrics).map((v) => v.toFixed(4))], Object.keys(metrics)) +
          (opts.out ? `\npredictions: ${opts.out}\n` : '\n'),
      );
  });
}
