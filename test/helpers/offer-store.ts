// A scratch store for expected-value tests: the synthetic bank data's customers, products and offers,
// with accept / decline events planted as the only events (each product its own acceptance rate, so
// the accept / decline FM has something to learn and nothing else to learn from), then a ranking model
// (ease) and the FM for classification trained through the built CLI.
import { join } from 'node:path';
import { expect } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { Event } from '../../src/data/model.js';
import { openStore } from '../../src/store/index.js';
import { runCli, scratchDir } from '../cli/run-cli.js';
import type { ServedStore } from './served-store.js';

/** The planted acceptance rate of a product (P01 .. P24): from 0.9 down in steps. */
export const plantedAcceptRate = (product: string): number => 0.9 - 0.035 * (Number(product.slice(1)) - 1);

export async function offerStore(customers = 400, seed = 11): Promise<ServedStore> {
  const dir = scratchDir();
  const run = (args: string[]): string => {
    const r = runCli(args, dir);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  run(['generate', '--customers', String(customers), '--seed', String(seed), '--no-santander']);
  for (const file of ['customers.csv', 'products.csv', 'offers.csv']) run(['ingest', join('.nextbest', 'synthetic', file)]);
  const s = { dir, store: join(dir, '.nextbest', 'store.duckdb') };
  const store = await openStore(s.store);
  try {
    const products: string[] = [];
    for await (const ids of store.ids('product')) products.push(...ids);
    const customerIds: string[] = [];
    for await (const ids of store.ids('customer')) customerIds.push(...ids);
    const rng = new Rng(seed);
    const events: Event[] = [];
    for (const c of customerIds)
      for (const p of products.filter(() => rng.next() < 0.3)) {
        const accepted = rng.next() < plantedAcceptRate(p);
        events.push({ customerId: c, productId: p, timestamp: new Date('2016-05-15T12:00:00Z'), type: accepted ? 'accept' : 'decline', value: accepted ? 1 : 0, context: {} });
      }
    await store.liveLog().appendMany(events);
  } finally {
    await store.close();
  }
  run(['train', '--model', 'ease']);
  const params = ['fm.features=ids', 'fm.solver=als', 'fm.reg=5', 'fm.iterations=15'].flatMap((p) => ['--param', p]);
  expect(run(['train', '--task', 'classification', '--model', 'fm', ...params])).toContain(join('models', 'fm-classification.nbm'));
  return s;
}
