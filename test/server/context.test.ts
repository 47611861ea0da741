// The request context on the recommendation routes through app.inject(), with a ranking fm trained with
// context features: timeOfDay (or tod) and page change the list, a value the model never saw is scored
// at the average, an unknown key (channel, which the bank data lacks) or a bad value is a 400, and a
// customer with attributes but no events is scored by the model from them and the context.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/build.js';
import { runCli, scratchDir } from '../cli/run-cli.js';
import { buildServer, getJson, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let app: App;
/** A customer in customers.csv without a single event. */
let withoutEvents: string;

beforeAll(async () => {
  const dir = scratchDir();
  for (const args of [
    ['generate', '--customers', '600', '--seed', '7', '--no-santander'],
    ['ingest', join('.nextbest', 'synthetic')],
    ['train', '--model', 'fm', '--param', 'features=ids,customer,product,context', '--param', 'loss=logistic', '--weights', 'display=0'],
  ]) {
    const r = runCli(args, dir);
    expect(r.code, r.stderr).toBe(0);
  }
  const ids = (file: string) => readFileSync(join(dir, '.nextbest', 'synthetic', file), 'utf8').split('\n').slice(1).map((l) => l.split(',')[0]).filter(Boolean);
  const active = new Set(ids('events.csv'));
  withoutEvents = ids('customers.csv').find((c) => !active.has(c)) as string;
  served = { dir, store: join(dir, '.nextbest', 'store.duckdb') };
  app = await buildServer(served);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

const get = (url: string) => getJson(app, url);
const post = async (url: string, payload: unknown): Promise<{ status: number; body: any }> => {
  const r = await app.inject({ method: 'POST', url, payload: payload as object });
  return { status: r.statusCode, body: r.json() };
};

describe('GET /v1/customers/:customer/recommendations with a context', () => {
  it('changes the list with the time of day and the page, and says what it scored with', async () => {
    const evening = await get('/v1/customers/1000001/recommendations?k=24&timeOfDay=evening&page=offers');
    const night = await get('/v1/customers/1000001/recommendations?k=24&timeOfDay=night&page=offers');
    const home = await get('/v1/customers/1000001/recommendations?k=24&timeOfDay=evening&page=home');
    for (const r of [evening, night, home]) expect(r.status).toBe(200);
    expect(evening.body).toMatchObject({ known: true, context: { used: { tod: 'evening', page: 'offers' }, averaged: [] } });
    expect(night.body.recommendations).not.toEqual(evening.body.recommendations);
    expect(home.body.recommendations).not.toEqual(evening.body.recommendations);
    const alias = await get('/v1/customers/1000001/recommendations?k=24&tod=evening&page=offers');
    expect(alias.body.recommendations).toEqual(evening.body.recommendations);
    const average = await get('/v1/customers/1000001/recommendations?k=24');
    expect(average.body.context).toEqual({ used: {}, averaged: ['page', 'tod'] });
    expect(average.body.recommendations).not.toEqual(evening.body.recommendations);
  });

  it('scores a value the model never saw at the average', async () => {
    const { status, body } = await get('/v1/customers/1000001/recommendations?timeOfDay=evening&page=nowhere');
    expect(status).toBe(200);
    expect(body.context).toEqual({ used: { tod: 'evening' }, averaged: ['page'] });
  });

  it('scores a customer with attributes and no events from them and the context', async () => {
    const evening = await get(`/v1/customers/${withoutEvents}/recommendations?k=24&timeOfDay=evening&page=offers`);
    const night = await get(`/v1/customers/${withoutEvents}/recommendations?k=24&timeOfDay=night&page=account`);
    expect(evening.status).toBe(200);
    expect(evening.body).toMatchObject({ customer: withoutEvents, known: false, coldStart: null, fromAttributes: true });
    expect(night.body.recommendations).not.toEqual(evening.body.recommendations);
    const stranger = await get('/v1/customers/NEVER-SEEN/recommendations?timeOfDay=evening');
    expect(stranger.body).toMatchObject({ known: false, coldStart: { basis: 'global', inStore: false } });
    expect(stranger.body.fromAttributes).toBeUndefined();
  });

  it.each([
    ['channel=app', 'context key channel unknown to model fm, which was trained with page, tod; use those or leave it out'],
    ['timeOfDay=evening&tod=night', 'timeOfDay=evening and tod=night name the same context key; give one of them'],
  ])('refuses %s with 400 BAD_OPTION', async (query, message) => {
    const { status, body } = await get(`/v1/customers/1000001/recommendations?${query}`);
    expect(status).toBe(400);
    expect(body).toEqual({ code: 'BAD_OPTION', message });
  });

  it.each([['page='], ['timeOfDay=' + 'x'.repeat(101)], ['page=a&page=b']])('refuses %s with 400 BAD_OPTION naming the field', async (query) => {
    const { status, body } = await get(`/v1/customers/1000001/recommendations?${query}`);
    expect(status).toBe(400);
    expect(body.code).toBe('BAD_OPTION');
    expect(body.message).toMatch(/querystring\.(page|timeOfDay)/);
  });
});

describe('POST /v1/customers/:customer/rank with a context', () => {
  const products = ['P01', 'P03', 'P05', 'P09', 'P12', 'P14', 'P18', 'P22'];

  it('ranks in the context given in the body', async () => {
    const evening = await post('/v1/customers/1000001/rank', { products, context: { tod: 'evening', page: 'offers' } });
    const night = await post('/v1/customers/1000001/rank', { products, context: { tod: 'night', page: 'account' } });
    expect(evening.status).toBe(200);
    expect(evening.body.context).toEqual({ used: { tod: 'evening', page: 'offers' }, averaged: [] });
    expect(night.body.ranked).not.toEqual(evening.body.ranked);
    const fresh = await post(`/v1/customers/${withoutEvents}/rank`, { products, context: { tod: 'evening' } });
    expect(fresh.body).toMatchObject({ known: false, coldStart: false, fromAttributes: true });
  });

  it.each([
    [{ products, context: { channel: 'app' } }, /^context key channel unknown to model fm/],
    [{ products, context: 'evening' }, /body\.context/],
    [{ products, context: { tod: 3 } }, /body\.context/],
  ])('refuses a bad context with 400 BAD_OPTION (%j)', async (payload, message) => {
    const { status, body } = await post('/v1/customers/1000001/rank', payload);
    expect(status).toBe(400);
    expect(body.code).toBe('BAD_OPTION');
    expect(body.message).toMatch(message);
  });
});
