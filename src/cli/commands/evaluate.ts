// `nextbest evaluate --models a,b --split SPEC --k 10`: the comparison table, plus JSON and Markdown
// reports written beside the store.
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { markdownReport, textTable } from '../../eval/report.js';
import { evaluate, type EvaluationReport, type ModelSpec } from '../../eval/runner.js';
import { MODELS } from '../../models/registry.js';
import { positiveInt } from '../args.js';
import { withCommon, type CommonOptions } from '../common.js';
import { collect, loadSplit, parseParams } from '../model-args.js';
import { printJson } from '../output.js';

interface EvaluateOptions extends CommonOptions {
  models: string;
  split: string;
  k: number;
  param: string[];
  bootstrap: number;
  reportDir?: string;
}

export function modelSpecs(models: string, params: string[]): ModelSpec[] {
  return models
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean)
    .map((name) => ({ name, params: parseParams(params, name) }));
}

export function writeReports(report: EvaluationReport, dir: string, prefix: string): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const json = join(dir, `${prefix}-${stamp}.json`);
  const markdown = join(dir, `${prefix}-${stamp}.md`);
  writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(markdown, markdownReport(report));
  return { json, markdown };
}

export function registerEvaluate(program: Command): void {
  withCommon(
    program
      .command('evaluate')
      .description('compare models on a split against the popularity baseline')
      .option('--models <list>', `comma-separated: ${Object.keys(MODELS).join(', ')}`, 'popularity,sims,item-knn,user-knn,ease')
      .option('--split <spec>', 'random:0.75[:seed], temporal:DATE, temporal-ratio:R, leave-last-out, cold-start:R, files:TRAIN,TEST', 'random:0.75')
      .option('--k <n>', 'list length', positiveInt('--k'), 10)
      .option('--param <model.key=value>', 'a model parameter, e.g. ease.lambda=300 (repeatable)', collect, [])
      .option('--bootstrap <n>', 'bootstrap resamples for the 95% intervals (0: none)', positiveInt('--bootstrap', 0), 1000)
      .option('--report-dir <dir>', 'where the JSON and Markdown reports go (default: reports/ beside the store)'),
  ).action(async (opts: EvaluateOptions) => {
    const split = await loadSplit(opts.split, opts);
    const report = await evaluate({ models: modelSpecs(opts.models, opts.param), split, k: opts.k, bootstrap: opts.bootstrap });
    const files = writeReports(report, opts.reportDir ?? join(dirname(opts.store), 'reports'), 'evaluate');
    if (opts.json) printJson(report);
    else process.stdout.write(`${textTable(report)}\nreports: ${files.json}, ${files.markdown}\n`);
  });
}
