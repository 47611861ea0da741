// Starts a built server on an address; tells the store's owner record where the API answers, so a CLI
// command the held store refuses names the route that does the same.
import { NextbestError } from '../core/errors.js';
import type { App } from './build.js';

/** The route that does what each CLI command does, for the store's lock message. */
export const COMMAND_ROUTES: Record<string, string> = {
  'nextbest recommend': 'GET /v1/customers/{customer}/recommendations',
  'nextbest similar': 'GET /v1/products/{product}/similar',
  'nextbest train': 'POST /v1/models/train',
};

export async function listen(app: App, at: { host: string; port: number }): Promise<string> {
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
