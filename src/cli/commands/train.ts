// `nextbest train --model NAME [key=value ...]`: fit a model on the store's events (or a split's
// train part) and save it as an artifact for recommend, similar and export.
import type { Command } from 'commander';
import { join } from 'node:path';
import { MODELS, createModel } from '../../models/registry.js';
import { fitModel, saveTrainedModel } from '../../models/trained-model.js';
import { withCommon, type CommonOptions } from '../common.js';
import { collect, loadSplit, modelsDir, parseParams, storeLog } from '../model-args.js';
import { printJson } from '../output.js';
import { fitDetail, progressBar } from '../progress.js';

interface TrainOptions extends CommonOptions {
  model: string;
  param: string[];
  split?: string;
  out?: string;
}

export function registerTrain(program: Command): void {
  withCommon(
    program
      .command('train')
      .description('fit a model and save it')
      .requiredOption('--model <name>', `model: ${Object.keys(MODELS).join(', ')}`)
      .argument('[params...]', 'model parameters as key=value, e.g. lambda=300')
      .option('--param <key=value>', 'a model parameter (repeatable)', collect, [])
      .option('--split <spec>', 'train on the train part of this split, e.g. files:train.tsv,test.tsv')
      .option('--out <file>', 'where to save the model (default: the models folder beside the store)'),
  ).action(async (params: string[], opts: TrainOptions) => {
    const model = createModel(opts.model, parseParams([...params, ...opts.param], opts.model));
    const log = opts.split ? (await loadSplit(opts.split, opts)).train : await storeLog(opts);
    const bar = progressBar(`train ${opts.model}`, !!opts.json);
    const started = performance.now();
    const trained = await fitModel(model, log, {}, {
      onProgress: (p) => bar.update(p.iteration / p.total, fitDetail(p)),
    });
    bar.stop();
    const fitSeconds = (performance.now() - started) / 1000;
    trained.meta = { trainedAt: new Date().toISOString(), split: opts.split ?? null, events: log.length, fitSeconds };
    const out = opts.out ?? join(modelsDir(opts.store), `${opts.model}.nbm`);
    saveTrainedModel(out, trained);
    const summary = { model: opts.model, params: model.params, out, customers: log.customers.size, products: log.products.size, events: log.length, fitSeconds };
    if (opts.json) printJson(summary);
    else
      process.stdout.write(
        `trained ${opts.model} ${JSON.stringify(model.params)} on ${log.length.toLocaleString('en-US')} events ` +
          `(${summary.customers.toLocaleString('en-US')} customers, ${summary.products.toLocaleString('en-US')} products) ` +
          `in ${fitSeconds.toFixed(2)} s; saved to ${out}\n`,
      );
  });
}
