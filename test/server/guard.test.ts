// API keys, scopes and rate limits on a bare fastify instance with the server's guard and error
// handlers: a read route, an admin route (`config: { scope: 'admin' }`, as the state-changing routes
// declare) and an open one; keys parsed from the JSON entries `nextbest keys create` prints.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey, findKey, loadKeys, parseKeys, type ApiKey } from '../../src/app/api-keys.js';
import { parseRate } from '../../src/app/rate.js';
import { installErrorHandlers } from '../../src/server/errors.js';
import { installGuard, type GuardOptions } from '../../src/server/guard.js';
import { checkExposure, isLoopback } from '../../src/server/listen.js';
import { RateLimiter } from '../../src/server/rate-limit.js';

const reader = createApiKey('app', 'read');
const admin = createApiKey('ops', 'admin');
const keys: ApiKey[] = parseKeys(JSON.stringify([reader.entry, admin.entry]), 'test keys');

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function guarded(opts: GuardOptions): Promise<FastifyInstance> {
  app = Fastify();
  installErrorHandlers(app);
  installGuard(app, opts);
  app.get('/read', async () => ({ ok: true }));
  app.post('/admin', { config: { scope: 'admin' } }, async () => ({ ok: true }));
  app.get('/open', { config: { scope: 'open' } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

const call = async (a: FastifyInstance, method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) => {
  const r = await a.inject({ method, url, headers });
  return { status: r.statusCode, body: r.json(), headers: r.headers };
};

describe('API keys', () => {
  it('are random, stored as their SHA-256 only, and found by the key itself', () => {
    expect(reader.key).toMatch(/^nb_[A-Za-z0-9_-]{43}$/);
    expect(reader.key).not.toBe(admin.key);
    expect(JSON.stringify(reader.entry)).not.toContain(reader.key.slice(3));
    expect(reader.entry.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(findKey(keys, reader.key)?.name).toBe('app');
    expect(findKey(keys, admin.key)?.scope).toBe('admin');
    expect(findKey(keys, `${reader.key}x`)).toBeNull();
    expect(findKey(keys, '')).toBeNull();
  });

  it('refuse a key file with a bad field in one line naming the field', () => {
    const bad = (entries: unknown[]) => () => parseKeys(JSON.stringify(entries), 'key file k.json');
    expect(bad([{ ...reader.entry, hash: 'abc' }])).toThrow(/^key file k\.json: 0\.hash: must be "sha256:"/);
    expect(bad([reader.entry, { ...admin.entry, scope: 'root' }])).toThrow(/^key file k\.json: 1\.scope: .*"read"\|"admin"/);
    expect(bad([{ ...reader.entry, secret: 'x' }])).toThrow(/0/);
    expect(bad([{ ...reader.entry, rateLimit: 'fast' }])).toThrow(/0\.rateLimit is "fast", not a rate/);
    expect(() => parseKeys('{not json', 'NEXTBEST_API_KEYS')).toThrow(/^NEXTBEST_API_KEYS is not JSON/);
    expect(() => loadKeys('/no/such/keys.json', undefined)).toThrow(/key file \/no\/such\/keys\.json cannot be read/);
  });

  it('come from NEXTBEST_API_KEYS too, with distinct names', () => {
    expect(loadKeys(undefined, JSON.stringify([admin.entry])).map((k) => k.name)).toEqual(['ops']);
    expect(loadKeys(undefined, '')).toEqual([]);
    expect(() => loadKeys(undefined, JSON.stringify([admin.entry, admin.entry]))).toThrow(/two API keys are named ops/);
  });

  it('refuse a request without a key, with an unknown key or a malformed header: 401 UNAUTHORIZED', async () => {
    const a = await guarded({ keys });
    for (const headers of [{}, { authorization: 'Bearer nb_wrong' }, { authorization: `Basic ${reader.key}` }, { 'x-api-key': 'nb_wrong' }]) {
      const r = await call(a, 'GET', '/read', headers);
      expect([r.status, r.body.code], JSON.stringify(headers)).toEqual([401, 'UNAUTHORIZED']);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(Object.keys(r.body)).toEqual(['code', 'message']);
    }
  });

  it('let a read key read but not change state (403 FORBIDDEN); an admin key does both; open routes need none', async () => {
    const a = await guarded({ keys });
    expect((await call(a, 'GET', '/read', { authorization: `Bearer ${reader.key}` })).status).toBe(200);
    expect((await call(a, 'GET', '/read', { 'x-api-key': reader.key })).status).toBe(200);
    const forbidden = await call(a, 'POST', '/admin', { authorization: `Bearer ${reader.key}` });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'FORBIDDEN']);
    expect(forbidden.body.message).toMatch(/key app has scope read; POST \/admin .* needs an admin key/);
    expect((await call(a, 'POST', '/admin', { authorization: `Bearer ${admin.key}` })).status).toBe(200);
    expect((await call(a, 'GET', '/read', { authorization: `bearer ${admin.key}` })).status).toBe(200);
    expect((await call(a, 'GET', '/open')).status).toBe(200);
    expect((await call(a, 'POST', '/admin')).status).toBe(401);
  });

  it('are not asked for when the server has none', async () => {
    const a = await guarded({ keys: [] });
    expect((await call(a, 'POST', '/admin')).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('parse as requests per second or minute', () => {
    expect(parseRate('100/s', 'r')).toEqual({ requests: 100, seconds: 1 });
    expect(parseRate('6000 / min', 'r')).toEqual({ requests: 6000, seconds: 60 });
    for (const bad of ['100', '0/s', '10/hour', 'x/s', '-1/s']) expect(() => parseRate(bad, '--rate-limit'), bad).toThrow(/^--rate-limit is ".*", not a rate/);
  });

  it('allow a burst of the limit, then refill at the rate (token bucket)', () => {
    const limiter = new RateLimiter();
    const rate = { requests: 2, seconds: 1 };
    expect([limiter.take('a', rate, 0), limiter.take('a', rate, 0), limiter.take('a', rate, 0)]).toEqual([0, 0, 1]);
    expect(limiter.take('b', rate, 0)).toBe(0); // another client has its own bucket
    expect(limiter.take('a', rate, 400)).toBe(1); // 0.8 tokens after 400 ms
    expect(limiter.take('a', rate, 500)).toBe(0); // the refused tries took nothing: 1 token after 500 ms
    const perMinute = { requests: 6, seconds: 60 };
    for (let i = 0; i < 6; i++) expect(limiter.take('c', perMinute, 0)).toBe(0);
    expect(limiter.take('c', perMinute, 0)).toBe(10); // one token every 10 s
  });

  it('answer 429 RATE_LIMITED with Retry-After per key, a key\'s own limit first; open routes are not limited', async () => {
    const limited = parseKeys(JSON.stringify([reader.entry, { ...admin.entry, rateLimit: '5/min' }]), 'test keys');
    const a = await guarded({ keys: limited, rateLimit: { requests: 3, seconds: 60 } });
    const asReader = { authorization: `Bearer ${reader.key}` };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(a, 'GET', '/read', asReader)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const r = await call(a, 'GET', '/read', asReader);
    expect(r.body.code).toBe('RATE_LIMITED');
    expect(r.body.message).toMatch(/key app is over its limit of 3 requests per minute; retry after \d+ s/);
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(19);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(20);
    const asAdmin = { authorization: `Bearer ${admin.key}` };
    const adminStatuses = [];
    for (let i = 0; i < 6; i++) adminStatuses.push((await call(a, 'GET', '/read', asAdmin)).status);
    expect(adminStatuses).toEqual([200, 200, 200, 200, 200, 429]);
    for (let i = 0; i < 10; i++) expect((await call(a, 'GET', '/open')).status).toBe(200);
  });

  it('count per address on a server without keys', async () => {
    const a = await guarded({ keys: [], rateLimit: { requests: 1, seconds: 1 } });
    expect((await call(a, 'GET', '/read')).status).toBe(200);
    const r = await call(a, 'GET', '/read');
    expect([r.status, r.body.code, r.headers['retry-after']]).toEqual([429, 'RATE_LIMITED', '1']);
    expect(r.body.message).toMatch(/^address 127\.0\.0\.1 is over its limit of 1 requests per second/);
  });
});

describe('the loopback rule', () => {
  it('serves only loopback addresses without keys', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', '127.0.0.1.example.com'].some(isLoopback)).toBe(false);
    expect(() => checkExposure('0.0.0.0', 0)).toThrow(/^--host 0\.0\.0\.0 would open the API to the network without API keys; give keys/);
    expect(() => checkExposure('0.0.0.0', 1)).not.toThrow();
    expect(() => checkExposure('127.0.0.1', 0)).not.toThrow();
  });
});
