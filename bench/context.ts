// BENCH=context: the ranking fm scoring one customer over every product, in the training-average
// context and in a request's context (one more small row per request: the context's part), on a
// synthetic catalogue of BENCH_CONTEXT_PRODUCTS (default 20,000) products and 2,000 customers with
// time-of-day and page contexts. Microseconds per customer, as a table.
import { Rng } from '../src/core/rng.js';
import { buildInteractions, buildPairContexts, EventLogBuilder } from '../src/matrix/index.js';
import type { RequestContext } from '../src/models/contract.js';
import { FmRecommender } from '../src/models/fm-recommender.js';

const TODS = ['morning', 'afternoon', 'evening', 'night'];
const PAGES = ['home', 'products', 'offers', 'account', 'search'];

export async function benchContext(): Promise<string> {
  const products = Number(process.env.BENCH_CONTEXT_PRODUCTS ?? 20_000);
  const customers = 2_000;
  const rng = new Rng(1);
  const b = new EventLogBuilder();
  for (let p = 0; p < products; p++) b.addProduct(`p${p}`);
  for (let c = 0; c < customers; c++)
    for (let e = 0; e < 20; e++)
      b.add(`c${c}`, `p${rng.int(products)}`, c * 100 + e, rng.next() < 0.2 ? 'click' : 'display', 1, { tod: TODS[rng.int(4)], page: PAGES[rng.int(5)] });
  const log = b.build();
  const interactions = buildInteractions(log, { weights: { display: 0 } });
  const model = new FmRecommender({ k: 32, iterations: 2, loss: 'logistic', features: 'ids,context' });
  await model.fit({ log, interactions, pairContexts: buildPairContexts(log, interactions.userItem, { display: 0 }) });
  const column = (name: string) => log.contexts.index(name);
  const request: RequestContext = {
    replaced: Int32Array.from([...TODS.map((t) => `tod=${t}`), ...PAGES.map((p) => `page=${p}`)], column),
    set: Int32Array.of(column('tod=evening'), column('page=offers')),
  };
  const out = new Float32Array(products);
  const time = (withContext: boolean): number => {
    const n = 1_000;
    const started = performance.now();
    for (let u = 0; u < n; u++) model.scoreInto(u, interactions.userItem.row(u), out, false, withContext ? { context: request } : undefined);
    return ((performance.now() - started) * 1000) / n;
  };
  time(true);
  const rows = [
    ['average context', time(false)],
    ['request context (tod, page)', time(true)],
  ] as const;
  return [
    `ranking fm (k 32) scoring one customer over ${products.toLocaleString('en-US')} products`,
    '| context | µs per customer |',
    '| --- | ---: |',
    ...rows.map(([what, us]) => `| ${what} | ${us.toFixed(0)} |`),
  ].join('\n');
}
