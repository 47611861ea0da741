// `nextbest train --model NAME [key=value ...]`: fit a model on the store's events (or a split's
// train part) and save it as an artifact for recommend, similar and export; with --task rating or
// classification, the factorization machine that predicts ratings or acceptance, for predict.
import type { Command } from 'commander';
import { trainEventTask, trainModel } from '../../app/train.js';
import { NextbestError } from '../../core/errors.js';
import type { EventType } from '../../data/model.js';
import { eventWeights } from '../args.js';
import { MODEL_NAMES, MODELS } from '../../models/registry.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { heedInterrupt, interruptibleAtOnce, interruptSignal } from '../interrupt.js';
import { collect, paramsByModel } from '../model-args.js';
import { printJson } from '../output.js';
import { fitDetail, progressBar } from '../progress.js';

interface TrainOptions extends CommonOptions {
  model: string;
  task: 'ranking' | 'adds' | 'rating' | 'classification';
  param: string[];
  split?: string;
  out?: string;
  weights?: Partial<Record<EventType, number>>;
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
      .option(
        '--task <task>',
        'ranking (top-N products), adds (Santander: next month\'s adds from monthly holdings), rating or classification (accept / decline; --model fm)',
        'ranking',
      )
      .option('--weights <type=w,...>', 'ranking: interaction weights by event type (default display=0.1,click=1,checkout=3,acquire=3)', eventWeights('--weights')),
  ).action(async (params: string[], opts: TrainOptions) => {
    if (opts.task === 'adds' && opts.weights) throw new NextbestError('BAD_OPTION', '--weights weighs the events of a ranking model; the adds task learns from monthly holdings');
    if (opts.task !== 'ranking' && opts.task !== 'adds') {
      if (opts.weights) throw new NextbestError('BAD_OPTION', `--weights weighs the events of a ranking model; leave it out with --task ${opts.task}`);
      await trainEventCommand(opts.task, params, opts);
      return;
    }
    const raw = paramsByModel([...params, ...opts.param], { command: 'train', runs: [opts.model], known: MODEL_NAMES, label: 'parameter' });
    const bar = progressBar(`train ${opts.model}`, !!opts.json);
    const summary = await trainModel(storeAccess(opts), {
      model: opts.model,
      params: raw[opts.model],
      task: opts.task,
      split: opts.split,
      out: opts.out,
      weights: opts.weights,
      signal: interruptSignal,
      trainingLoss: bar.active,
      onProgress: (p) => bar.update(p.iteration / p.total, fitDetail(p)),
      beforeWrite: async () => {
        bar.stop();
        await heedInterrupt();
      },
    });
    if (opts.json) printJson(summary);
    else
      process.stdout.write(
        `trained ${opts.model} ${JSON.stringify(summary.params)} on ${summary.events.toLocaleString('en-US')} events ` +
          `(${summary.customers.toLocaleString('en-US')} customers, ${summary.products.toLocaleString('en-US')} products) ` +
          `in ${summary.fitSeconds.toFixed(2)} s; saved to ${summary.out}\n`,
      );
  });
}

/** `train --task rating|classification --model fm`: the FM over its feature groups, saved for predict. */
async function trainEventCommand(task: string, params: string[], opts: TrainOptions): Promise<void> {
  if (task !== 'rating' && task !== 'classification') throw new NextbestError('BAD_OPTION', `--task ${task} is not ranking, adds, rating or classification`);
  if (opts.model !== 'fm') throw new NextbestError('BAD_OPTION', `--task ${task} trains the factorization machine only; use --model fm`);
  const raw = paramsByModel([...params, ...opts.param], { command: 'train', runs: ['fm'], known: ['fm'], label: 'parameter' }).fm;
  const bar = progressBar(`train fm (${task})`, !!opts.json);
  const summary = await trainEventTask(storeAccess(opts), {
    task,
    params: raw,
    split: opts.split,
    out: opts.out,
    blocking: interruptibleAtOnce,
    onProgress: (p) => bar.update(p.iteration / p.total, fitDetail(p)),
    beforeWrite: async () => {
      bar.stop();
      await heedInterrupt();
    },
  });
  if (opts.json) printJson(summary);
  else
    process.stdout.write(
      `trained fm for ${task} ${JSON.stringify(summary.params)} on ${summary.events.toLocaleString('en-US')} events ` +
        `(${summary.features.toLocaleString('en-US')} features) in ${summary.fitSeconds.toFixed(2)} s; saved to ${summary.out}\n`,
    );
}
