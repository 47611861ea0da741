// The routes the dashboard reads, through app.inject(), checked against independent sources: the data
// overview against `nextbest stats` (SQL) and the generated Santander file, the evaluation runs against
// the report `nextbest evaluate` wrote, the projection's shape and its refusal of models without
// factors, customer search and the product pages; and the built dashboard served at / and /demo
// (open, while /v1 asks for a key when the server has keys).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, parseKeys } from '../../src/app/api-keys.js';
import type { App } from '../../src/server/build.js';
import { runCli } from '../cli/run-cli.js';
import { buildServer, getJson, servedStore, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let app: App;
let stats: any;

beforeAll(async () => {
  served = servedStore(['ease', 'als'], 400, 3, { santander: true });
  const evaluated = runCli(['evaluate', '--models', 'als', '--k', '10'], served.dir);
  expect(evaluated.code, evaluated.stderr).toBe(0);
  const s = runCli(['stats', '--json'], served.dir);
  expect(s.code, s.stderr).toBe(0);
  stats = JSON.parse(s.stdout);
  app = await buildServer(served, { model: 'als' });
}, 180_000);

afterAll(async () => {
  await app?.close();
});

const get = (url: string) => getJson(app, url);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** A CSV line's fields (quoted fields may hold commas: "CORUNA, A"). */
const fields = (line: string): string[] => [...line.matchAll(/\s*("([^"]*)"|[^,]*)\s*(,|$)/g)].slice(0, -1).map((m) => (m[2] ?? m[1]).trim());

/** The generated Santander file: per month, per customer, the products held (by the column map). */
function santanderMonths(): Map<string, Map<string, Set<string>>> {
  const read = (f: string) =>
    readFileSync(join(served.dir, '.nextbest', 'synthetic', f), 'utf8')
      .trim()
      .split('\n')
      .map(fields);
  const [header, ...rows] = read('santander.csv');
  const productOf = new Map(read('santander-columns.csv').slice(1) as [string, string][]);
  const months = new Map<string, Map<string, Set<string>>>();
  for (const r of rows) {
    if (!months.has(r[0])) months.set(r[0], new Map());
    const held = new Set(header.flatMap((c, i) => (productOf.has(c) && r[i] === '1' ? [productOf.get(c) as string] : [])));
    if (held.size) months.get(r[0])?.set(r[1], held);
  }
  return new Map([...months.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}

describe('GET /v1/data/overview', () => {
  it('counts what nextbest stats counts: events by type, funnel, cold start, events over time', async () => {
    const { status, body } = await get('/v1/data/overview');
    expect(status).toBe(200);
    expect(body.counts).toEqual({ customers: stats.customers, products: stats.products, events: stats.events, holdings: stats.holdings });
    expect(body.eventsByType).toEqual(stats.eventsByType);
    expect(body.funnel.map((s: { events: number }) => s.events)).toEqual(['display', 'click', 'checkout'].map((t) => stats.eventsByType[t] ?? 0));
    expect(body.coldStart).toMatchObject({ cold: stats.coldCustomers, customers: stats.customers });
    for (const [type, n] of Object.entries(stats.eventsByType)) expect(sum(body.overTime.series[type]), type).toBe(n);
    expect(body.overTime.bucket).toBe('month'); // 17 months of events
    expect(sum(body.segments.rows.map((r: { customers: number }) => r.customers))).toBe(stats.customers);
    expect(sum(body.segments.rows.map((r: { events: number }) => r.events))).toBe(stats.events);
    // Popularity: the most active products first, as stats ranks them (top 10), each split by type.
    expect(body.popularity.slice(0, 10).map((p: { product: string; events: number; customers: number }) => [p.product, p.events, p.customers])).toEqual(
      stats.topProducts.map((p: { productId: string; events: number; customers: number }) => [p.productId, p.events, p.customers]),
    );
    for (const p of body.popularity) expect(sum(Object.values(p.byType) as number[])).toBe(p.events);
  });

  it('takes the click rate by time of day x page from the events\' context, every display and click counted once', async () => {
    const { body } = await get('/v1/data/overview');
    const g = body.clickRate;
    expect(g.source).toBe('context');
    expect(g.times).toEqual(['morning', 'afternoon', 'evening', 'night']);
    expect(sum(g.displays.flat())).toBe(stats.eventsByType.display);
    expect(sum(g.clicks.flat())).toBe(stats.eventsByType.click);
    g.rate.forEach((row: (number | null)[], i: number) => row.forEach((r, j) => expect(r).toBeCloseTo(g.clicks[i][j] / g.displays[i][j], 12)));
  });

  it('counts products held and added per month, and co-holding, as the generated Santander file has them', async () => {
    const { body } = await get('/v1/data/overview');
    const months = santanderMonths();
    const names = [...months.keys()];
    expect(body.holdings.months).toEqual(names);
    names.forEach((m, j) => {
      const held = sum([...(months.get(m) as Map<string, Set<string>>).values()].map((s) => s.size));
      expect(sum(body.holdings.held.map((row: number[]) => row[j])), `held ${m}`).toBe(held);
      let added = 0;
      if (j > 0)
        for (const [customer, products] of months.get(m) as Map<string, Set<string>>) {
          const before = months.get(names[j - 1])?.get(customer) ?? new Set();
          for (const p of products) if (!before.has(p)) added++;
        }
      expect(sum(body.holdings.added.map((row: number[]) => row[j])), `added ${m}`).toBe(added);
    });
    // Co-holding over each customer's latest month.
    const latest = new Map<string, Set<string>>();
    for (const rows of months.values()) for (const [customer, products] of rows) latest.set(customer, products);
    const { products, counts, source } = body.coHolding;
    expect(source).toBe('snapshots');
    const both = (a: string, b: string) => [...latest.values()].filter((s) => s.has(a) && s.has(b)).length;
    expect(counts[0][0]).toBe(both(products[0], products[0]));
    expect(counts[0][1]).toBe(both(products[0], products[1]));
    expect(counts[1][0]).toBe(counts[0][1]);
    expect(counts[0][0]).toBeGreaterThanOrEqual(counts[1][1]); // most held first
  });
});

describe('GET /v1/evaluations', () => {
  it('lists the run nextbest evaluate wrote, with intervals and a metric-vs-K curve that ends at the run\'s K', async () => {
    const { status, body } = await get('/v1/evaluations');
    expect(status).toBe(200);
    expect(body.runs).toHaveLength(1);
    const run = body.runs[0];
    const report = JSON.parse(readFileSync(join(served.dir, '.nextbest', 'reports', run.report), 'utf8'));
    expect(run).toMatchObject({ task: 'ranking', k: 10, split: report.split, customers: report.customers, baseline: 'popularity' });
    expect(run.models.map((m: { name: string }) => m.name)).toEqual(['popularity', 'als']);
    for (const m of run.models) {
      expect(m.metrics['ndcg@10']).toBe(report.models.find((r: { name: string }) => r.name === m.name).metrics['ndcg@10']);
      expect(m.intervals['ndcg@10'].low).toBeLessThanOrEqual(m.metrics['ndcg@10']);
      expect(Object.keys(m.curve).filter((key) => key.startsWith('recall@'))).toEqual(['recall@1', 'recall@3', 'recall@5', 'recall@10']);
      for (const metric of ['ndcg', 'precision', 'recall', 'hr']) expect(m.curve[`${metric}@10`], metric).toBeCloseTo(m.metrics[`${metric}@10`], 12);
      const recall = [1, 3, 5, 10].map((k) => m.curve[`recall@${k}`]);
      expect([...recall].sort((a, b) => a - b)).toEqual(recall); // more of the list, more found
      expect(m.curve['hr@1']).toBeCloseTo(m.curve['precision@1'], 12);
    }
  });
});

describe('GET /v1/models/{name}/projection', () => {
  it('projects the learned customer factors to 2-D with k-means clusters and the segment to compare', async () => {
    const { status, body } = await get('/v1/models/als/projection?clusters=4&limit=150');
    expect(status).toBe(200);
    expect(body).toMatchObject({ model: 'als', entity: 'customers', factors: 32, clusters: 4, attribute: 'segment' });
    expect(body.points).toHaveLength(150);
    expect(body.total).toBeGreaterThan(150);
    expect(new Set(body.points.map((p: { cluster: number }) => p.cluster))).toEqual(new Set([0, 1, 2, 3]));
    expect(body.points.every((p: { value: string | null }) => typeof p.value === 'string')).toBe(true);
    expect(body.explained[0]).toBeGreaterThanOrEqual(body.explained[1]);
    expect(body.explained[0] + body.explained[1]).toBeLessThanOrEqual(1 + 1e-9);
    expect(body.adjustedRand).toBeGreaterThanOrEqual(-1);
    expect(body.adjustedRand).toBeLessThanOrEqual(1);
    const products = await get('/v1/models/als/projection?entity=products&clusters=3');
    expect(products.body).toMatchObject({ entity: 'products', total: stats.products, attribute: 'type' });
  });

  it('refuses a model without factors, naming those that have them, and more clusters than points', async () => {
    const ease = await get('/v1/models/ease/projection');
    expect(ease.status).toBe(400);
    expect(ease.body).toEqual({ code: 'BAD_OPTION', message: expect.stringContaining('train one of als, bpr, warp, fm') });
    const many = await get('/v1/models/als/projection?entity=products&clusters=50');
    expect([many.status, many.body.code]).toEqual([400, 'BAD_OPTION']);
    expect((await get('/v1/models/nope/projection')).body.code).toBe('MODEL_NOT_FOUND');
  });
});

describe('customer search and products', () => {
  it('finds customers by part of their id, with their segment', async () => {
    const { body } = await get('/v1/customers?q=0001&limit=5');
    expect(body.attribute).toBe('segment');
    expect(body.customers.length).toBeGreaterThan(0);
    expect(body.customers.length).toBeLessThanOrEqual(5);
    for (const c of body.customers) {
      expect(c.customer).toContain('0001');
      expect(c.value).toBe((await get(`/v1/customers/${c.customer}`)).body.attributes.segment);
    }
    expect((await get('/v1/customers?q=no-such-id')).body.customers).toEqual([]);
  });

  it('lists the catalogue, and answers a product with its holders and events', async () => {
    const list = await get('/v1/products');
    expect(list.body.products).toHaveLength(stats.products);
    const { body } = await get('/v1/products/P01');
    expect(body).toMatchObject({ product: 'P01', name: list.body.products[0].name, type: list.body.products[0].type });
    expect(sum(body.holders.byAttribute.map((b: { customers: number }) => b.customers))).toBe(body.holders.count);
    expect(body.holders.customers.length).toBe(Math.min(20, body.holders.count));
    const missing = await get('/v1/products/NOPE');
    expect([missing.status, missing.body.code]).toEqual([404, 'PRODUCT_NOT_FOUND']);
  });

  it('documents the new routes in /openapi.json', async () => {
    const paths = Object.keys((await get('/openapi.json')).body.paths);
    for (const p of ['/v1/data/overview', '/v1/evaluations', '/v1/products', '/v1/products/{product}', '/v1/customers', '/v1/models/{name}/projection']) expect(paths).toContain(p);
    expect(paths).not.toContain('/');
  });
});

describe('the dashboard files', () => {
  it('serves the dashboard at / and the demo at /demo, open even when the API needs a key', async () => {
    const key = createApiKey('viewer', 'read');
    await app.close(); // one server holds the store at a time
    const keyed = (app = await buildServer(served, { model: 'als', keys: parseKeys(JSON.stringify([key.entry]), 'test') }));
    {
      for (const [url, marker] of [['/', 'id="page"'], ['/demo', 'id="app"']]) {
        const r = await keyed.inject({ method: 'GET', url });
        expect(r.statusCode, url).toBe(200);
        expect(r.headers['content-type']).toMatch(/^text\/html/);
        expect(r.body).toContain(marker);
        const script = /src="(\/assets\/[^"]+\.js)"/.exec(r.body)?.[1] as string;
        const js = await keyed.inject({ method: 'GET', url: script });
        expect([js.statusCode, js.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
      }
      expect((await keyed.inject({ method: 'GET', url: '/v1/data/overview' })).statusCode).toBe(401);
      const missing = await keyed.inject({ method: 'GET', url: '/assets/nope.js' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('ROUTE_NOT_FOUND');
    }
  });
});
