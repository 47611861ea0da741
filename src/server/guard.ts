// Who may call what: with API keys configured, every route but the open ones (/health, /ready, /docs,
// /openapi.json) needs a key (`Authorization: Bearer <key>` or `x-api-key: <key>`), and a route that
// changes state (`config: { scope: 'admin' }`) needs an admin key; then the caller's rate limit (its
// key's own, else the server's, per key, or per address without keys). Runs first on every request,
// before its body is read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findKey, type ApiKey, type Scope } from '../app/api-keys.js';
import type { Rate } from '../app/rate.js';
import { NextbestError } from '../core/errors.js';
import { RateLimiter } from './rate-limit.js';

/** A route's scope (its `config.scope`): open needs no key, read (the default) any key, admin an admin key. */
export type RouteScope = 'open' | Scope;

declare module 'fastify' {
  interface FastifyContextConfig {
    scope?: RouteScope;
  }
}

export interface GuardOptions {
  /** No keys: every request is allowed (the server then listens on loopback only). */
  keys: readonly ApiKey[];
  /** The rate limit of a key without its own (and of each address without keys); none when unset. */
  rateLimit?: Rate;
}

/** The key a request presents, or null when it presents none. */
function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const auth = request.headers.authorization;
  if (auth === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m) throw new NextbestError('UNAUTHORIZED', 'the Authorization header is not "Bearer <key>"; send Authorization: Bearer <key> or x-api-key: <key>');
  return m[1];
}

function authenticate(keys: readonly ApiKey[], request: FastifyRequest, scope: Scope): ApiKey {
  const presented = presentedKey(request);
  if (presented === null) throw new NextbestError('UNAUTHORIZED', 'this server needs an API key; send Authorization: Bearer <key> (make one with nextbest keys create)');
  const key = findKey(keys, presented);
  if (!key) throw new NextbestError('UNAUTHORIZED', 'the API key is not one of this server\'s keys; check it or make one with nextbest keys create');
  if (scope === 'admin' && key.scope !== 'admin')
    throw new NextbestError('FORBIDDEN', `key ${key.name} has scope read; ${request.method} ${request.routeOptions.url} changes state and needs an admin key`);
  return key;
}

/** The OpenAPI security scheme of the routes that need a key (Authorization: Bearer). */
export const SECURITY_SCHEME = 'apiKey';

/** Install before any route: marks the API page open and documents each other route's key in OpenAPI. */
export function installGuard(app: FastifyInstance, opts: GuardOptions): void {
  app.addHook('onRoute', (route) => {
    if (route.url === '/openapi.json' || route.url.startsWith('/docs')) route.config = { ...route.config, scope: 'open' };
    const scope = route.config?.scope ?? 'read';
    if (scope === 'open' || !route.schema) return;
    const needs = scope === 'admin' ? 'needs an admin API key' : 'needs an API key (read or admin)';
    route.schema = {
      ...route.schema,
      security: [{ [SECURITY_SCHEME]: [] }],
      description: route.schema.description ? `${route.schema.description}; ${needs}` : `When the server has API keys, ${needs}.`,
    };
  });
  const limiter = new RateLimiter();
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const scope = request.routeOptions.config?.scope ?? 'read';
    if (scope === 'open') return;
    if (opts.keys.length === 0 && !opts.rateLimit) return;
    let key: ApiKey | null = null;
    if (opts.keys.length) {
      try {
        key = authenticate(opts.keys, request, scope);
      } catch (e) {
        if ((e as NextbestError).code === 'UNAUTHORIZED') void reply.header('www-authenticate', 'Bearer realm="nextbest"');
        throw e;
      }
    }
    const rate = key?.rateLimit ?? opts.rateLimit;
    if (!rate) return;
    const wait = limiter.take(key ? `key:${key.name}` : `ip:${request.ip}`, rate);
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      throw new NextbestError('RATE_LIMITED', `${key ? `key ${key.name}` : `address ${request.ip}`} is over its limit of ${rate.requests} requests per ${rate.seconds === 1 ? 'second' : 'minute'}; retry after ${wait} s`);
    }
  });
}
