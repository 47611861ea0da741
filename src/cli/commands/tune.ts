// `nextbest tune --model ease --grid lambda=100,300,1000 --split SPEC`: grid search on a validation
// split carved out of the split's train part; optionally the best setting evaluated on test.
import type { Command } from 'commander';
import { NextbestError } from '../../core/errors.js';
import { textTable } from '../../eval/report.js';
import { MODEL_NAMES } from '../../models/registry.js';
import { positiveInt } from '../args.js';
import { tuneModel } from '../../app/tune.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { interruptSignal } from '../interrupt.js';
import { collect, paramsByModel } from '../model-args.js';
import { printJson, table } from '../output.js';
import { printWarning } from '../warning.js';

interface TuneOptions extends CommonOptions {
  model: string;
  grid: string[];
  param: string[];
  split: string;
  k: number;
  test?: boolean;
}

function parseGrid(items: string[]): Record<string, string[]> {
  const grid: Record<string, string[]> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new NextbestError('BAD_OPTION', `--grid ${item} is not key=v1,v2,... (e.g. lambda=100,300,1000)`);
    grid[item.slice(0, eq).trim()] = item.slice(eq + 1).split(',').map((v) => v.trim()).filter(Boolean);
  }
  if (!Object.keys(grid).length) throw new NextbestError('BAD_OPTION', 'give at least one --grid key=v1,v2,...');
  return grid;
}

export function registerTune(program: Command): void {
  withCommon(
    program
      .command('tune')
      .description('grid-search a model\'s parameters on a validation split carved out of train')
      .requiredOption('--model <name>', 'the model to tune')
      .option('--grid <key=v1,v2,...>', 'values to try (repeatable)', collect, [])
      .option('--param <key=value>', 'a fixed parameter (repeatable)', collect, [])
      .option('--split <spec>', 'the outer split; tuning only sees its train part', 'random:0.75')
      .option('--k <n>', 'list length', positiveInt('--k'), 10)
      .option('--test', 'then evaluate the best setting on the test part against popularity'),
  ).action(async (opts: TuneOptions) => {
    const grid = parseGrid(opts.grid);
    const fixed = paramsByModel(opts.param, { command: 'tune', runs: [opts.model], known: MODEL_NAMES })[opts.model];
    const { result, split, test: report } = await tuneModel(storeAccess(opts), {
      model: opts.model,
      grid,
      fixed,
      split: opts.split,
      k: opts.k,
      test: opts.test,
      signal: interruptSignal,
    });
    printWarning(result.warning);
    printWarning(report?.warning);
    if (opts.json) {
      printJson({ ...result, test: report });
      return;
    }
    process.stdout.write(`${opts.model} on ${result.validation} (carved from the train part of ${split}):\n`);
    process.stdout.write(
      table(
        result.trials.map((t) => [JSON.stringify(t.params), t.value.toFixed(4), t.fitSeconds.toFixed(2)]),
        ['params', result.metric, 'fit s'],
      ) + `\nbest: ${JSON.stringify(result.best.params)} (${result.metric} ${result.best.value.toFixed(4)} on validation)\n`,
    );
    if (report) process.stdout.write(`\non test:\n${textTable(report)}`);
  });
}
