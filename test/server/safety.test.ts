// The guarded server as `nextbest serve` builds it: keys on the real routes (/health, /ready, /docs and
// /openapi.json open), body limits, a JSON {code, message} for malformed or mistyped bodies, and
// Prometheus /metrics counting what was asked; the CLI's loopback rule and `nextbest keys create`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, parseKeys } from '../../src/app/api-keys.js';
import type { App } from '../../src/server/build.js';
import { runCli } from '../cli/run-cli.js';
import { buildServer, servedStore, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let app: App;
const reader = createApiKey('app', 'read');
const asReader = { authorization: `Bearer ${reader.key}` };

beforeAll(async () => {
  served = servedStore(['ease'], 300);
  app = await buildServer(served, { keys: parseKeys(JSON.stringify([reader.entry]), 'test'), bodyLimit: 4096 });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const noStack = (text: string): void => expect(text).not.toMatch(/at .*\.(js|ts):\d+|node_modules/);

describe('a server with API keys', () => {
  it('answers recommendations to a key only', async () => {
    const without = await app.inject({ method: 'GET', url: '/v1/customers/1000001/recommendations' });
    expect([without.statusCode, without.json().code]).toEqual([401, 'UNAUTHORIZED']);
    const withKey = await app.inject({ method: 'GET', url: '/v1/customers/1000001/recommendations?k=3', headers: asReader });
    expect(withKey.statusCode).toBe(200);
    expect(withKey.json().recommendations).toHaveLength(3);
  });

  it('asks a key of every route in the OpenAPI document but /health and /ready', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const calls = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase() as 'GET', url: path.replace(/\{[^}]+\}/g, 'x') })),
    );
    expect(calls.length).toBeGreaterThanOrEqual(6);
    // The document says so, for the API page's Authorize button.
    expect(spec.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.paths['/v1/customers/{customer}/recommendations'].get.security).toEqual([{ apiKey: [] }]);
    expect(spec.paths['/health'].get.security).toBeUndefined();
    for (const call of calls) {
      const r = await app.inject({ ...call, payload: call.method === 'GET' ? undefined : {} });
      expect(r.statusCode, `${call.method} ${call.url}`).toBe(['/health', '/ready'].includes(call.url) ? 200 : 401);
    }
  });

  it('keeps /health, /ready, /docs and /openapi.json open', async () => {
    for (const url of ['/health', '/ready', '/docs/', '/openapi.json']) expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
  });

  it('asks a key of an unknown route too (no map of the API without one)', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/secret' });
    expect(r.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/secret', headers: asReader })).json().code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('request bodies', () => {
  const rank = (payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/v1/customers/1000001/rank', payload, headers: { ...asReader, 'content-type': contentType } });

  it('over the limit: 413 BODY_TOO_LARGE naming the limit', async () => {
    const huge = JSON.stringify({ products: Array.from({ length: 2000 }, (_, i) => `P${i}`) });
    expect(huge.length).toBeGreaterThan(4096);
    const r = await rank(huge);
    expect([r.statusCode, r.json().code]).toEqual([413, 'BODY_TOO_LARGE']);
    expect(r.json().message).toMatch(/larger than 4096 bytes/);
    const megabytes = await rank(JSON.stringify({ products: ['x'.repeat(5 * 2 ** 20)] }));
    expect(megabytes.statusCode).toBe(413);
  });

  it.each([
    ['malformed JSON', '{"products": [', 'application/json'],
    ['an empty JSON body', '', 'application/json'],
    ['a wrong content type', 'products=P01', 'application/x-www-form-urlencoded'],
    ['text', 'P01', 'text/plain'],
  ])('%s: a JSON 4xx {code, message}, never a stack', async (_, payload, type) => {
    const r = await rank(payload, type);
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
    expect(Object.keys(r.json())).toEqual(['code', 'message']);
    expect(r.json().code).toBe('BAD_OPTION');
    noStack(r.body);
  });
});

/** name{labels} -> value for every sample of a Prometheus text exposition; fails on a malformed line. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-z_:][a-z0-9_:]*)(\{(?:[a-z_]+="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$/i.exec(line);
    expect(m, `not a sample: ${line}`).not.toBeNull();
    samples.set(`${m![1]}${m![2] ?? ''}`, Number(m![3]));
  }
  return samples;
}

describe('GET /metrics', () => {
  it('needs a key on a server with keys', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
  });

  it('counts requests by route and status, latency per route, acknowledged events and the active model', async () => {
    const before = parseExposition((await app.inject({ method: 'GET', url: '/metrics', headers: asReader })).body);
    const recs = '/v1/customers/:customer/recommendations';
    const okKey = `nextbest_http_requests_total{method="GET",route="${recs}",status="200"}`;
    const badKey = `nextbest_http_requests_total{method="GET",route="${recs}",status="400"}`;
    for (let i = 0; i < 5; i++) await app.inject({ method: 'GET', url: `/v1/customers/100000${i}/recommendations`, headers: asReader });
    await app.inject({ method: 'GET', url: '/v1/customers/1000001/recommendations?k=0', headers: asReader });
    await app.nextbest.events.append({ customerId: '1000001', productId: 'P01', timestamp: new Date(), type: 'click', value: 1, context: {} });

    const r = await app.inject({ method: 'GET', url: '/metrics', headers: asReader });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = parseExposition(r.body);
    expect((after.get(okKey) ?? 0) - (before.get(okKey) ?? 0)).toBe(5);
    expect((after.get(badKey) ?? 0) - (before.get(badKey) ?? 0)).toBe(1);
    const hist = `method="GET",route="${recs}"`;
    const count = after.get(`nextbest_http_request_duration_seconds_count{${hist}}`)!;
    expect(count - (before.get(`nextbest_http_request_duration_seconds_count{${hist}}`) ?? 0)).toBe(6);
    expect(after.get(`nextbest_http_request_duration_seconds_bucket{${hist},le="+Inf"}`)).toBe(count);
    const buckets = [...after].filter(([k]) => k.startsWith(`nextbest_http_request_duration_seconds_bucket{${hist},`)).map(([, v]) => v);
    expect(buckets.length).toBeGreaterThan(5);
    expect([...buckets].sort((x, y) => x - y)).toEqual(buckets); // cumulative
    expect(after.get(`nextbest_http_request_duration_seconds_sum{${hist}}`)).toBeGreaterThan(0);
    expect(after.get('nextbest_http_requests_total{method="GET",route="/metrics",status="401"}')).toBeGreaterThanOrEqual(1);
    expect(after.get('nextbest_events_acknowledged_total')).toBe(app.nextbest.events.stats.committed);
    expect(after.get('nextbest_events_acknowledged_total')! - (before.get('nextbest_events_acknowledged_total') ?? 0)).toBe(1);
    expect(after.get('nextbest_active_model{name="ease"}')).toBe(1);
  });
});

describe('the CLI', () => {
  it('refuses a network --host without keys in one line, before opening anything', () => {
    const r = runCli(['serve', '--host', '0.0.0.0', '--store', served.store], served.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nextbest: --host 0\.0\.0\.0 would open the API to the network without API keys; give keys \(--keys FILE or NEXTBEST_API_KEYS\) or listen on 127\.0\.0\.1\n$/);
  });

  it('refuses a bad key file in one line', () => {
    const r = runCli(['serve', '--keys', 'nope.json', '--store', served.store], served.dir);
    expect([r.code, r.stderr]).toEqual([2, 'nextbest: key file nope.json cannot be read; make one with nextbest keys create or fix the path\n']);
  });

  it('makes a key with keys create: the key once and the entry that authenticates it', () => {
    const r = runCli(['keys', 'create', '--name', 'mobile', '--scope', 'admin', '--json'], served.dir);
    expect(r.code, r.stderr).toBe(0);
    const { key, entry } = JSON.parse(r.stdout);
    expect(entry).toMatchObject({ name: 'mobile', scope: 'admin' });
    const [parsed] = parseKeys(JSON.stringify([entry]), 'printed entry');
    expect(parsed.scope).toBe('admin');
    const text = runCli(['keys', 'create', '--name', 'web'], served.dir);
    expect(text.stdout).toMatch(/^key \(shown once, keep it secret\): nb_\S+\n.*\n\{"name":"web","hash":"sha256:[0-9a-f]{64}","scope":"read"\}\n$/);
    expect(key).toMatch(/^nb_/);
    const bad = runCli(['keys', 'create', '--name', 'x', '--scope', 'root'], served.dir);
    expect([bad.code, bad.stderr]).toEqual([2, 'nextbest: a key needs a --name of 1-100 characters and a --scope of read or admin\n']);
  });
});
