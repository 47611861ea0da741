// `nextbest recommend --customer ID --k N` and `nextbest similar --product ID --k N` from a saved model.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { coldStartNote, hasHistory, recommendCustomers } from '../../app/recommend.js';
import { NextbestError } from '../../core/errors.js';
import { loadTrainedModel } from '../../models/trained-model.js';
import { positiveInt } from '../args.js';
import { withCommon, withStore, type CommonOptions } from '../common.js';
import { collect, resolveModelPath } from '../model-args.js';
import { printJson, table } from '../output.js';

interface RecommendOptions extends CommonOptions {
  customer: string[];
  k: number;
  model?: string;
  includeSeen?: boolean;
  segmentAttribute: string;
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
      .option('--segment-attribute <name>', 'the customer attribute whose popular products a customer without training history gets', 'segment'),
  ).action(async (opts: RecommendOptions) => {
    const trained = loadTrainedModel(resolveModelPath(opts.model, opts.store));
    const req = { k: opts.k, includeSeen: opts.includeSeen, segmentAttribute: opts.segmentAttribute };
    // The store is read only for customers without training history (their segment), and only if there is one.
    const needsStore = existsSync(opts.store) && opts.customer.some((id) => !hasHistory(trained, id));
    const out = needsStore
      ? await withStore(opts, (store) => recommendCustomers(trained, opts.customer, store, req))
      : await recommendCustomers(trained, opts.customer, null, req);
    for (const c of out) if (c.coldStart) process.stderr.write(`nextbest: note: ${coldStartNote(c, opts.segmentAttribute)}\n`);
    if (opts.json) {
      printJson({ model: trained.model.name, customers: out });
      return;
    }
    for (const c of out) {
      process.stdout.write(`${c.customer} — ${c.coldStart ? `cold start (${c.coldStart.basis === 'segment' ? `popular in ${opts.segmentAttribute} ${c.coldStart.segment}` : 'popular overall'})` : trained.model.name}\n`);
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
    if (p < 0) throw new NextbestError('PRODUCT_NOT_FOUND', `product ${opts.product} is not in the model; check the id`);
    const [list] = trained.model.similarItems(Int32Array.of(p), opts.k);
    const similar = Array.from(list.items, (q, i) => ({ rank: i + 1, product: trained.products.id(q), score: list.scores[i] }));
    if (opts.json) printJson({ model: trained.model.name, product: opts.product, similar });
    else process.stdout.write(table(similar.map((s) => [`  ${s.rank}`, s.product, s.score.toFixed(4)]), ['  rank', 'product', 'score']) + '\n');
  });
}
