// What every route of a server shares: the store it holds open for its whole life (histories, attributes,
// the live event log), the active model, and how it was started.
import type { ApiKey } from '../app/api-keys.js';
import type { BusinessRules } from '../app/business-rules.js';
import type { PipelineHeader } from '../app/pipeline-file.js';
import type { Rate } from '../app/rate.js';
import type { StoreAccess } from '../app/store-access.js';
import type { ExplorationOptions } from '../models/exploration.js';
import type { LiveEventLog, Store } from '../store/store.js';
import type { ActiveModel } from './active-model.js';
import type { HttpMetrics } from './metrics.js';
import type { TrainingJobs } from './training-jobs.js';

export interface ServerOptions {
  /** The store (a .duckdb path): opened for writing and held until the server closes. */
  store: string;
  /** The model to serve, a name in the models folder or a .nbm path; default the newest saved. */
  model?: string;
  /** Serve from a pipeline file (.nbp: model, rules, offers) instead of a saved model; not with `model`. */
  pipeline?: string;
  /** The customer attribute that names segments for cold-start lists. */
  segmentAttribute?: string;
  /** The accept / decline model behind expected value (a name or .nbm path); default fm-classification when trained. */
  acceptModel?: string;
  /** Default weight of expected value against relevance in a customer's offers, in [0, 1] (default DEFAULT_EV_WEIGHT, src/app/expected-value.ts). */
  evWeight?: number;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** API keys (hashed); none: no key is asked for and listen() binds loopback addresses only. */
  keys?: readonly ApiKey[];
  /** Requests per key (per address without keys) a second or minute; unlimited when unset. */
  rateLimit?: Rate;
  /** Log requests (pino, on stderr); default false. */
  logger?: boolean;
  /** A business-rules JSON file, read and checked by build() (a bad one fails it, naming the field). */
  rules?: string;
  /** Default exploration of cold products in every list (weight 0: none); a request's explore= overrides the weight. */
  explore?: ExplorationOptions;
  /** With a shared store (PostgreSQL): how often to poll the store's active model record, in ms (default 2000, see shared-model.ts). */
  modelPollMs?: number;
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
  /** What the pipeline file the server started from holds besides its model (rules, offers); null without one. */
  readonly pipeline: (PipelineHeader & { path: string }) | null;
  /** Models training in the background (POST /v1/models/train). */
  readonly jobs: TrainingJobs;
  /** The business rules every list goes through (none without a rules file; the request's type filters still apply). */
  readonly rules: BusinessRules;
  /** Requests and latencies counted for /metrics. */
  readonly metrics: HttpMetrics;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's context (build() decorates the instance with it). */
    nextbest: ServerContext;
  }
}
