// Reasons on the recommendations route through app.inject(): each item of a known customer names a
// product of its history (training or live) by the store's description and explains the served score
// (EASE's terms sum to it); a stranger's items give the share of customers who hold them; the OpenAPI
// document describes the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/build.js';
import { buildServer, servedStore, type ServedStore } from '../helpers/served-store.js';

interface Item {
  rank: number;
  product: string;
  score: number;
  reason: { kind: string; text: string; product?: string; productName?: string; total?: number; share?: number; of?: number };
}

let served: ServedStore;
let app: App;

beforeAll(async () => {
  served = servedStore(['ease'], 300, 5);
  app = await buildServer(served);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const list = async (customer: string, k = 5): Promise<{ liveEvents: boolean; recommendations: Item[] }> => {
  const r = await app.inject({ method: 'GET', url: `/v1/customers/${customer}/recommendations?k=${k}` });
  expect(r.statusCode).toBe(200);
  return r.json();
};

/** The products of a customer's events in the store. */
async function eventProducts(customer: string): Promise<Set<string>> {
  return new Set((await app.nextbest.store.customerEvents(customer)).product);
}

/** Every item's reason names a product of the history by its description and adds up to the item's score. */
async function expectHistoryReasons(items: Item[], history: Set<string>): Promise<void> {
  const descriptions = await app.nextbest.store.productDescriptions();
  expect(items.length).toBeGreaterThan(0);
  for (const { score, reason } of items) {
    expect(reason.kind).toBe('held-product');
    expect(history.has(reason.product!)).toBe(true);
    expect(reason.text).toBe(`because of ${descriptions.get(reason.product!)} (${reason.product}) in your history`);
    expect(reason.total).toBeCloseTo(score, 4);
  }
}

describe('reasons on GET /v1/customers/:customer/recommendations', () => {
  it('a known customer: the history product that adds most, named, its terms summing to the score', async () => {
    const { recommendations } = await list('1000002');
    await expectHistoryReasons(recommendations, await eventProducts('1000002'));
  });

  it('after a live event the reasons come from the history known now', async () => {
    const before = await eventProducts('1000003');
    const fresh = (await list('1000003', 24)).recommendations.map((i) => i.product).find((p) => !before.has(p))!;
    await app.nextbest.events.append({ customerId: '1000003', productId: fresh, timestamp: new Date(), type: 'acquire', value: 1, context: {} });
    const after = await list('1000003', 10);
    expect(after.liveEvents).toBe(true);
    expect(after.recommendations.map((i) => i.product)).not.toContain(fresh);
    await expectHistoryReasons(after.recommendations, new Set([...before, fresh]));
    // An acquisition (weight 3) outweighs displays (0.1) and clicks (1): on this data it is now the reason for some product.
    expect(after.recommendations.some((i) => i.reason.product === fresh)).toBe(true);
  });

  it('a stranger: the share of all training customers who hold each product', async () => {
    const { recommendations } = await list('NEVER-SEEN', 3);
    for (const { score, reason } of recommendations) {
      expect(reason).toMatchObject({ kind: 'popular', basis: 'global', share: score, of: 300 });
      expect(reason.text).toBe(`popular overall: ${Math.round(score * 100)}% hold it`);
    }
  });

  it('the OpenAPI document describes the reason of an item', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const ok = spec.paths['/v1/customers/{customer}/recommendations'].get.responses['200'].content['application/json'].schema;
    const item = ok.properties.recommendations.items;
    expect(item.properties.reason.properties.kind.enum).toEqual(['held-product', 'similar-customers', 'popular', 'feature', 'none']);
    expect(item.required).not.toContain('reason');
  });
});
