// The events routes through app.inject(): one event and batches, acknowledged once durable and idempotent
// by eventId; the customer's very next list ranks from them (an acquired product leaves it, clicks on a
// type move the type up, with a history model and ALS, also when the client's clock stamps them before
// the model's training cut-off); and a JSON {code, message} 4xx for each kind of bad input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/build.js';
import { buildServer, servedStore, type ServedStore } from '../helpers/served-store.js';

interface Rec {
  rank: number;
  product: string;
}

let served: ServedStore;
let byType: Map<string, string[]>;
let app: App | null = null;
let ids = 0;

beforeAll(() => {
  served = servedStore(['ease', 'als'], 1500, 5);
  const products = readFileSync(join(served.dir, '.nextbest', 'synthetic', 'products.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  byType = new Map();
  for (const [id, type] of products) byType.set(type, [...(byType.get(type) ?? []), id]);
}, 180_000);

afterEach(async () => {
  await app?.close();
  app = null;
});

async function serve(model = 'ease'): Promise<App> {
  app = await buildServer(served, { model });
  return app;
}

const post = async (url: string, payload: unknown): Promise<{ status: number; body: any }> => {
  const r = await (app as App).inject({ method: 'POST', url, payload: payload as object });
  return { status: r.statusCode, body: r.json() };
};

const list = async (customer: string, k: number): Promise<Rec[]> => {
  const r = await (app as App).inject({ method: 'GET', url: `/v1/customers/${customer}/recommendations?k=${k}` });
  expect(r.statusCode).toBe(200);
  return r.json().recommendations as Rec[];
};

const recentEvents = async (customer: string): Promise<any[]> => {
  const r = await (app as App).inject({ method: 'GET', url: `/v1/customers/${customer}?events=100` });
  return r.statusCode === 404 ? [] : r.json().recentEvents;
};

const event = (customer: string, product: string, over: Record<string, unknown> = {}) => ({
  eventId: `t-${++ids}`,
  customer,
  product,
  type: 'click',
  ...over,
});

/** Mean rank of the products in a list (absent ones rank after the list). */
const meanRank = (recs: Rec[], products: string[]): number =>
  products.reduce((sum, p) => sum + (recs.find((r) => r.product === p)?.rank ?? recs.length + 1), 0) / products.length;

describe('POST /v1/events and /v1/events/batch', () => {
  it('acknowledges an event once durable; the same eventId again is a duplicate, stored once', async () => {
    await serve();
    const e = event('1000003', 'P01', { value: 2, context: { page: 'home', tod: 'morning' }, timestamp: '2026-01-02T03:04:05.678+01:00' });
    expect(await post('/v1/events', e)).toEqual({ status: 200, body: { accepted: 1, duplicates: [] } });
    expect(await post('/v1/events', e)).toEqual({ status: 200, body: { accepted: 0, duplicates: [e.eventId] } });
    const stored = (await recentEvents('1000003')).filter((s) => s.eventId === e.eventId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ product: 'P01', type: 'click', value: 2, timestamp: '2026-01-02T02:04:05.678Z', context: { page: 'home', tod: 'morning' } });
    // Without a timestamp the event happened when the server received it.
    const before = Date.now();
    const now = event('1000003', 'P02');
    expect((await post('/v1/events', now)).status).toBe(200);
    const [latest] = (await recentEvents('1000003')).filter((s) => s.eventId === now.eventId);
    expect(Date.parse(latest.timestamp)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(latest.timestamp)).toBeLessThanOrEqual(Date.now());
    expect(latest.value).toBe(1);
    // The store still holds the ids after a restart.
    await app?.close();
    await serve();
    expect(await post('/v1/events', e)).toEqual({ status: 200, body: { accepted: 0, duplicates: [e.eventId] } });
  });

  it('stores a batch in one go, reporting the ids it already held; a customer unknown to the store is fine', async () => {
    await serve();
    const held = event('1000004', 'P03');
    await post('/v1/events', held);
    const batch = [event('NEW-CUSTOMER', 'P03'), held, event('1000004', 'P04', { type: 'display' })];
    expect(await post('/v1/events/batch', { events: [...batch, batch[0]] })).toEqual({
      status: 200,
      body: { accepted: 2, duplicates: [held.eventId, batch[0].eventId] },
    });
    expect((await recentEvents('NEW-CUSTOMER')).map((e) => e.eventId)).toEqual([batch[0].eventId]);
  });

  it('validates a batch all or nothing: one bad event stores none', async () => {
    await serve();
    const events = [event('1000005', 'P01'), event('1000005', 'P02'), event('1000005', 'P03', { type: 'purchase' })];
    const r = await post('/v1/events/batch', { events });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'BAD_OPTION', message: expect.stringMatching(/body\.events\.2\.type/) });
    expect((await recentEvents('1000005')).filter((e) => e.eventId !== null)).toEqual([]);
  });

  it.each([
    ['no eventId', { customer: 'C', product: 'P01', type: 'click' }, /body\.eventId/],
    ['no customer', { eventId: 'x1', product: 'P01', type: 'click' }, /body\.customer/],
    ['an empty product', { eventId: 'x1', customer: 'C', product: '', type: 'click' }, /body\.product/],
    ['an unknown type', { eventId: 'x1', customer: 'C', product: 'P01', type: 'like' }, /body\.type/],
    ['a value that is not a number', { eventId: 'x1', customer: 'C', product: 'P01', type: 'click', value: 'high' }, /body\.value/],
    ['a timestamp that is not ISO 8601', { eventId: 'x1', customer: 'C', product: 'P01', type: 'click', timestamp: 'yesterday' }, /body\.timestamp/],
    ['a context that is not a string map', { eventId: 'x1', customer: 'C', product: 'P01', type: 'click', context: { tod: 3 } }, /body\.context\.tod/],
    ['an unknown field', { eventId: 'x1', customer: 'C', product: 'P01', type: 'click', customerId: 'C' }, /customerId/],
    ['an id over 256 characters', { eventId: 'x'.repeat(257), customer: 'C', product: 'P01', type: 'click' }, /body\.eventId/],
  ])('POST /v1/events refuses %s with 400 BAD_OPTION naming the field', async (_what, payload, message) => {
    await serve();
    const r = await post('/v1/events', payload);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 'BAD_OPTION', message: expect.stringMatching(message) });
  });

  it('a NUL character in an id is 400 INVALID_EVENT in one line; an event sent at the same time is stored', async () => {
    await serve();
    const [bad, good] = await Promise.all([post('/v1/events', event('1000006\u0000', 'P01')), post('/v1/events', event('1000006', 'P02'))]);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      code: 'INVALID_EVENT',
      message: 'invalid event at index 0: customerId: holds a NUL character, which PostgreSQL cannot store; none of the 1 events was written',
    });
    expect(good).toEqual({ status: 200, body: { accepted: 1, duplicates: [] } });
    expect((await recentEvents('1000006')).filter((e) => e.eventId !== null).map((e) => e.product)).toEqual(['P02']);
  });

  it('refuses an empty batch, a batch over 1,000 events, a body that is not JSON and a body over the limit', async () => {
    await serve();
    expect((await post('/v1/events/batch', { events: [] })).body).toMatchObject({ code: 'BAD_OPTION', message: expect.stringMatching(/body\.events/) });
    const many = Array.from({ length: 1001 }, () => event('1000006', 'P01'));
    expect((await post('/v1/events/batch', { events: many })).body).toMatchObject({ code: 'BAD_OPTION', message: expect.stringMatching(/body\.events/) });
    const notJson = await (app as App).inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'application/json' }, payload: '{"eventId": ' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().code).toBe('BAD_OPTION');
    const huge = await post('/v1/events', { ...event('1000006', 'P01'), context: { note: 'x'.repeat(2 * 1024 * 1024) } });
    expect(huge).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
    expect(await recentEvents('1000006')).toEqual(expect.not.arrayContaining([expect.objectContaining({ product: 'P01', eventId: expect.any(String) })]));
  });

  it('answers 503 STORE_UNAVAILABLE, storing nothing, once the server is closing', async () => {
    await serve();
    await (app as App).nextbest.events.close();
    const r = await post('/v1/events', event('1000006', 'P02'));
    expect(r).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE' } });
  });
});

describe('events reach the customer\'s very next recommendation', () => {
  for (const model of ['ease', 'als']) {
    it(`${model}: a product just acquired, or checked out, leaves the list at once`, async () => {
      await serve(model);
      const before = await list('1000007', 5);
      const [first, second] = before.map((r) => r.product);
      await post('/v1/events', event('1000007', first, { type: 'acquire' }));
      expect((await list('1000007', 5)).map((r) => r.product)).not.toContain(first);
      await post('/v1/events', event('1000007', second, { type: 'checkout' }));
      const after = (await list('1000007', 5)).map((r) => r.product);
      expect(after).not.toContain(first);
      expect(after).not.toContain(second);
    });

    it(`${model}: clicks on two products of one type move the type's other products up, stamped by a client clock before training`, async () => {
      await serve(model);
      // The first customer with a four-product type none of whose products it has yet; of those types, the one ranked lowest for it.
      let customer = '';
      let before: Rec[] = [];
      let target: { ids: string[]; rank: number } | undefined;
      for (let n = 1000111 + (model === 'als' ? 1 : 0); !target; n += 2) {
        customer = String(n);
        before = await list(customer, 24);
        const listed = new Set(before.map((r) => r.product));
        const open = [...byType.values()].filter((ids) => ids.length === 4 && ids.every((p) => listed.has(p)));
        target = open.map((ids) => ({ ids, rank: meanRank(before, ids) })).sort((a, b) => b.rank - a.rank)[0];
      }
      const [clicked, rest] = [target.ids.slice(0, 2), target.ids.slice(2)];
      // Timestamps long before the model's training cut-off: live events count by arrival.
      const timestamp = '2001-01-01T00:00:00Z';
      const r = await post('/v1/events/batch', { events: clicked.flatMap((p) => [event(customer, p, { timestamp }), event(customer, p, { timestamp })]) });
      expect(r.body).toEqual({ accepted: 4, duplicates: [] });
      const after = await list(customer, 24);
      expect(after.map((x) => x.product)).not.toContain(clicked[0]);
      expect(meanRank(after, rest)).toBeLessThan(meanRank(before, rest));
    });
  }
});

afterAll(async () => {
  await app?.close();
});
