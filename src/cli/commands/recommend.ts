// `nextbest recommend --customer ID --k N` and `nextbest similar --product ID --k N` from a saved model.
import type { Command } from 'commander';
import { NextbestError } from '../../core/errors.js';
import { loadTrainedModel, recommendFor } from '../../models/trained-model.js';
import { positiveInt } from '../args.js';
import { withCommon, type CommonOptions } from '../common.js';
import { collect, resolveModelPath } from '../model-args.js';
import { printJson, table } from '../output.js';

interface RecommendOptions extends CommonOptions {
  customer: string[];
  k: number;
  model?: string;
  includeSeen?: boolean;
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
      .requiredOption('--customer <id>', 'customer id (repeatable)', collect, [])
      .option('--k <n>', 'how many products', positiveInt('--k'), 10)
      .option('--model <name|file.nbm>', 'a trained model (default: the newest in the models folder)')
      .option('--include-seen', 'also rank products the customer already has in the training history'),
  ).action(async (opts: RecommendOptions) => {
    const trained = loadTrainedModel(resolveModelPath(opts.model, opts.store));
    const lists = recommendFor(trained, opts.customer, { k: opts.k, exclude: opts.includeSeen ? null : undefined });
    const out = lists.map((l) => ({
      customer: l.customerId,
      known: trained.customers.has(l.customerId),
      recommendations: l.products.map((product, i) => ({ rank: i + 1, product, score: l.scores[i] })),
    }));
    if (opts.json) {
      printJson({ model: trained.model.name, customers: out });
      return;
    }
    for (const c of out) {
      process.stdout.write(`${c.customer}${c.known ? '' : ' (not in the training data: cold start)'} — ${trained.model.name}\n`);
      process.stdout.write(table(c.recommendations.map((r) => [`  ${r.rank}`, r.product, r.score.toFixed(4)]), ['  rank', 'product', 'score']) + '\n');
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
    const trained = loadTrainedModel(resolveModelPath(opts.model, opts.store));
    const p = trained.products.index(opts.product);
    if (p < 0) throw new NextbestError('NOT_FOUND', `product ${opts.product} is not in the model; check the id`);
    const [list] = trained.model.similarItems(Int32Array.of(p), opts.k);
    const similar = Array.from(list.items, (q, i) => ({ rank: i + 1, product: trained.products.id(q), score: list.scores[i] }));
    if (opts.json) printJson({ model: trained.model.name, product: opts.product, similar });
    else process.stdout.write(table(similar.map((s) => [`  ${s.rank}`, s.product, s.score.toFixed(4)]), ['  rank', 'product', 'score']) + '\n');
  });
}
