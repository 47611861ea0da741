// `nextbest start` (npm start): the main job end to end on the embedded default — generate the
// synthetic bank data, ingest it into the default store, summarise it, evaluate the recommenders
// against popularity, train the best and show one customer's recommendations.
import type { Command } from 'commander';
import { join } from 'node:path';
import { modelsDir } from '../../app/model-files.js';
import { reportsDir, writeReports } from '../../app/reports.js';
import { textTable } from '../../eval/report.js';
import { evaluate } from '../../eval/runner.js';
import { loadEventLog } from '../../matrix/index.js';
import { randomSplit } from '../../matrix/splits/index.js';
import { createModel } from '../../models/registry.js';
import { fitModel, recommendFor, saveTrainedModel } from '../../models/trained-model.js';
import { positiveInt } from '../args.js';
import { DEFAULT_STORE } from '../../store/store.js';
import { closeHeldStores, withCommon, withStore, type CommonOptions } from '../common.js';
import { serve } from './serve.js';
import { printJson, table } from '../output.js';
import { generate } from './generate.js';
import { ingestInput, printIngest } from './ingest.js';
import { formatStats } from './stats.js';

interface StartOptions extends CommonOptions {
  customers: number;
  seed: number;
  serve: boolean;
  host: string;
  port: number;
}

const MODELS = ['popularity', 'sims', 'item-knn', 'user-knn', 'ease', 'als'];

/** What to try after the main job, with the store it used. */
function nextSteps(customer: string, store: string): string {
  const s = store === DEFAULT_STORE ? '' : ` --store ${store}`;
  const steps = [
    [`npx nextbest recommend --customer ${customer} --k 10${s}`, 'one customer\'s list from the saved model'],
    [`npx nextbest recommend --customer NEW-CUSTOMER${s}`, 'a customer the model has never seen (cold start)'],
    [`npx nextbest evaluate --models ease,als,warp --k 10${s}`, `compare models (reports in ${reportsDir(store)})`],
    [`npx nextbest export --out top10.csv --k 10${s}`, 'every customer\'s top 10 to a file'],
    [`npx nextbest stats${s}`, 'what the store holds'],
    ['npx nextbest --help', 'every command; README.md explains each'],
  ];
  const width = Math.max(...steps.map(([cmd]) => cmd.length));
  return `\nnext:\n${steps.map(([cmd, what]) => `  ${cmd.padEnd(width)}  # ${what}`).join('\n')}\n`;
}

export function registerStart(program: Command): void {
  withCommon(
    program
      .command('start')
      .description('run the main job: generate synthetic bank data, ingest, summarise, evaluate, train, recommend')
      .option('--customers <n>', 'number of synthetic customers', positiveInt('--customers'), 5000)
      .option('--seed <n>', 'random seed', positiveInt('--seed', 0), 42)
      .option('--no-serve', 'end after the recommendations instead of serving the trained model')
      .option('--host <address>', 'where the server listens', '127.0.0.1')
      .option('--port <n>', 'the server\'s port (0: any free port)', positiveInt('--port', 0), 8080),
  ).action(async (opts: StartOptions) => {
    const out = '.nextbest/synthetic';
    const say = (s: string): void => {
      if (!opts.json) process.stdout.write(s);
    };
    say(`1/6 generating ${opts.customers} synthetic customers (seed ${opts.seed}) into ${out}\n`);
    const generated = await generate({ customers: opts.customers, seed: opts.seed, months: 17, out, santander: true, json: opts.json });
    say(`2/6 ingesting ${out} into ${opts.store}\n`);
    const ingest = await ingestInput(out, { ...opts, format: 'bundle' });
    const { stats, log } = await withStore(opts, async (store) => ({ stats: await store.stats(), log: await loadEventLog(store) }));
    if (!opts.json) printIngest(ingest, false);
    say(`3/6 what the store holds:\n\n${formatStats(stats)}\n`);

    say(`4/6 evaluating ${MODELS.join(', ')} on a random 75/25 split (clicks, checkouts and acquisitions are relevant)\n\n`);
    const split = randomSplit(log, { ratio: 0.75, seed: opts.seed });
    const report = await evaluate({ models: MODELS.map((name) => ({ name, params: {} })), split, k: 5, bootstrap: 200 });
    const reports = writeReports(report, reportsDir(opts.store), 'start');
    say(`${textTable(report)}\nreports: ${reports.markdown} and ${reports.json}\n\n`);

    const best = report.models.reduce((a, b) => (b.metrics['ndcg@5'] > a.metrics['ndcg@5'] ? b : a));
    const trained = await fitModel(createModel(best.name, {}), log);
    const path = join(modelsDir(opts.store), `${best.name}.nbm`);
    saveTrainedModel(path, trained);
    const sample = log.customers.id(log.customer[log.length - 1]);
    const [recs] = recommendFor(trained, [sample], { k: 5 });
    say(`5/6 trained ${best.name} (best NDCG@5) on all ${log.length.toLocaleString('en-US')} events, saved to ${path}\n`);
    say(`recommendations for customer ${sample}:\n`);
    say(table(recs.products.map((p, i) => [`  ${i + 1}`, p, recs.scores[i].toFixed(4)]), ['  rank', 'product', 'score']) + '\n');
    say(nextSteps(sample, opts.store));
    if (opts.json) printJson({ generated, ingest, stats, evaluation: report, reports, model: { name: best.name, path }, sample: recs });
    if (!opts.serve) return;
    await closeHeldStores(); // the server holds the store from here on
    const { url } = await serve({ store: opts.store, model: path, host: opts.host, port: opts.port });
    say(`\n6/6 serving ${best.name} at ${url} (API page ${url}/docs); Ctrl-C stops\n`);
    say(`dashboard: ${url}/  (demo site: ${url}/demo)\n`);
    say(`try: curl '${url}/v1/customers/${sample}/recommendations?k=5'\n`);
    say('the server holds the store: the commands above run after Ctrl-C; meanwhile its API does the same (see /docs)\n');
  });
}
