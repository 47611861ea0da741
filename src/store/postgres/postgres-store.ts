// The shared PostgreSQL store (--store postgres://USER@HOST:PORT/DB): several processes (replicas of
// `nextbest serve`, a training, a load) use one database at once. A writer creates the database when it
// is missing and applies the schema's migrations (migrations.ts); loads stage in DuckDB and COPY in
// (staging.ts), then merge in one transaction (merge.ts), one load at a time across processes; the
// live log's idempotency is the events table's unique event id (live-log.ts). Errors from an
// unreachable server are STORE_UNAVAILABLE, and every query takes a connection from the pool anew, so
// the store works again by itself once PostgreSQL is back.
import { join, resolve } from 'node:path';
import type pg from 'pg';
import { NextbestError } from '../../core/errors.js';
import type { Attributes, EventType, Offer } from '../../data/model.js';
import type { AttributeRow, EventBatch, HoldingBatch } from '../../data/rows.js';
import type { Loader } from '../../data/sink.js';
import { IngestRun, type CommittedLoad } from '../ingest-run.js';
import type { OfferChanges, OfferFilter, StoredOffer } from '../offers.js';
import type { StoreStats } from '../stats.js';
import type {
  ActiveModelRecord,
  CustomerHoldings,
  IngestOptions,
  IngestReport,
  LiveEventLog,
  LiveEventLogOptions,
  OwnerApi,
  SnapshotHoldings,
  Store,
  StoreCounts,
  StoreMode,
  StoreOptions,
  StoredEvent,
} from '../store.js';
import { createPool, firstConnect, storeError, withoutPassword, type StoreAccess } from './connection.js';
import { PgLiveEventLog } from './live-log.js';
import { INGEST_LOCK, mergeStaged } from './merge.js';
import { migrate, schemaVersion } from './migrations.js';
import { createOffer, readOffers, retireOffer, updateOffer } from './offers.js';
import { customerEvents, customersWithEventsSince, holdingsOf, recentEvents, scanAttributes, scanEvents, scanHoldings, scanIds, scanLatestHoldings, snapshotOf } from './scan.js';
import { stageLoad } from './staging.js';
import { storeStats } from './stats.js';

/** Wraps a scan so an unreachable server surfaces as STORE_UNAVAILABLE. */
async function* guarded<T>(location: string, it: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* it;
  } catch (e) {
    throw storeError(location, e, 'read');
  }
}

export class PostgresStore implements Store {
  /** Several processes (server replicas, loads, trainings) use one PostgreSQL store at once. */
  readonly shared = true;
  private readonly logs = new Set<PgLiveEventLog>();
  private closing: Promise<void> | null = null;

  private constructor(
    readonly location: string,
    readonly mode: StoreMode,
    /** The store's connection pool: every query takes a connection from it anew. */
    private readonly pool: pg.Pool,
    private readonly memoryLimit: string,
  ) {}

  static async open(url: string, opts: StoreOptions = {}): Promise<PostgresStore> {
    const mode = opts.mode ?? 'write';
    const location = withoutPassword(url);
    const pool = createPool(url, mode);
    try {
      await firstConnect(url, location, pool, mode, opts.create ?? true);
      if (mode === 'write') await migrate(pool);
      else if ((await schemaVersion(pool)) === 0) {
        throw new NextbestError('BAD_STORE', `${location} is not a nextbest store; pass --store with a store that nextbest ingest or nextbest start made`);
      }
      return new PostgresStore(location, mode, pool, opts.memoryLimit ?? '1GB');
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw storeError(location, e);
    }
  }

  private mustWrite(what: string): void {
    if (this.mode === 'read') throw new NextbestError('STORE_READ_ONLY', `the store ${this.location} is open read-only; open it for writing to ${what}`);
  }

  /** Runs `work` (a read unless it says otherwise), an unreachable server becoming STORE_UNAVAILABLE. */
  private async run<T>(work: () => Promise<T>, access: StoreAccess = 'read'): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw storeError(this.location, e, access);
    }
  }

  activeModel(): Promise<ActiveModelRecord | null> {
    return this.run(async () => {
      const r = await this.pool.query<{ model: string; at: number }>({
        name: 'active-model',
        text: `SELECT model, (extract(epoch FROM activated_at) * 1000)::float8 AS at FROM active_model`,
      });
      const row = r.rows[0];
      return row ? { model: row.model, activatedAt: new Date(Math.round(row.at)) } : null;
    });
  }

  async setActiveModel(model: string): Promise<ActiveModelRecord> {
    this.mustWrite('record the active model');
    return this.run(async () => {
      const r = await this.pool.query<{ at: number }>(
        `INSERT INTO active_model (model, activated_at) VALUES ($1, clock_timestamp() AT TIME ZONE 'UTC')
         ON CONFLICT (one) DO UPDATE SET model = excluded.model, activated_at = excluded.activated_at
         RETURNING (extract(epoch FROM activated_at) * 1000)::float8 AS at`,
        [model],
      );
      return { model, activatedAt: new Date(Math.round(r.rows[0].at)) };
    }, 'write');
  }

  /** Whether PostgreSQL answers now (the server's /ready). */
  async reachable(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async ingest(loader: Loader, input: string, opts: IngestOptions = {}): Promise<IngestReport> {
    this.mustWrite('load into it');
    const run = new IngestRun(loader, input, opts, join('.nextbest', 'rejects'));
    const client = await this.run(() => this.pool.connect(), 'write');
    let broken = false;
    let committed: CommittedLoad;
    try {
      await client.query('BEGIN');
      const { loaded, staged } = await stageLoad(client, loader, input, opts, run.rejects, this.memoryLimit);
      await client.query('SELECT pg_advisory_xact_lock($1)', [INGEST_LOCK]);
      const added = await mergeStaged(client);
      const rejectsFile = run.rejects.close();
      await client.query(
        `INSERT INTO ingests VALUES (now() AT TIME ZONE 'UTC', $1, $2, $3, $4, $5)`,
        [loader.format, resolve(input), loaded.accepted, loaded.rejected, rejectsFile],
      );
      await client.query('COMMIT');
      committed = { loaded, rejectsFile, staged, added };
    } catch (e) {
      run.rejects.close();
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw storeError(this.location, e);
    } finally {
      client.release(broken);
    }
    // After the COMMIT: a failure to count is a failed read, never "nothing was stored".
    return run.report(committed, await this.counts());
  }

  counts(): Promise<StoreCounts> {
    return this.run(async () => {
      const r = await this.pool.query<Record<keyof StoreCounts, string>>(`SELECT (SELECT count(*) FROM customers) AS customers,
        (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM offers) AS offers,
        (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM holdings) AS holdings`);
      const c = r.rows[0];
      return { customers: Number(c.customers), products: Number(c.products), offers: Number(c.offers), events: Number(c.events), holdings: Number(c.holdings) };
    });
  }

  async stats(): Promise<StoreStats> {
    const counts = await this.counts();
    return this.run(() => storeStats(this.pool, counts));
  }

  ids(entity: 'customer' | 'product'): AsyncIterable<string[]> {
    return guarded(this.location, scanIds(this.pool, entity));
  }

  events(types?: readonly EventType[]): AsyncIterable<EventBatch> {
    return guarded(this.location, scanEvents(this.pool, types));
  }

  attributes(entity: 'customer' | 'product'): AsyncIterable<AttributeRow[]> {
    return guarded(this.location, scanAttributes(this.pool, entity));
  }

  holdings(): AsyncIterable<HoldingBatch> {
    return guarded(this.location, scanHoldings(this.pool));
  }

  attributesOf(entity: 'customer' | 'product', id: string): Promise<Attributes | null> {
    const table = entity === 'customer' ? 'customers' : 'products';
    return this.run(async () => {
      const r = await this.pool.query<{ a: string }>({ name: `attributes-of-${entity}`, text: `SELECT attributes::text AS a FROM ${table} WHERE ${entity}_id = $1`, values: [id] });
      return r.rows.length ? (JSON.parse(r.rows[0].a) as Attributes) : null;
    });
  }

  productDescriptions(): Promise<Map<string, string>> {
    return this.run(async () => {
      const r = await this.pool.query<{ id: string; d: string }>(`SELECT product_id AS id, description AS d FROM products WHERE coalesce(description, '') <> ''`);
      return new Map(r.rows.map((x) => [x.id, x.d]));
    });
  }

  customerEvents(customerId: string, since?: Date, receivedAfter?: Date): Promise<EventBatch> {
    return this.run(() => customerEvents(this.pool, customerId, since, receivedAfter));
  }

  recentEvents(customerId: string, limit: number): Promise<StoredEvent[]> {
    return this.run(() => recentEvents(this.pool, customerId, limit));
  }

  snapshotOf(customerId: string): Promise<SnapshotHoldings> {
    return this.run(() => snapshotOf(this.pool, customerId));
  }

  holdingsOf(customerId: string): Promise<string[]> {
    return this.run(() => holdingsOf(this.pool, customerId));
  }

  offers(filter?: OfferFilter): Promise<StoredOffer[]> {
    return this.run(() => readOffers(this.pool, filter));
  }

  async createOffer(offer: Offer): Promise<StoredOffer> {
    this.mustWrite('add offers');
    return this.run(() => createOffer(this.pool, offer), 'write');
  }

  async updateOffer(offerId: string, changes: OfferChanges): Promise<StoredOffer> {
    this.mustWrite('change offers');
    return this.run(() => updateOffer(this.pool, offerId, changes), 'write');
  }

  async retireOffer(offerId: string, at: Date): Promise<StoredOffer> {
    this.mustWrite('retire offers');
    return this.run(() => retireOffer(this.pool, offerId, at), 'write');
  }

  productTypes(): Promise<Map<string, string>> {
    return this.run(async () => {
      const r = await this.pool.query<{ id: string; t: string }>(`SELECT product_id AS id, coalesce(type, '') AS t FROM products ORDER BY product_id`);
      return new Map(r.rows.map((x) => [x.id, x.t]));
    });
  }

  latestHoldings(): AsyncIterable<CustomerHoldings[]> {
    return guarded(this.location, scanLatestHoldings(this.pool));
  }

  customersWithEventsSince(since: Date, receivedAfter?: Date): Promise<Set<string>> {
    return this.run(() => customersWithEventsSince(this.pool, since, receivedAfter));
  }

  liveLog(opts: LiveEventLogOptions = {}): LiveEventLog {
    this.mustWrite('append live events');
    const log = new PgLiveEventLog(this.pool, this.location, opts, () => this.logs.delete(log));
    this.logs.add(log);
    return log;
  }

  /** Several processes share a PostgreSQL store: nobody holds it alone, so there is nothing to announce. */
  announceApi(_api: OwnerApi): void {
    this.mustWrite('announce an API');
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.logs].map((log) => log.close()));
      await this.pool.end();
    })();
    return this.closing;
  }
}
