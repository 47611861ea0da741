// GET /v1/customers/:customer through app.inject(): the customer's attributes, current holdings (the
// store's latest Santander month, then acquire / checkout / drop events after it, live ones included) and
// latest events, checked against the generated files; 404 CUSTOMER_NOT_FOUND for a customer the store does
// not know; 400 for a bad query.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/build.js';
import { buildServer, getJson, servedStore, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let app: App;
const lines = (file: string): string[][] =>
  readFileSync(join(served.dir, '.nextbest', 'synthetic', file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map((f) => f.trim().replace(/^"|"$/g, '')));

beforeAll(async () => {
  served = servedStore(['ease'], 400, 3, { santander: true });
  app = await buildServer(served);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const get = (url: string) => getJson(app, url);

/** What the generated files say a customer holds now: its row of the latest Santander month, then its checkouts after that month. */
function expectedHoldings(customer: string): { month: string; products: string[] } {
  const [header, ...rows] = lines('santander.csv');
  const productOf = new Map(lines('santander-columns.csv').slice(1) as [string, string][]);
  const month = rows.map((r) => r[0]).sort().at(-1) as string;
  const row = rows.find((r) => r[0] === month && r[1] === customer) ?? [];
  const held = new Set(header.flatMap((c, i) => (productOf.has(c) && row[i] === '1' ? [productOf.get(c) as string] : [])));
  for (const e of lines('events.csv').slice(1)) {
    if (e[0] === customer && e[1] === 'CHECKOUT' && e[2].slice(0, 10) > month) held.add(e[3]);
  }
  return { month, products: [...held].sort() };
}

describe('GET /v1/customers/:customer', () => {
  it("gives the customer's attributes, the products it holds now and its latest events, newest first", async () => {
    const { status, body } = await get('/v1/customers/1000002?events=5');
    expect(status).toBe(200);
    const expected = expectedHoldings('1000002');
    expect(expected.products.length).toBeGreaterThan(0);
    expect(body.snapshotMonth).toBe(`${expected.month}T00:00:00.000Z`);
    expect(body.holdings.map((h: { product: string }) => h.product)).toEqual(expected.products);
    const customers = lines('customers.csv');
    const row = customers.find((r) => r[0] === '1000002') as string[];
    const age = customers[0].indexOf('age');
    expect(body.attributes.age).toBe(Number(row[age]));
    expect(body.recentEvents).toHaveLength(5);
    const times = body.recentEvents.map((e: { timestamp: string }) => e.timestamp);
    expect([...times].sort().reverse()).toEqual(times);
    expect(body.recentEvents[0]).toMatchObject({ eventId: null, received: null });
  });

  it('follows live events: an acquired product is held from its event on, a dropped one no longer', async () => {
    const held = expectedHoldings('1000004').products;
    const [dropped] = held;
    const acquired = ['P01', 'P02', 'P03', 'P04', 'P05'].find((p) => !held.includes(p)) as string;
    const events = [
      { eventId: 'prof-1', customer: '1000004', product: acquired, type: 'acquire', timestamp: '2026-03-01T10:00:00Z' },
      { eventId: 'prof-2', customer: '1000004', product: dropped, type: 'drop', timestamp: '2026-03-01T10:00:01Z', context: { channel: 'branch' } },
    ];
    const r = await app.inject({ method: 'POST', url: '/v1/events/batch', payload: { events } });
    expect(r.json()).toEqual({ accepted: 2, duplicates: [] });
    const { body } = await get('/v1/customers/1000004?events=2');
    const products = body.holdings.map((h: { product: string }) => h.product);
    expect(products).toContain(acquired);
    expect(products).not.toContain(dropped);
    expect(products).toHaveLength(held.length);
    expect(body.holdings.find((h: { product: string }) => h.product === acquired).since).toBe('2026-03-01T10:00:00.000Z');
    expect(body.recentEvents.map((e: { eventId: string }) => e.eventId)).toEqual(['prof-2', 'prof-1']);
    expect(body.recentEvents[0]).toMatchObject({ product: dropped, type: 'drop', value: 1, context: { channel: 'branch' } });
    expect(Date.parse(body.recentEvents[0].received)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('knows a customer from its live events alone; 404 CUSTOMER_NOT_FOUND for one the store does not know', async () => {
    expect(await get('/v1/customers/NOBODY')).toEqual({
      status: 404,
      body: { code: 'CUSTOMER_NOT_FOUND', message: expect.stringMatching(/^the store has no customer "NOBODY"; /) },
    });
    await app.inject({ method: 'POST', url: '/v1/events', payload: { eventId: 'prof-3', customer: 'WEB-9', product: 'P07', type: 'checkout' } });
    const { status, body } = await get('/v1/customers/WEB-9');
    expect(status).toBe(200);
    expect(body).toMatchObject({ customer: 'WEB-9', attributes: {}, holdings: [{ product: 'P07' }] });
    expect(body.recentEvents).toHaveLength(1);
  });

  it('is in the OpenAPI document, with the events routes', async () => {
    const spec = (await get('/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/customers/{customer}', '/v1/events', '/v1/events/batch']));
    expect(spec.paths['/v1/events'].post.requestBody.content['application/json'].schema.required).toEqual(['eventId', 'customer', 'product', 'type']);
  });

  it.each(['events=-1', 'events=abc', 'events=1001'])('refuses %s with 400 BAD_OPTION naming the field', async (query) => {
    const { status, body } = await get(`/v1/customers/1000002?${query}`);
    expect(status).toBe(400);
    expect(body).toEqual({ code: 'BAD_OPTION', message: expect.stringMatching(/querystring\.events/) });
  });
});
