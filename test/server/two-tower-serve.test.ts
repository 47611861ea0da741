// The two-tower model served: each recommended product's reason carries both towers' attention over
// their feature fields (what the dashboard draws), and a stored customer without events is ranked by the
// towers from its attributes (fromAttributes), not by cold-start popularity.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/build.js';
import { buildServer, getJson, servedStore, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let app: App;

beforeAll(async () => {
  served = servedStore(['two-tower epochs=2 customerAttributes=segment,age,income productAttributes=annual_fee,min_income'], 600, 7);
  app = await buildServer(served);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describe('two-tower served', () => {
  it('gives each product its towers\' attention over their fields, each tower\'s summing to 1', async () => {
    const { status, body } = await getJson(app, '/v1/customers/1000001/recommendations?k=5');
    expect(status).toBe(200);
    expect(body.model).toBe('two-tower');
    expect(body.recommendations).toHaveLength(5);
    for (const r of body.recommendations) {
      const a = r.reason.attention;
      expect(Object.keys(a.customer).sort()).toEqual(['attr:age', 'attr:income', 'attr:segment', 'history', 'id']);
      expect(Object.keys(a.product).sort()).toEqual(['attr:annual_fee', 'attr:min_income', 'id']);
      expect(sum(a.customer)).toBeCloseTo(1, 4);
      expect(sum(a.product)).toBeCloseTo(1, 4);
    }
    // The customer tower's weights are the customer's, the same for every product; the product tower's differ by product.
    const [first, second] = body.recommendations;
    expect(second.reason.attention.customer).toEqual(first.reason.attention.customer);
  });

  it('ranks a stored customer without events from its attributes', async () => {
    const dir = join(served.dir, '.nextbest', 'synthetic');
    const withEvents = new Set(readFileSync(join(dir, 'events.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]));
    const customers = readFileSync(join(dir, 'customers.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    const idle = customers.find((c) => !withEvents.has(c)) as string;
    expect(idle).toBeDefined();
    const { body } = await getJson(app, `/v1/customers/${idle}/recommendations?k=5`);
    expect(body).toMatchObject({ known: false, coldStart: null, fromAttributes: true });
    expect(body.recommendations[0].reason.attention.customer.id).toBeDefined();
  });
});
