// `nextbest recommend --customer ID --k N` and `nextbest similar --product ID --k N` from a saved model.
import type { Command } from 'commander';
import { coldStartNote, recommend, similarProducts } from '../../app/recommend.js';
import { loadRules } from '../../rules/load.js';
import { positiveInt } from '../args.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { collect } from '../model-args.js';
import { printJson, table } from '../output.js';

interface RecommendOptions extends CommonOptions {
  customer: string[];
  k: number;
  model?: string;
  includeSeen?: boolean;
  segmentAttribute: string;
  rules?: string;
  debug?: boolean;
}

interface SimilarOptions extends CommonOptions {
  product: string;
  k: number;
  model?: string;
}

export function registerRecommend(program: Command): void {
  withCommon(
    program
      .command('recommend')
      .description('the top products for one or more customers, from a trained model')
      .requiredOption('--customer <id>', 'customer id (repeatable)', collect)
      .option('--k <n>', 'how many products', positiveInt('--k'), 10)
      .option('--model <name|file.nbm>', 'a trained model (default: the newest in the models folder)')
      .option('--include-seen', 'also rank products the customer already has in the training history')
      .option('--segment-attribute <name>', 'the customer attribute whose popular products a customer without training history gets', 'segment')
      .option('--rules <file.json>', 'business rules the lists go through (see README, "Business rules")')
      .option('--debug', 'with --rules: also list what each rule removed or moved'),
  ).action(async (opts: RecommendOptions) => {
    const businessRules = opts.rules === undefined ? undefined : await loadRules(opts.rules);
    const result = await recommend(storeAccess(opts), {
      businessRules,
      customers: opts.customer,
      k: opts.k,
      includeSeen: opts.includeSeen,
      segmentAttribute: opts.segmentAttribute,
      model: opts.model,
    });
    for (const c of result.customers) {
      if (c.coldStart) process.stderr.write(`nextbest: note: ${coldStartNote(c, opts.segmentAttribute)}\n`);
      if (!opts.debug) delete c.debug;
    }
    if (opts.json) {
      printJson(result);
      return;
    }
    for (const c of result.customers) {
      process.stdout.write(`${c.customer} — ${c.coldStart ? `cold start (${c.coldStart.basis === 'segment' ? `popular in ${opts.segmentAttribute} ${c.coldStart.segment}` : 'popular overall'})` : result.model}\n`);
      process.stdout.write(table(c.recommendations.map((r) => [`  ${r.rank}`, r.product, r.score.toFixed(4)]), ['  rank', 'product', 'score']) + '\n');
      for (const r of c.debug?.removed ?? []) process.stdout.write(`  removed ${r.product} (${r.rule}: ${r.detail})\n`);
      for (const m of c.debug?.moved ?? []) process.stdout.write(`  moved ${m.product} from ${m.from} to ${m.to ?? 'out of the list'} (${m.rule}: ${m.detail})\n`);
    }
  });
}

export function registerSimilar(program: Command): void {
  withCommon(
    program
      .command('similar')
      .description('the products most similar to a product, from a trained model')
      .requiredOption('--product <id>', 'product id')
      .option('--k <n>', 'how many products', positiveInt('--k'), 10)
      .option('--model <name|file.nbm>', 'a trained model (default: the newest in the models folder)'),
  ).action(async (opts: SimilarOptions) => {
    const result = await similarProducts(storeAccess(opts), { product: opts.product, k: opts.k, model: opts.model });
    if (opts.json) printJson(result);
    else process.stdout.write(table(result.similar.map((s) => [`  ${s.rank}`, s.product, s.score.toFixed(4)]), ['  rank', 'product', 'score']) + '\n');
  });
}
