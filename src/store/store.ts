// The store contract: what every caller (CLI, app, training views, the server) needs from a store,
// whatever holds it. DuckDB (src/store/duckdb/) is the embedded backend; openStore (open-store.ts)
// picks the backend from the location. test/store/store-contract.ts runs against every backend.
import { join } from 'node:path';
import type { Attributes, Event, EventType, Offer } from '../data/model.js';
import type { EventBatch, HoldingBatch, TrainingSource } from '../data/rows.js';
import type { Loader, LoadOptions } from '../data/sink.js';
import type { OfferChanges, OfferFilter, StoredOffer } from './offers.js';
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
  /** Where rejected rows go; default <rejectsDir>/<input name>-<time>.rejects.csv. */
  rejectsPath?: string;
  /** The folder of the default rejects file; default `rejects` in the store file's folder (embedded) or in .nextbest. */
  rejectsDir?: string;
}

/** A customer's latest monthly holdings snapshot. */
export interface CustomerHoldings {
  customer: string;
  /** The snapshot's date (midnight UTC), as the source names its month. */
  month: Date;
  /** Product ids held that month, sorted. */
  products: string[];
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
  /** A writer creates a missing store (default true); false refuses it as a reader does (a server serves an existing store). */
  create?: boolean;
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
  /** Events not written because the store already held their id. */
  duplicates: number;
  /** Transactions committed. */
  batches: number;
  /** Batches that failed (all their events were rejected, none written). */
  failedBatches: number;
}

/** What an append did: the events it stored, and the ids of those it ignored because the store already held them. */
export interface AppendResult {
  accepted: number;
  /** Event ids the store already held (or that came earlier in the same call), in the order given. */
  duplicates: string[];
}

/**
 * Real-time events as a server receives them: a promise resolves only once its event is durable.
 * Idempotent by event id: an event whose `eventId` the store already holds (from any earlier append,
 * before a restart included) is not stored again and is reported as a duplicate; events without an id
 * are always stored.
 */
export interface LiveEventLog {
  readonly stats: LiveEventLogStats;
  /** Resolves once the event is committed (or known to be held already); rejects (writing nothing) if it is invalid. */
  append(e: Event): Promise<AppendResult>;
  /** All or nothing: the events are committed together, or none is written if one is invalid. */
  appendMany(es: Event[]): Promise<AppendResult>;
  /** Commits everything appended so far; resolves when all of it has settled. */
  flush(): Promise<void>;
  /** Commits what is queued, then stops; appends after close() are rejected. */
  close(): Promise<void>;
}

/** An event as the store holds it. */
export interface StoredEvent extends Omit<Event, 'eventId'> {
  eventId: string | null;
  /** When the live log committed it; null for a loaded event. */
  received: Date | null;
}

/** What one customer holds in the store's latest snapshot month. */
export interface SnapshotHoldings {
  /** The store's latest snapshot month (first day, UTC), or null without snapshots. */
  month: Date | null;
  products: string[];
}

/** The model the servers of a store serve, as the last activation recorded it. */
export interface ActiveModelRecord {
  /** The saved model's name (its file name in the models folder, without .nbm). */
  model: string;
  activatedAt: Date;
}

export interface Store extends TrainingSource {
  /** Where the store is, as the user named it (a path or a URL without its password). */
  readonly location: string;
  readonly mode: StoreMode;
  /**
   * Whether other processes may write the store while this one holds it (PostgreSQL: several server
   * replicas); false for an embedded store, which one writer holds alone.
   */
  readonly shared: boolean;
  /** Whether the store answers now (a server's /ready); never throws. */
  reachable(): Promise<boolean>;
  /** The model recorded as active (by any process), or null when none was. */
  activeModel(): Promise<ActiveModelRecord | null>;
  /** Records the model every server of the store is to serve; returns the record. */
  setActiveModel(model: string): Promise<ActiveModelRecord>;
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
  /** Each product's description (its name for people), for the products that have one. */
  productDescriptions(): Promise<Map<string, string>>;
  /**
   * One customer's events in time order; when `since` is given only those after it (e.g. events since
   * training), and, when `receivedAfter` is also given, live events that arrived after that time
   * whatever their timestamp (an event a client stamped before the cut-off still counts as new).
   */
  customerEvents(customerId: string, since?: Date, receivedAfter?: Date): Promise<EventBatch>;
  /** One customer's latest `limit` events, newest first, with the live log's event id and arrival time (null for loaded events). */
  recentEvents(customerId: string, limit: number): Promise<StoredEvent[]>;
  /** The products a customer holds in the store's latest snapshot month (month null when the store holds no snapshots). */
  snapshotOf(customerId: string): Promise<SnapshotHoldings>;
  /** The products a customer holds now: its latest monthly snapshot, changed by acquire and drop events since (sorted). */
  holdingsOf(customerId: string): Promise<string[]>;
  /** Offers, retired ones included, sorted by id; optionally one offer or one product's. */
  offers(filter?: OfferFilter): Promise<StoredOffer[]>;
  /**
   * Adds an offer (checkOffer's rules; its product must exist: PRODUCT_NOT_FOUND); OFFER_CONFLICT when
   * the id is taken, retired offers included.
   */
  createOffer(offer: Offer): Promise<StoredOffer>;
  /** Changes an offer's fields (the result must pass the same rules); OFFER_NOT_FOUND, or OFFER_CONFLICT when it is retired. */
  updateOffer(offerId: string, changes: OfferChanges): Promise<StoredOffer>;
  /** Retires an offer from `at` on (kept, never deleted); retiring it again changes nothing. OFFER_NOT_FOUND when unknown. */
  retireOffer(offerId: string, at: Date): Promise<StoredOffer>;
  /** Every product's type ('' when none is known), by product id. */
  productTypes(): Promise<Map<string, string>>;
  /** Each customer's latest holdings snapshot (Santander-style months), by customer id; customers without holdings are left out. */
  latestHoldings(): AsyncIterable<CustomerHoldings[]>;
  /** The customers with events after `since` (exclusive) or, when given, received after `receivedAfter`: those with live events since a model's training. */
  customersWithEventsSince(since: Date, receivedAfter?: Date): Promise<Set<string>>;
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
