// What every route of a server shares: the store it holds open for its whole life (histories, attributes,
// the live event log), the active model, and how it was started.
import type { ApiKey } from '../app/api-keys.js';
import type { Rate } from '../app/rate.js';
import type { StoreAccess } from '../app/store-access.js';
import type { LiveEventLog, Store } from '../store/store.js';
import type { ActiveModel } from './active-model.js';
import type { HttpMetrics } from './metrics.js';

export interface ServerOptions {
  /** The store (a .duckdb path): opened for writing and held until the server closes. */
  store: string;
  /** The model to serve, a name in the models folder or a .nbm path; default the newest saved. */
  model?: string;
  /** The customer attribute that names segments for cold-start lists. */
  segmentAttribute?: string;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** API keys (hashed); none: no key is asked for and listen() binds loopback addresses only. */
  keys?: readonly ApiKey[];
  /** Requests per key (per address without keys) a second or minute; unlimited when unset. */
  rateLimit?: Rate;
  /** Log requests (pino, on stderr); default false. */
  logger?: boolean;
}

export interface ServerContext {
  readonly options: Required<Pick<ServerOptions, 'segmentAttribute'>> & ServerOptions;
  /** The store, held for the server's life. */
  readonly store: Store;
  /** The same store for the service layer's functions (src/app/). */
  readonly access: StoreAccess;
  /** The one live event log of this server: an event is acknowledged once it is durable there. */
  readonly events: LiveEventLog;
  readonly models: ActiveModel;
  /** Requests and latencies counted for /metrics. */
  readonly metrics: HttpMetrics;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's context (build() decorates the instance with it). */
    nextbest: ServerContext;
  }
}
