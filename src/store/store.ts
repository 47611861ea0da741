// The store contract: what every caller (CLI, app, training views, the server) needs from a store,
// whatever holds it. DuckDB (src/store/duckdb/) is the embedded backend; openStore (open-store.ts)
// picks the backend from the location. test/store/store-contract.ts runs against every backend.
import { join } from 'node:path';
import type { Attributes, Event, EventType } from '../data/model.js';
import type { EventBatch, HoldingBatch, TrainingSource } from '../data/rows.js';
import type { Loader, LoadOptions } from '../data/sink.js';
import type { StoreStats } from './stats.js';

export const DEFAULT_STORE = join('.nextbest', 'store.duckdb');

/**
 * 'write' creates the store when it is missing and, for an embedded store, takes it for this process
 * alone; 'read' opens an existing store read-only and shares it with other readers.
 */
export type StoreMode = 'read' | 'write';

export interface StoreCounts {
  customers: number;
  products: number;
  offers: number;
  events: number;
  holdings: number;
}

/**
 * Distinct entities in one load, before deduplication against the store. Holdings are counted as
 * staged (a customer's month is one row of the source); customers and products are those the load
 * named (snapshot loads name every customer they hold holdings for).
 */
export interface StagedCounts {
  customers: number;
  products: number;
  offers: number;
  events: number;
  holdings: number;
}

/** What a load added that the store did not hold. */
export interface AddedCounts {
  customers: number;
  products: number;
  events: number;
  holdings: number;
}

/** One load: rows accepted and rejected, the distinct entities it held, what was new, and the totals after. */
export interface IngestReport extends StagedCounts {
  format: string;
  source: string;
  accepted: number;
  rejected: number;
  rejectsFile: string | null;
  added: AddedCounts;
  store: StoreCounts;
  seconds: number;
}

export interface IngestOptions extends LoadOptions {
  /** Where rejected rows go; default .nextbest/rejects/<input name>-<time>.rejects.csv beside the store. */
  rejectsPath?: string;
}

/** Where the API of the process that holds a store answers, so a refused command can point there. */
export interface OwnerApi {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** The route that does what a command does, by command (e.g. 'nextbest stats' -> 'GET /v1/stats'). */
  routes?: Record<string, string>;
}

export interface StoreOptions {
  /** 'write' (the default) or 'read'. */
  mode?: StoreMode;
  /** Who opens the store, e.g. 'nextbest ingest': recorded as its owner by a writer, and used to pick the owner's API route for a refused command. */
  command?: string;
  /** Memory limit of an embedded store, e.g. '1GB'; larger work spills to disk. */
  memoryLimit?: string;
  /** Told, in one line, what the open cleaned up (temporary files an interrupted run left). */
  notice?: (line: string) => void;
}

export interface LiveEventLogOptions {
  /** Most events per transaction (default 5000). An appendMany() larger than this is one batch of its own. */
  maxBatch?: number;
  /** Longest an event waits, when no commit is in flight, for other events to share its commit (default 2). */
  maxDelayMs?: number;
}

export interface LiveEventLogStats {
  /** Events committed. */
  committed: number;
  /** Transactions committed. */
  batches: number;
  /** Batches that failed (all their events were rejected, none written). */
  failedBatches: number;
}

/** Real-time events as a server receives them: a promise resolves only once its event is durable. */
export interface LiveEventLog {
  readonly stats: LiveEventLogStats;
  /** Resolves once the event is committed; rejects (writing nothing) if it is invalid. */
  append(e: Event): Promise<void>;
  /** All or nothing: the events are committed together, or none is written if one is invalid. */
  appendMany(es: Event[]): Promise<void>;
  /** Commits everything appended so far; resolves when all of it has settled. */
  flush(): Promise<void>;
  /** Commits what is queued, then stops; appends after close() are rejected. */
  close(): Promise<void>;
}

export interface Store extends TrainingSource {
  /** Where the store is, as the user named it (a path or a URL without its password). */
  readonly location: string;
  readonly mode: StoreMode;
  /** Loads one input, staged and merged all or nothing; loading the same input again adds nothing. */
  ingest(loader: Loader, input: string, opts?: IngestOptions): Promise<IngestReport>;
  counts(): Promise<StoreCounts>;
  stats(): Promise<StoreStats>;
  /** Every customer or product id (including those without events), sorted. */
  ids(entity: 'customer' | 'product'): AsyncIterable<string[]>;
  /** Events in time order (ties by customer, product, type), in columnar batches; optionally only some types. */
  events(types?: readonly EventType[]): AsyncIterable<EventBatch>;
  /**
   * Monthly holdings as snapshot loads left them: per month (ascending), then customer id, the products
   * the customer held; a customer's month with nothing held has no row.
   */
  holdings(): AsyncIterable<HoldingBatch>;
  /** One customer's or product's attributes, or null when the store does not know it. */
  attributesOf(entity: 'customer' | 'product', id: string): Promise<Attributes | null>;
  /** One customer's events in time order, only those after `since` when given (e.g. live events since training). */
  customerEvents(customerId: string, since?: Date): Promise<EventBatch>;
  /** A writer for real-time events; the store closes it on close() if the caller has not. */
  liveLog(opts?: LiveEventLogOptions): LiveEventLog;
  /**
   * Tells other processes that this one's hold on the store refuses where its API does the same; a
   * no-op for a store that several processes share.
   */
  announceApi(api: OwnerApi): void;
  /** Closes live logs (committing what they queued), then the store. */
  close(): Promise<void>;
}
