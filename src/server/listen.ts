// Starts a built server on an address; tells the store's owner record where the API answers, so a CLI
// command the held store refuses names the route that does the same. Without API keys it listens on
// loopback addresses only.
import { NextbestError } from '../core/errors.js';
import type { App } from './build.js';

/** The route that does what each CLI command does, for the store's lock message. */
export const COMMAND_ROUTES: Record<string, string> = {
  'nextbest recommend': 'GET /v1/customers/{customer}/recommendations',
  'nextbest similar': 'GET /v1/products/{product}/similar',
  'nextbest train': 'POST /v1/models/train',
};

/** Whether an address reaches this machine only (127.0.0.0/8, ::1, localhost). */
export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

/** A server without API keys serves loopback addresses only: refuses any other host. */
export function checkExposure(host: string, keys: number): void {
  if (!keys && !isLoopback(host))
    throw new NextbestError('BAD_OPTION', `--host ${host} would open the API to the network without API keys; give keys (--keys FILE or NEXTBEST_API_KEYS) or listen on 127.0.0.1`);
}

/** Listens; a server without API keys refuses any address but a loopback one. */
export async function listen(app: App, at: { host: string; port: number }): Promise<string> {
  checkExposure(at.host, app.nextbest.options.keys?.length ?? 0);
  try {
    await app.listen({ host: at.host, port: at.port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new NextbestError('BAD_OPTION', `port ${at.port} on ${at.host} is in use; pass --port with another (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new NextbestError('BAD_OPTION', `cannot listen on ${at.host}: not an address of this machine; pass another --host`);
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : at.port;
  const host = at.host.includes(':') ? `[${at.host}]` : at.host;
  const url = `http://${host}:${port}`;
  app.nextbest.store.announceApi({ url, routes: COMMAND_ROUTES });
  return url;
}
