// Side features reach the server as they reach the CLI: popularity per segment and the ranking fm with
// customer, product and context features serve the lists `nextbest recommend` gives from the same file,
// scoring from the store's current attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type App } from '../../src/server/build.js';
import { runCli } from '../cli/run-cli.js';
import { servedStore, type ServedStore } from '../helpers/served-store.js';

interface List {
  customer: string;
  recommendations: { rank: number; product: string; score: number }[];
}

let served: ServedStore;
const apps: App[] = [];

beforeAll(() => {
  served = servedStore(['popularity mode=segment --out .nextbest/models/seg.nbm', 'fm iterations=5 features=ids,customer,product,context --out .nextbest/models/fm-side.nbm'], 800, 5);
}, 180_000);

afterAll(async () => {
  for (const app of apps) await app.close();
});

const cliLists = (model: string, customers: string[]): List[] => {
  const r = runCli(['recommend', '--model', model, ...customers.flatMap((c) => ['--customer', c]), '--k', '6', '--json'], served.dir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).customers as List[];
};

async function servedLists(model: string, customers: string[]): Promise<List[]> {
  const app = await build({ store: served.store, model });
  apps.push(app);
  const out: List[] = [];
  for (const c of customers) {
    const r = await app.inject({ method: 'GET', url: `/v1/customers/${c}/recommendations?k=6` });
    expect(r.statusCode, r.body).toBe(200);
    out.push(r.json() as List);
  }
  await app.close();
  return out;
}

describe.each([['seg'], ['fm-side']])('%s through the server', (model) => {
  it('serves the lists the CLI gives from the same model', async () => {
    const customers = ['1000001', '1000002', '1000003', '1000010', '1000200'];
    const expected = cliLists(model, customers);
    const got = await servedLists(model, customers);
    expect(got.map((l) => l.recommendations.map((r) => r.product))).toEqual(expected.map((l) => l.recommendations.map((r) => r.product)));
    for (let i = 0; i < got.length; i++)
      got[i].recommendations.forEach((r, j) => expect(r.score).toBeCloseTo(expected[i].recommendations[j].score, 5));
    // Side features make lists differ between customers (not one global list).
    expect(new Set(got.map((l) => l.recommendations.map((r) => r.product).join())).size).toBeGreaterThan(1);
  });
});
