// `nextbest predict --model fm-classification [--split SPEC] [--out FILE.csv]`: a saved rating or
// accept / decline model (train --task rating|classification) scores the store's events, or a split's
// test events, with the customers' and products' current attributes from the store: the metrics
// against what happened, and every prediction as CSV.
import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { NextbestError } from '../../core/errors.js';
import { csvField } from '../../data/csv-field.js';
import { pointwiseWarning, score, targets } from '../../eval/pointwise.js';
import { distinctCustomers } from '../../eval/small-sample.js';
import { EventModel } from '../../models/fm/event-model.js';
import { loadAttributes, loadLog, loadSplit } from '../../app/data.js';
import { resolveModelPath } from '../../app/model-files.js';
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
    const path = resolveModelPath(opts.model ?? 'fm-classification', opts.store);
    const model = EventModel.load(path);
    const store = storeAccess(opts);
    const log = opts.split ? (await loadSplit(opts.split, store)).test : await loadLog(store);
    if (log.length === 0) throw new NextbestError('NOT_FOUND', `there are no events to score in ${opts.split ? `the test part of ${opts.split}` : `the store ${opts.store}`}`);
    const predicted = model.predict(log, await loadAttributes(store));
    const actual = targets(log, model.task);
    const metrics = score(model.task, actual, predicted);
    if (opts.out) {
      const out = createWriteStream(opts.out);
      out.write('customer,product,time,actual,prediction\n');
      for (let start = 0; start < log.length; start += 10_000) {
        let text = '';
        for (let i = start; i < Math.min(log.length, start + 10_000); i++)
          text += `${csvField(log.customers.id(log.customer[i]))},${csvField(log.products.id(log.product[i]))},${new Date(log.time[i] * 1000).toISOString()},${actual[i]},${predicted[i]}\n`;
        if (!out.write(text)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
    }
    const customers = distinctCustomers(log.customer);
    const summary = { model: path, task: model.task, events: log.length, customers, metrics, out: opts.out ?? null, ...pointwiseWarning(customers) };
    printWarning(summary.warning);
    if (opts.json) printJson(summary);
    else
      process.stdout.write(
        `${model.task} predictions of ${path} for ${log.length.toLocaleString('en-US')} events\n` +
          table([Object.values(metrics).map((v) => v.toFixed(4))], Object.keys(metrics)) +
          (opts.out ? `\npredictions: ${opts.out}\n` : '\n'),
      );
  });
}
