// `nextbest start` (npm start): the main job end to end on the embedded default — generate the
// synthetic bank data, ingest it into the default store, and print a data summary.
import type { Command } from 'commander';
import { withStore, withCommon, type CommonOptions } from '../common.js';
import { printJson } from '../output.js';
import { generate } from './generate.js';
import { ingestInput, printIngest } from './ingest.js';
import { formatStats } from './stats.js';
import { positiveInt } from '../args.js';

interface StartOptions extends CommonOptions {
  customers: number;
  seed: number;
}

export function registerStart(program: Command): void {
  withCommon(
    program
      .command('start')
      .description('run the main job: generate synthetic bank data, ingest it, summarise it')
      .option('--customers <n>', 'number of synthetic customers', positiveInt('--customers'), 5000)
      .option('--seed <n>', 'random seed', positiveInt('--seed', 0), 42),
  ).action(async (opts: StartOptions) => {
    const out = '.nextbest/synthetic';
    const say = (s: string): void => {
      if (!opts.json) process.stdout.write(s);
    };
    say(`1/3 generating ${opts.customers} synthetic customers (seed ${opts.seed}) into ${out}\n`);
    const generated = await generate({ customers: opts.customers, seed: opts.seed, months: 17, out, santander: false, json: opts.json });
    say(`2/3 ingesting ${out} into ${opts.store}\n`);
    const { ingest, stats } = await withStore(opts, async (store) => ({
      ingest: await ingestInput(store, out, { ...opts, format: 'bundle' }),
      stats: await store.stats(),
    }));
    if (opts.json) {
      printJson({ generated, ingest, stats });
      return;
    }
    printIngest(ingest, false);
    say(`3/3 what the store holds:\n\n${formatStats(stats)}`);
  });
}
