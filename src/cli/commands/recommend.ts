// `nextbest recommend --customer ID --k N` and `nextbest similar --product ID --k N` from a saved model.
import type { Command } from 'commander';
import { recommendOffers } from '../../app/customer-offers.js';
import { DEFAULT_EV_WEIGHT } from '../../app/expected-value.js';
import { coldStartNote, recommend, similarProducts } from '../../app/recommend.js';
import type { AppliedContext } from '../../app/request-context.js';
import { loadRules } from '../../rules/load.js';
import type { Rules } from '../../rules/schema.js';
import { contextPairs, dateTime, positiveInt, unitInterval } from '../args.js';
import { storeAccess, withCommon, type CommonOptions } from '../common.js';
import { DEFAULT_EXPLORE_AGE_DAYS } from '../../models/exploration.js';
import { collect } from '../model-args.js';
import { printJson, table } from '../output.js';

interface RecommendOptions extends CommonOptions {
  customer: string[];
  k: number;
  model?: string;
  includeSeen?: boolean;
  segmentAttribute: string;
  offers?: boolean;
  evWeight: number;
  at?: Date;
  acceptModel?: string;
  context?: Record<string, string>;
  rules?: string;
  debug?: boolean;
  explore?: number;
  exploreAgeDays: number;
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
      .option('--offers', 'join each product with the customer\'s best running offer, ranked by relevance blended with expected value')
      .option('--ev-weight <w>', 'with --offers: weight of expected value (P(accept) x reward value) against relevance, 0 to 1', unitInterval('--ev-weight'), DEFAULT_EV_WEIGHT)
      .option('--at <date>', 'with --offers: offers running at this date or time (default now)', dateTime('--at'))
      .option('--accept-model <name|file.nbm>', 'with --offers: the accept / decline model (default: fm-classification when trained)')
      .option('--context <key=value,...>', 'the request context, e.g. tod=evening,page=offers (models trained with context features score in it)', contextPairs('--context'))
      .option('--rules <file.json>', 'business rules the lists go through (see README, "Business rules")')
      .option('--debug', 'with --rules: also list what each rule removed or moved')
      .option('--explore <weight>', 'give products younger than --explore-age-days (at the end of training) this share of each list, 0 to 1', unitInterval('--explore'))
      .option('--explore-age-days <days>', 'the cold-product age cut-off for --explore', positiveInt('--explore-age-days'), DEFAULT_EXPLORE_AGE_DAYS),
  ).action(async (opts: RecommendOptions) => {
    const businessRules = opts.rules === undefined ? undefined : await loadRules(opts.rules);
    if (opts.offers) return recommendOffersCommand(opts, businessRules);
    const result = await recommend(storeAccess(opts), {
      businessRules,
      customers: opts.customer,
      k: opts.k,
      includeSeen: opts.includeSeen,
      segmentAttribute: opts.segmentAttribute,
      model: opts.model,
      context: opts.context,
      ...(opts.explore !== undefined ? { explore: { weight: opts.explore, ageDays: opts.exploreAgeDays } } : {}),
    });
    for (const c of result.customers) {
      if (c.coldStart) process.stderr.write(`nextbest: note: ${coldStartNote(c, opts.segmentAttribute)}\n`);
      if (!opts.debug) delete c.debug;
    }
    for (const c of result.customers)
      if (c.fromAttributes) process.stderr.write(`nextbest: note: customer ${c.customer} has no training history; ${result.model} scored it from its attributes${c.context ? ' and the context' : ''}\n`);
    if (opts.context && !result.contextKeys.length) process.stderr.write(`nextbest: note: model ${result.model} was not trained with context features; --context is ignored\n`);
    if (opts.json) {
      printJson(result);
      return;
    }
    for (const c of result.customers) {
      process.stdout.write(`${c.customer} — ${c.coldStart ? `cold start (${c.coldStart.basis === 'segment' ? `popular in ${opts.segmentAttribute} ${c.coldStart.segment}` : 'popular overall'})` : result.model}${contextNote(c.context)}\n`);
      // The reason, free text, trails the aligned columns.
      const lines = table(c.recommendations.map((r) => [`  ${r.rank}`, r.product, r.score.toFixed(4)]), ['  rank', 'product', 'score']).split('\n');
      const reasons = ['reason', ...c.recommendations.map((r) => r.reason?.text ?? '')];
      process.stdout.write(lines.map((line, i) => `${line}  ${reasons[i]}`.trimEnd()).join('\n') + '\n');
      for (const r of c.debug?.removed ?? []) process.stdout.write(`  removed ${r.product} (${r.rule}: ${r.detail})\n`);
      for (const m of c.debug?.moved ?? []) process.stdout.write(`  moved ${m.product} from ${m.from} to ${m.to ?? 'out of the list'} (${m.rule}: ${m.detail})\n`);
    }
  });
}

/** `recommend --offers`: each product with its offer, P(accept) and expected value, in the blended order. */
async function recommendOffersCommand(opts: RecommendOptions, businessRules: Rules | undefined): Promise<void> {
  const result = await recommendOffers(storeAccess(opts), {
    businessRules,
    context: opts.context,
    customers: opts.customer,
    k: opts.k,
    segmentAttribute: opts.segmentAttribute,
    model: opts.model,
    acceptModel: opts.acceptModel,
    evWeight: opts.evWeight,
    at: opts.at,
  });
  if (opts.json) {
    printJson(result);
    return;
  }
  const figure = (v: number | null, digits: number): string => (v === null ? '-' : v.toFixed(digits));
  for (const c of result.customers) {
    const accept = c.acceptModel ? `P(accept) from ${c.acceptModel}` : 'no accept / decline model: the recommender\'s order';
    process.stdout.write(`${c.customer} — ${result.model}, offers running at ${c.at}, ${accept}, ev weight ${c.evWeight}\n`);
    const rows = c.recommendations.map((r) => [`  ${r.rank}`, r.product, r.score.toFixed(4), r.offer?.id ?? '-', r.offer?.reward ?? '', figure(r.pAccept, 3), figure(r.expectedValue, 2)]);
    process.stdout.write(table(rows, ['  rank', 'product', 'score', 'offer', 'reward', 'p_accept', 'expected_value']) + '\n');
  }
}

/** " in tod=evening, page=offers (averaged: channel)" for a list scored in a context. */
function contextNote(c: AppliedContext | undefined): string {
  if (!c) return '';
  const used = Object.entries(c.used).map(([k, v]) => `${k}=${v}`);
  return ` in ${used.length ? used.join(', ') : 'the average context'}${c.averaged.length && used.length ? ` (average ${c.averaged.join(', ')})` : ''}`;
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
