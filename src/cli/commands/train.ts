// `nextbest train --model NAME [key=value ...]`: fit a model on the store's events (or a split's
// train part) and save it as an artifact for recommend, similar and export; with --task rating or
// classification, the factorization machine that predicts ratings or acceptance, for predict.
import type { Command } from 'commander';
import { join } from 'node:path';
import { NextbestError } from '../../core/errors.js';
import { pointwiseParams, trainEventModel } from '../../eval/pointwise-models.js';
import { MODEL_NAMES, MODELS, createModel } from '../../models/registry.js';
import { fitModel, saveTrainedModel } from '../../models/trained-model.js';
import { withCommon, type CommonOptions } from '../common.js';
import { heedInterrupt, interruptibleAtOnce, interruptSignal } from '../interrupt.js';
import { collect, loadSplit, modelsDir, paramsByModel, storeAttributes, storeLog } from '../model-args.js';
import { printJson } from '../output.js';
import { fitDetail, progressBar } from '../progress.js';

interface TrainOptions extends CommonOptions {
  model: string;
  task: string;
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
      .option('--out <file>', 'where to save the model (default: the models folder beside the store)')
      .option('--task <task>', 'ranking (top-N products), rating or classification (accept / decline; --model fm)', 'ranking'),
  ).action(async (params: string[], opts: TrainOptions) => {
    if (opts.task !== 'ranking') {
      await trainEventTask(opts.task, params, opts);
      return;
    }
    const raw = paramsByModel([...params, ...opts.param], { command: 'train', runs: [opts.model], known: MODEL_NAMES, label: 'parameter' });
    const model = createModel(opts.model, raw[opts.model]);
    const log = opts.split ? (await loadSplit(opts.split, opts)).train : await storeLog(opts);
    const bar = progressBar(`train ${opts.model}`, !!opts.json);
    const started = performance.now();
    const trained = await fitModel(model, log, {}, {
      signal: interruptSignal,
      trainingLoss: bar.active,
      onProgress: (p) => bar.update(p.iteration / p.total, fitDetail(p)),
    });
    bar.stop();
    await heedInterrupt();
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

/** `train --task rating|classification --model fm`: the FM over its feature groups, saved for predict. */
async function trainEventTask(task: string, params: string[], opts: TrainOptions): Promise<void> {
  if (task !== 'rating' && task !== 'classification') throw new NextbestError('BAD_OPTION', `--task ${task} is not ranking, rating or classification`);
  if (opts.model !== 'fm') throw new NextbestError('BAD_OPTION', `--task ${task} trains the factorization machine only; use --model fm`);
  const raw = paramsByModel([...params, ...opts.param], { command: 'train', runs: ['fm'], known: ['fm'], label: 'parameter' }).fm;
  pointwiseParams('fm', raw, task);
  const log = opts.split ? (await loadSplit(opts.split, opts)).train : await storeLog(opts);
  if (log.length === 0)
    throw new NextbestError('NO_EVENTS', `there are no events to train on in ${opts.split ? `the train part of ${opts.split}` : `the store ${opts.store}; run nextbest ingest first`}`);
  const attributes = await storeAttributes(opts);
  const bar = progressBar(`train fm (${task})`, !!opts.json);
  const started = performance.now();
  const model = interruptibleAtOnce(() => trainEventModel(raw, task, attributes, log, (p) => bar.update(p.iteration / p.total, fitDetail(p))));
  bar.stop();
  await heedInterrupt();
  const fitSeconds = (performance.now() - started) / 1000;
  const out = opts.out ?? join(modelsDir(opts.store), `fm-${task}.nbm`);
  model.save(out);
  const summary = { model: 'fm', task, params: model.parts.params, out, events: log.length, features: model.parts.featureNames.length, fitSeconds };
  if (opts.json) printJson(summary);
  else
    process.stdout.write(
      `trained fm for ${task} ${JSON.stringify(summary.params)} on ${log.length.toLocaleString('en-US')} events ` +
        `(${summary.features.toLocaleString('en-US')} features) in ${fitSeconds.toFixed(2)} s; saved to ${out}\n`,
    );
}
