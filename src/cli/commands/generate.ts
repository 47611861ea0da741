// `nextbest generate`: the seeded synthetic bank data set (event CSV, catalogue, Santander layout).
import type { Command } from 'commander';
import { generateBankData, type GenerateResult } from '../../data/generate/index.js';
import { positiveInt } from '../args.js';
import { formatNumber, printJson } from '../output.js';
import { progressBar } from '../progress.js';

interface GenerateOptions {
  customers: number;
  seed: number;
  months: number;
  out: string;
  santander: boolean;
  launches?: boolean;
  json?: boolean;
}

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const bar = progressBar('generate', !!opts.json);
  try {
    return await generateBankData({
      customers: opts.customers,
      seed: opts.seed,
      months: opts.months,
      outDir: opts.out,
      santander: opts.santander,
      launches: !!opts.launches,
      onProgress: (done, total) => bar.update(done / total),
    });
  } finally {
    bar.stop();
  }
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write the synthetic bank data set (seeded, reproducible) to a folder')
    .option('--customers <n>', 'number of customers', positiveInt('--customers'), 5000)
    .option('--seed <n>', 'random seed', positiveInt('--seed', 0), 42)
    .option('--months <n>', 'months of history', positiveInt('--months'), 17)
    .option('--out <dir>', 'output folder', '.nextbest/synthetic')
    .option('--no-santander', 'skip the Santander-layout monthly holdings file')
    .option('--launches', 'add products launched during the window, with a planted uptake (docs/synthetic-data.md)')
    .option('--json', 'print machine-readable JSON on stdout')
    .action(async (opts: GenerateOptions) => {
      const result = await generate(opts);
      if (opts.json) printJson(result);
      else {
        const c = result.counts;
        process.stdout.write(
          `wrote ${formatNumber(c.customers)} customers, ${formatNumber(c.products)} products, ${formatNumber(c.offers)} offers, ` +
            `${formatNumber(c.events)} events${c.santanderRows ? `, ${formatNumber(c.santanderRows)} Santander rows` : ''} to ${opts.out}\n`,
        );
      }
    });
}
