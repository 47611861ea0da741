// The offer routes through app.inject(): list, create, change and retire offers (each with its bad
// input), and a customer's recommended products joined with the offers it is eligible for, ranked by
// relevance blended with expected value from the accept / decline FM.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offerRoutes } from '../../src/server/routes/offers.js';
import type { App } from '../../src/server/build.js';
import { offerStore, plantedAcceptRate } from '../helpers/offer-store.js';
import { buildServer, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let app: App;

beforeAll(async () => {
  served = await offerStore();
  app = await buildServer(served, { model: 'ease' });
}, 180_000);

afterAll(async () => {
  await app?.close();
});

type Reply = { status: number; body: any };
const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<Reply> => {
  const r = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: r.statusCode, body: r.json() };
};

interface Item {
  rank: number;
  product: string;
  score: number;
  offer: { id: string; reward: string; rewardValue: number | null } | null;
  pAccept: number | null;
  expectedValue: number | null;
  blended: number;
}

/** The day on which the most generated offers run (their windows overlap most). */
async function busiestDay(): Promise<string> {
  const offers = (await call('GET', '/v1/offers')).body.offers as { validFrom: string }[];
  const counts = new Map<string, number>();
  for (const o of offers) {
    const day = o.validFrom.slice(0, 10);
    const running = (await call('GET', `/v1/offers?activeAt=${day}`)).body.offers.length as number;
    counts.set(day, running);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

describe('the OpenAPI document', () => {
  it('describes every offer route', async () => {
    const spec = (await call('GET', '/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/offers', '/v1/offers/{offer}', '/v1/offers/{offer}/retire', '/v1/customers/{customer}/offers']));
    expect(Object.keys(spec.paths['/v1/offers'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(spec.paths['/v1/offers/{offer}'].patch.requestBody).toBeDefined();
  });
});

describe('GET /v1/offers', () => {
  it('lists the ingested offers with their rules, by product and running at a day', async () => {
    const all = (await call('GET', '/v1/offers')).body.offers;
    expect(all.length).toBeGreaterThan(24); // 1-2 per catalogue product
    expect(all[0]).toMatchObject({ id: 'O001', product: 'P01', retiredAt: null, active: false });
    expect(all.every((o: { rewardValue: number }) => o.rewardValue > 0)).toBe(true);
    const p01 = (await call('GET', '/v1/offers?product=P01')).body.offers;
    expect(p01.map((o: { product: string }) => o.product)).toEqual(p01.map(() => 'P01'));
    expect(p01.length).toBe(all.filter((o: { product: string }) => o.product === 'P01').length);
    const day = all[0].validFrom.slice(0, 10);
    const running = (await call('GET', `/v1/offers?activeAt=${day}`)).body.offers;
    const expected = all.filter((o: { validFrom: string; validTo: string }) => o.validFrom.slice(0, 10) <= day && day <= o.validTo.slice(0, 10));
    expect(running.map((o: { id: string }) => o.id)).toEqual(expected.map((o: { id: string }) => o.id));
    expect((await call('GET', '/v1/offers?activeAt=now')).body.offers).toEqual([]); // the synthetic offers ended in 2016
  });

  it.each([['activeAt=yesterday'], ['activeAt=2016-13-01'], [`product=${'x'.repeat(300)}`]])('refuses %s with 400 BAD_OPTION', async (q) => {
    const r = await call('GET', `/v1/offers?${q}`);
    expect([r.status, r.body.code]).toEqual([400, 'BAD_OPTION']);
  });
});

describe('POST /v1/offers, PATCH /v1/offers/:offer, POST /v1/offers/:offer/retire', () => {
  const offer = { id: 'T1', product: 'P05', reward: 'cashback 10 EUR', rewardValue: 10, validFrom: '2016-01-01', validTo: '2016-12-31', eligibility: { minAge: 18 } };

  it('creates an offer (201), refuses the same id (409), changes it, retires it and keeps it listed', async () => {
    const created = await call('POST', '/v1/offers', offer);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ ...offer, validFrom: '2016-01-01T00:00:00.000Z', validTo: '2016-12-31T00:00:00.000Z', retiredAt: null, active: false });
    const again = await call('POST', '/v1/offers', offer);
    expect([again.status, again.body.code]).toEqual([409, 'OFFER_CONFLICT']);

    const changed = await call('PATCH', '/v1/offers/T1', { rewardValue: 12.5, validTo: null, eligibility: {} });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: 'T1', reward: 'cashback 10 EUR', rewardValue: 12.5, validTo: null, eligibility: {}, active: true });

    const retired = await call('POST', '/v1/offers/T1/retire');
    expect(retired.status).toBe(200);
    expect(retired.body.active).toBe(false);
    expect(Date.now() - Date.parse(retired.body.retiredAt)).toBeLessThan(60_000);
    expect((await call('POST', '/v1/offers/T1/retire')).body.retiredAt).toBe(retired.body.retiredAt);
    const listed = (await call('GET', '/v1/offers?product=P05')).body.offers.find((o: { id: string }) => o.id === 'T1');
    expect(listed).toEqual(retired.body);
    expect((await call('GET', '/v1/offers?product=P05&activeAt=now')).body.offers.map((o: { id: string }) => o.id)).not.toContain('T1');
    const late = await call('PATCH', '/v1/offers/T1', { rewardValue: 1 });
    expect([late.status, late.body.code]).toEqual([409, 'OFFER_CONFLICT']);
  });

  it.each([
    ['a missing product', { id: 'B1', rewardValue: 1 }, /body\.product/],
    ['a missing id', { product: 'P01' }, /body\.id/],
    ['a reward value that is a string', { ...offer, id: 'B2', rewardValue: '10' }, /body\.rewardValue/],
    ['a negative reward value', { ...offer, id: 'B3', rewardValue: -5 }, /body\.rewardValue/],
    ['a date that is not one', { ...offer, id: 'B4', validFrom: '01/02/2016' }, /body\.validFrom/],
    ['an unknown eligibility rule', { ...offer, id: 'B5', eligibility: { minAgee: 3 } }, /eligibility/],
    ['an unknown field', { ...offer, id: 'B6', colour: 'red' }, /colour/],
    ['valid_from after valid_to', { ...offer, id: 'B7', validFrom: '2016-06-01', validTo: '2016-05-01' }, /valid_from .* is after valid_to/],
  ])('refuses %s with 400 BAD_OPTION', async (_, payload, message) => {
    const r = await call('POST', '/v1/offers', payload);
    expect([r.status, r.body.code]).toEqual([400, 'BAD_OPTION']);
    expect(r.body.message).toMatch(message);
  });

  it('refuses an unknown product (404), an unknown offer (404) and bad changes (400)', async () => {
    const noProduct = await call('POST', '/v1/offers', { ...offer, id: 'B8', product: 'NOPE' });
    expect([noProduct.status, noProduct.body.code]).toEqual([404, 'PRODUCT_NOT_FOUND']);
    for (const [method, url, body] of [['PATCH', '/v1/offers/NOPE', { rewardValue: 1 }], ['POST', '/v1/offers/NOPE/retire', undefined]] as const) {
      const r = await call(method, url, body);
      expect([r.status, r.body.code]).toEqual([404, 'OFFER_NOT_FOUND']);
    }
    await call('POST', '/v1/offers', { ...offer, id: 'T2' });
    for (const body of [{}, { id: 'T3' }, { rewardValue: 'x' }, { validFrom: '2017-06-01' }]) {
      const r = await call('PATCH', '/v1/offers/T2', body);
      expect([r.status, r.body.code]).toEqual([400, 'BAD_OPTION']);
    }
    expect((await call('GET', '/v1/offers?product=P05')).body.offers.find((o: { id: string }) => o.id === 'T2').validFrom).toBe('2016-01-01T00:00:00.000Z');
  });

  it('declares the routes that change offers admin-only, the others read', async () => {
    const probe = Fastify();
    probe.setValidatorCompiler(validatorCompiler);
    probe.setSerializerCompiler(serializerCompiler);
    const scopes: string[] = [];
    probe.addHook('onRoute', (r) => {
      if (r.method !== 'HEAD') scopes.push(`${String(r.method)} ${r.url} ${(r.config as { scope?: string } | undefined)?.scope ?? 'read'}`);
    });
    await probe.register(offerRoutes, app.nextbest);
    await probe.ready();
    expect(scopes.sort()).toEqual([
      'GET /v1/customers/:customer/offers read',
      'GET /v1/offers read',
      'PATCH /v1/offers/:offer admin',
      'POST /v1/offers admin',
      'POST /v1/offers/:offer/retire admin',
    ]);
    await probe.close();
  });
});

describe('GET /v1/customers/:customer/offers', () => {
  let day: string;
  beforeAll(async () => {
    day = await busiestDay();
  });

  const offersOf = async (customer: string, query: string): Promise<Item[]> => {
    const r = await call('GET', `/v1/customers/${customer}/offers?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ customer, model: 'ease', acceptModel: 'fm-classification', at: `${day}T00:00:00.000Z` });
    return r.body.recommendations;
  };

  it('with evWeight 0 keeps the recommender\'s list and order, each item with its eligible running offer', async () => {
    const plain = (await call('GET', '/v1/customers/1000001/recommendations?k=8')).body.recommendations;
    const items = await offersOf('1000001', `k=8&evWeight=0&at=${day}`);
    expect(items.map((i) => [i.rank, i.product, i.score])).toEqual(plain.map((p: { rank: number; product: string; score: number }) => [p.rank, p.product, p.score]));
    const running = (await call('GET', `/v1/offers?activeAt=${day}`)).body.offers as { id: string; product: string; rewardValue: number }[];
    for (const i of items) {
      if (!i.offer) continue;
      const offer = running.find((o) => o.id === i.offer?.id);
      expect(offer?.product).toBe(i.product);
      expect(i.expectedValue).toBeCloseTo((i.pAccept as number) * (offer?.rewardValue as number), 9);
    }
    expect(items.some((i) => i.offer)).toBe(true);
  });

  it('learned acceptance follows the planted rates: P(accept) falls with the product number', async () => {
    const items = await offersOf('1000002', `k=30&evWeight=0&at=${day}`);
    const withP = items.filter((i) => i.pAccept !== null);
    expect(withP.length).toBeGreaterThan(3);
    // Spearman-like check: pairs ordered as the planted rates are ordered, most of the time.
    let agree = 0;
    let pairs = 0;
    for (const a of withP)
      for (const b of withP) {
        if (plantedAcceptRate(a.product) <= plantedAcceptRate(b.product) + 0.1) continue;
        pairs++;
        if ((a.pAccept as number) > (b.pAccept as number)) agree++;
      }
    expect(pairs).toBeGreaterThan(0);
    expect(agree / pairs).toBeGreaterThan(0.8);
  });

  it('ranks by expected value with evWeight 1, and raising one reward value moves its product up', async () => {
    // The first customer with at least two offered products that day.
    let customer = '';
    let items: Item[] = [];
    for (let c = 1000001; c < 1000100 && !customer; c++) {
      items = await offersOf(String(c), `k=30&evWeight=1&at=${day}`);
      if (items.filter((i) => i.offer && i.pAccept).length > 1) customer = String(c);
    }
    const evs = items.map((i) => i.expectedValue ?? 0);
    expect([...evs].sort((a, b) => b - a)).toEqual(evs);
    const offered = items.filter((i) => i.offer && i.pAccept);
    expect(offered.length).toBeGreaterThan(1);
    const [first, second] = [offered[0], offered[offered.length - 1]];
    // Reward values that give the lower product twice the top product's expected value.
    const target = (2 * (first.expectedValue as number)) / (second.pAccept as number);
    expect((await call('PATCH', `/v1/offers/${second.offer?.id}`, { rewardValue: target })).status).toBe(200);
    const after = await offersOf(customer, `k=30&evWeight=1&at=${day}`);
    const position = (p: string): number => after.findIndex((i) => i.product === p);
    expect(position(second.product)).toBeLessThan(position(first.product));
    expect(after[0].product).toBe(second.product);
    expect(after[0].expectedValue).toBeCloseTo(2 * (first.expectedValue as number), 6);
    // The blend: halfway, each item's blended score is the formula's on the returned figures.
    const half = await offersOf(customer, `k=30&evWeight=0.5&at=${day}`);
    const scores = half.map((i) => i.score);
    const [lo, hi] = [Math.min(...scores), Math.max(...scores)];
    const maxEv = Math.max(...half.map((i) => i.expectedValue ?? 0));
    for (const i of half) expect(i.blended).toBeCloseTo(0.5 * ((i.score - lo) / (hi - lo)) + 0.5 * ((i.expectedValue ?? 0) / maxEv), 9);
    await call('PATCH', `/v1/offers/${second.offer?.id}`, { rewardValue: second.offer?.rewardValue });
  });

  it('joins only offers the customer is eligible for, and only while they run', async () => {
    const items = await offersOf('1000004', `k=5&evWeight=0&at=${day}`);
    const product = items[0].product;
    await call('POST', '/v1/offers', { id: 'E1', product, reward: 'huge', rewardValue: 1e6, validFrom: day, validTo: day, eligibility: { minAge: 500 } });
    expect((await offersOf('1000004', `k=5&evWeight=0&at=${day}`))[0].offer?.id).not.toBe('E1');
    await call('POST', '/v1/offers', { id: 'E2', product, reward: 'huge', rewardValue: 1e6, validFrom: day, eligibility: { minAge: 0 } });
    expect((await offersOf('1000004', `k=5&evWeight=0&at=${day}`))[0].offer?.id).toBe('E2');
    const now = await call('GET', '/v1/customers/1000004/offers?k=5&evWeight=0');
    expect(now.body.recommendations.find((i: Item) => i.product === product).offer?.id).toBe('E2'); // open-ended: runs now
    await call('POST', '/v1/offers/E2/retire');
    const retired = await call('GET', '/v1/customers/1000004/offers?k=5&evWeight=0');
    expect(retired.body.recommendations.find((i: Item) => i.product === product).offer).toBeNull();
    // Retired now, it still ran on the earlier day: history is kept.
    expect((await offersOf('1000004', `k=5&evWeight=0&at=${day}`))[0].offer?.id).toBe('E2');
  });

  it('gives an unknown customer a cold-start list with offers without age or segment rules', async () => {
    const r = await call('GET', `/v1/customers/NEVER-SEEN/offers?k=5&at=${day}`);
    expect(r.status).toBe(200);
    expect(r.body.known).toBe(false);
    expect(r.body.coldStart).toMatchObject({ inStore: false });
    const running = (await call('GET', `/v1/offers?activeAt=${day}`)).body.offers as { id: string; eligibility: Record<string, unknown> }[];
    for (const i of r.body.recommendations as Item[]) {
      if (!i.offer) continue;
      const e = running.find((o) => o.id === i.offer?.id)?.eligibility ?? {};
      expect(Object.keys(e).filter((k) => k !== 'excludeHolders')).toEqual([]);
    }
  });

  it('goes through the server\'s business rules and carries reasons', async () => {
    const plain = (await offersOf('1000001', `k=10&evWeight=0&at=${day}`)).map((x) => x.product);
    const banned = plain[0];
    const rulesFile = join(served.dir, 'no-top.json');
    writeFileSync(rulesFile, JSON.stringify({ eligibility: [{ name: 'nobody', products: [banned], minAge: 200 }] }));
    await app.close(); // one server holds the store at a time
    const ruled = await buildServer(served, { model: 'ease', rules: rulesFile });
    try {
      const r = await ruled.inject({ method: 'GET', url: `/v1/customers/1000001/offers?k=10&evWeight=0&at=${day}` });
      expect(r.statusCode, r.body).toBe(200);
      const items = r.json().recommendations as (Item & { reason?: { text: string } })[];
      expect(items.map((x) => x.product)).not.toContain(banned);
      expect(items.length).toBe(10);
      expect(items.every((x) => typeof x.reason?.text === 'string')).toBe(true);
    } finally {
      await ruled.close();
      app = await buildServer(served, { model: 'ease' });
    }
  });

  it.each([['evWeight=2'], ['evWeight=-0.1'], ['evWeight=abc'], ['k=0'], ['at=tomorrow']])('refuses %s with 400 BAD_OPTION', async (q) => {
    const r = await call('GET', `/v1/customers/1000001/offers?${q}`);
    expect([r.status, r.body.code]).toEqual([400, 'BAD_OPTION']);
    expect(r.body.message).toMatch(/querystring/);
  });
});
