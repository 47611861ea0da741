// The recommendation routes through app.inject(): lists from the active model (equal to what the CLI
// prints from the same saved model), cold start for an unknown customer, the caller's products ranked,
// similar products, and a JSON {code, message} 4xx for each kind of bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/build.js';
import { runCli } from '../cli/run-cli.js';
import { buildServer, getJson, servedStore, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let app: App;

beforeAll(async () => {
  served = servedStore(['ease', 'als']);
  app = await buildServer(served, { model: 'ease' });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const get = (url: string) => getJson(app, url);

describe('GET /v1/customers/:customer/recommendations', () => {
  it('answers the list the CLI gives from the same model', async () => {
    const { status, body } = await get('/v1/customers/1000001/recommendations?k=5');
    expect(status).toBe(200);
    expect(body).toMatchObject({ customer: '1000001', model: 'ease', known: true, coldStart: null });
    expect(body.recommendations).toHaveLength(5);
    await app.close(); // the CLI needs the store the server holds
    const cli = runCli(['recommend', '--model', 'ease', '--customer', '1000001', '--k', '5', '--json'], served.dir);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).customers[0].recommendations).toEqual(body.recommendations);
    const als = runCli(['recommend', '--model', 'als', '--customer', '1000001', '--k', '5', '--json'], served.dir);
    app = await buildServer(served, { model: 'ease' });
    // Another saved model by name, for one request: the active model stays.
    const other = await get('/v1/customers/1000001/recommendations?k=5&model=als');
    expect([other.status, other.body.model]).toEqual([200, 'als']);
    expect(other.body.recommendations.map((r: { product: string }) => r.product)).toEqual(
      JSON.parse(als.stdout).customers[0].recommendations.map((r: { product: string }) => r.product),
    );
    expect((await get('/ready')).body.model).toBe('ease');
  });

  it('refuses a model name with a path (400) and an unknown model (404 MODEL_NOT_FOUND)', async () => {
    expect((await get('/v1/customers/1000001/recommendations?model=..%2Fx')).body.code).toBe('BAD_OPTION');
    const missing = await get('/v1/customers/1000001/recommendations?model=nope');
    expect([missing.status, missing.body.code]).toEqual([404, 'MODEL_NOT_FOUND']);
  });

  it('gives an unknown customer a cold-start list, flagged, never an error', async () => {
    const { status, body } = await get('/v1/customers/NEVER-SEEN/recommendations?k=3');
    expect(status).toBe(200);
    expect(body.known).toBe(false);
    expect(body.coldStart).toMatchObject({ basis: 'global', inStore: false, customers: 600 });
    expect(body.recommendations.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3]);
    const scores = body.recommendations.map((r: { score: number }) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it.each([
    ['k=0', /querystring\.k/],
    ['k=abc', /querystring\.k/],
    ['k=1001', /querystring\.k/],
  ])('refuses %s with 400 BAD_OPTION naming the field', async (query, message) => {
    const { status, body } = await get(`/v1/customers/1000001/recommendations?${query}`);
    expect(status).toBe(400);
    expect(body.code).toBe('BAD_OPTION');
    expect(body.message).toMatch(message);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses an id over 256 characters', async () => {
    const { status, body } = await get(`/v1/customers/${'x'.repeat(300)}/recommendations`);
    expect([status, body.code]).toEqual([400, 'BAD_OPTION']);
  });
});

describe('POST /v1/customers/:customer/rank', () => {
  it('orders the caller\'s products by the model\'s scores and names the unknown ones', async () => {
    const full = (await get('/v1/customers/1000002/recommendations?k=24')).body.recommendations as { product: string }[];
    const picked = [full[2].product, full[0].product, full[1].product];
    const r = await app.inject({ method: 'POST', url: '/v1/customers/1000002/rank', payload: { products: [...picked, 'NO-SUCH'] } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.ranked.map((x: { product: string }) => x.product)).toEqual([full[0].product, full[1].product, full[2].product]);
    expect(body.unknown).toEqual(['NO-SUCH']);
  });

  it.each([
    ['no body', undefined],
    ['an empty list', { products: [] }],
    ['numbers', { products: [1, 2] }],
    ['a missing field', { items: ['P01'] }],
  ])('refuses %s with 400', async (_, payload) => {
    const r = await app.inject({ method: 'POST', url: '/v1/customers/1000002/rank', payload });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('BAD_OPTION');
  });
});

describe('GET /v1/products/:product/similar', () => {
  it('lists similar products, and 404 PRODUCT_NOT_FOUND for an unknown one', async () => {
    const ok = await get('/v1/products/P01/similar?k=4');
    expect(ok.status).toBe(200);
    expect(ok.body.similar).toHaveLength(4);
    expect(ok.body.similar.map((s: { product: string }) => s.product)).not.toContain('P01');
    const missing = await get('/v1/products/NOPE/similar');
    expect([missing.status, missing.body.code]).toEqual([404, 'PRODUCT_NOT_FOUND']);
  });
});

describe('the service routes', () => {
  it('answers /health and /ready, serves /openapi.json with every route and the /docs page', async () => {
    expect((await get('/health')).body).toEqual({ status: 'ok' });
    expect((await get('/ready')).body).toMatchObject({ status: 'ready', model: 'ease', customers: 600 });
    const spec = (await get('/openapi.json')).body;
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/customers/{customer}/recommendations', '/v1/customers/{customer}/rank', '/v1/products/{product}/similar']));
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const { status, body } = await get('/v1/nothing-here');
    expect([status, body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
  });
});
