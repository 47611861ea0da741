// `nextbest evaluate --models a,b --split SPEC --k 10`: the comparison table, plus JSON and Markdown
// reports written beside the store.
import type { Command } from 'commander';
import { evaluateAdds, evaluatePointwiseModels, evaluateRanking, type EvaluateRequest } from '../../app/evaluate.js';
import { evaluateContextModel } from '../../app/evaluate-context.js';
import type { EventType } from '../../data/model.js';
import { NextbestError } from '../../core/errors.js';
import { pointwiseParams, POINTWISE_MODELS, type PointwiseTask } from '../../eval/pointwise-models.js';
import type { PointwiseProgress } from '../../eval/pointwise.js';
import { textTable } from '../../eval/report.js';
import type { ModelSpec } from '../../eval/runner.js';
import { DEFAULT_EXPLORE_AGE_DAYS } from '../../models/exploration.js';
import { MODEL_NAMES, MODELS } from '../../models/registry.js';
import { eventWeights, positiveInt, unitInterval } from '../args.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { heedInterrupt, interruptibleAtOnce, interruptSignal } from '../interrupt.js';
import { collect, paramsByModel } from '../model-args.js';
import { printJson, table } from '../output.js';
import { fitDetail, progressBar } from '../progress.js';
import { printWarning } from '../warning.js';

interface EvaluateOptions extends CommonOptions {
  task: string;
  models?: string;
  split: string;
  folds?: number;
  month?: string;
  k?: number;
  param: string[];
  bootstrap: number;
  baseline: string;
  reportDir?: string;
  weights?: Partial<Record<EventType, number>>;
  window: number;
  explore?: number;
  exploreAgeDays: number;
}

/**
 * The models listed and their parameters, and every model the evaluation runs (with the baseline when
 * it is not listed); each --param must name one of those.
 */
export function modelSpecs(models: string, params: string[], known: readonly string[], baseline?: string): { specs: ModelSpec[]; runs: ModelSpec[] } {
  const names = [...new Set(models.split(',').map((m) => m.trim()).filter(Boolean))];
  const alsoRuns = baseline && !names.includes(baseline) ? [baseline] : [];
  const byModel = paramsByModel(params, { command: 'evaluate', runs: names, alsoRuns, known });
  const spec = (name: string): ModelSpec => ({ name, params: byModel[name] });
  return { specs: names.map(spec), runs: [...alsoRuns, ...names].map(spec) };
}

export function registerEvaluate(program: Command): void {
  withCommon(
    program
      .command('evaluate')
      .description('compare models on a split against a baseline (default popularity)')
      .option(
        '--task <task>',
        'ranking (top-N), adds (Santander: next month\'s adds from monthly holdings, Kaggle MAP@7), rating (RMSE, MAE), classification (accept / decline: AUC, log-loss) or context (one model on held-out clicks, with and without the request\'s context)',
        'ranking',
      )
      .option('--models <list>', `comma-separated; ranking: ${Object.keys(MODELS).join(', ')}; rating and classification: ${POINTWISE_MODELS.join(', ')}`)
      .option('--folds <n>', 'classification: stratified k-fold cross-validation over the store\'s events instead of --split', positiveInt('--folds', 2))
      .option('--split <spec>', 'random:0.75[:seed], temporal:DATE, temporal-ratio:R, leave-last-out, cold-start:R, files:TRAIN,TEST', 'random:0.75')
      .option('--month <date>', 'adds: the month to predict, a snapshot date such as 2016-05-28 (default: the store\'s last); trains on every month before')
      .option('--k <n>', 'list length (default 10; 7 for --task adds)', positiveInt('--k'))
      .option('--param <model.key=value>', 'a model parameter, e.g. ease.lambda=300 (repeatable)', collect, [])
      .option('--bootstrap <n>', 'bootstrap resamples for the 95% intervals (0: none)', positiveInt('--bootstrap', 0), 1000)
      .option('--explore <weight>', 'ranking: give products younger than --explore-age-days this share of each list (0 to 1), and report the share and the NDCG cost', unitInterval('--explore'))
      .option('--explore-age-days <days>', 'the cold-product age cut-off for --explore: first seen within this many days of the train part\'s end', positiveInt('--explore-age-days'), DEFAULT_EXPLORE_AGE_DAYS)
      .option('--baseline <model>', 'ranking and adds: the model every other is paired against (paired test, bootstrap interval of the difference)', 'popularity')
      .option('--report-dir <dir>', 'where the JSON and Markdown reports go (default: reports/ beside the store)')
      .option('--weights <type=w,...>', 'context: interaction weights by event type (default display=0: a display is the bank\'s choice, a click the customer\'s)', eventWeights('--weights'))
      .option('--window <seconds>', 'context: a click on the displayed product within this many seconds is the display\'s click', positiveInt('--window'), 1800),
  ).action(async (opts: EvaluateOptions) => {
    if (opts.task === 'context') {
      await evaluateContextCommand(opts);
      return;
    }
    if (opts.task === 'rating' || opts.task === 'classification') {
      await evaluatePointwiseCommand(opts.task, opts);
      return;
    }
    if (opts.task !== 'ranking' && opts.task !== 'adds')
      throw new NextbestError('BAD_OPTION', `--task ${opts.task} is not ranking, adds, rating, classification or context`);
    const adds = opts.task === 'adds';
    if (opts.month !== undefined && !adds) throw new NextbestError('BAD_OPTION', '--month is for --task adds; a ranking evaluation takes --split');
    if (opts.explore !== undefined && adds) throw new NextbestError('BAD_OPTION', '--explore is for ranking evaluations; the adds task ranks the same products every month');
    opts.models ??= adds ? 'popularity,item-knn,sims,ease,als,adds-logit' : 'popularity,sims,item-knn,user-knn,ease';
    if (!MODEL_NAMES.includes(opts.baseline as (typeof MODEL_NAMES)[number]))
      throw new NextbestError('BAD_OPTION', `--baseline ${opts.baseline} is no model; choose one of ${MODEL_NAMES.join(', ')}`);
    const { specs, runs } = modelSpecs(opts.models, opts.param, MODEL_NAMES, opts.baseline);
    const bar = progressBar(adds ? 'evaluate adds' : 'evaluate', !!opts.json);
    const names = specs.map((m) => m.name);
    const common: Omit<EvaluateRequest, 'split'> = {
      models: specs,
      baseline: runs.find((m) => m.name === opts.baseline),
      k: opts.k ?? (adds ? 7 : 10),
      bootstrap: opts.bootstrap,
      reportDir: opts.reportDir,
      signal: interruptSignal,
      onModel: (name, phase, p) => {
        const at = Math.max(0, names.indexOf(name));
        const within = phase === 'score' ? 1 : p ? p.iteration / p.total : 0;
        bar.update((at + within) / Math.max(1, names.length), `${name} ${phase === 'score' ? 'scoring' : p ? fitDetail(p) : 'fitting'}`);
      },
      beforeWrite: async () => {
        bar.stop();
        await heedInterrupt();
      },
    };
    const { report, files } = adds
      ? await evaluateAdds(storeAccess(opts), { ...common, month: opts.month })
      : await evaluateRanking(storeAccess(opts), {
          ...common,
          split: opts.split,
          ...(opts.explore !== undefined ? { explore: { weight: opts.explore, ageDays: opts.exploreAgeDays } } : {}),
        });
    printWarning(report.warning);
    if (opts.json) printJson(report);
    else process.stdout.write(`${textTable(report)}\nreports: ${files.json}, ${files.markdown}\n`);
  });
}

async function evaluateContextCommand(opts: EvaluateOptions): Promise<void> {
  const { specs } = modelSpecs(opts.models ?? 'fm', opts.param, MODEL_NAMES);
  if (specs.length !== 1) throw new NextbestError('BAD_OPTION', `--task context evaluates one model with and without its request context; give one in --models, not ${specs.length}`);
  if (opts.bootstrap < 1) throw new NextbestError('BAD_OPTION', '--task context reports bootstrap intervals; give --bootstrap 1 or more');
  const bar = progressBar('evaluate context', !!opts.json);
  const report = await evaluateContextModel(storeAccess(opts), {
    model: specs[0],
    split: opts.split,
    weights: opts.weights,
    k: opts.k ?? 10,
    window: opts.window,
    bootstrap: opts.bootstrap,
    signal: interruptSignal,
    onProgress: (p) => bar.update(p.iteration / p.total, `${specs[0].name} ${fitDetail(p)}`),
  });
  bar.stop();
  if (opts.json) {
    printJson(report);
    return;
  }
  const f = (x: number) => x.toFixed(4);
  const ci = (c: { mean: number; low: number; high: number }) => `${c.mean >= 0 ? '+' : ''}${f(c.mean)} [${f(c.low)}, ${f(c.high)}]`;
  process.stdout.write(
    `context on ${report.split}: ${report.model.name} trained on ${report.trainEvents.toLocaleString('en-US')} events; ` +
      `${report.displays.toLocaleString('en-US')} held-out displays (${report.clicked.toLocaleString('en-US')} clicked) of ${report.customers.toLocaleString('en-US')} customers, ` +
      `${report.ndcg.clicks.toLocaleString('en-US')} held-out clicks\n\n` +
      table(
        [
          ['click AUC', f(report.auc.a), f(report.auc.b), ci(report.auc.difference)],
          [`NDCG@${report.k} of clicks`, f(report.ndcg.withContext), f(report.ndcg.without), ci(report.ndcg.difference)],
        ],
        ['metric', 'with context', 'average context', 'difference [95% bootstrap]'],
      ) +
      '\n',
  );
}

async function evaluatePointwiseCommand(task: PointwiseTask, opts: EvaluateOptions): Promise<void> {
  const { specs } = modelSpecs(opts.models ?? 'prior,fm', opts.param, POINTWISE_MODELS);
  for (const m of specs) pointwiseParams(m.name, m.params, task);
  if (opts.folds && task !== 'classification') throw new NextbestError('BAD_OPTION', '--folds is for --task classification; give rating runs a --split');
  const bar = progressBar(`evaluate ${task}`, !!opts.json);
  const onProgress: PointwiseProgress = (name, fold, folds, p) =>
    bar.update(
      (fold + p.iteration / p.total) / folds,
      `${name}${folds > 1 ? ` fold ${fold + 1}/${folds}` : ''} ${fitDetail(p)}`,
    );
  const report = await evaluatePointwiseModels(storeAccess(opts), { task, models: specs, folds: opts.folds, split: opts.split, blocking: interruptibleAtOnce, onProgress });
  bar.stop();
  printWarning(report.warning);
  if (opts.json) {
    printJson(report);
    return;
  }
  const keys = task === 'rating' ? ['rmse', 'mae'] : ['auc', 'logloss'];
  process.stdout.write(
    `${task} on ${report.split}: ${report.trainEvents.toLocaleString('en-US')} train, ${report.testEvents.toLocaleString('en-US')} test events\n\n` +
      table(
        report.models.map((m) => [m.name, ...keys.map((k) => m.metrics[k].toFixed(4)), m.fitSeconds.toFixed(2)]),
        ['model', ...keys, 'fit s'],
      ) +
      '\n',
  );
}
