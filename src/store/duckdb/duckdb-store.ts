// The embedded DuckDB store: one file (default .nextbest/store.duckdb in the working directory).
// Ingests stage rows in temporary tables and merge them in one transaction, so a failed or
// rejected load never changes what the store already holds. Commands that only read open it
// read-only, so several can share it; a writer has it alone and records who it is (owner.ts);
// opening removes spill folders that interrupted runs left.
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { errorMessage, NextbestError } from '../../core/errors.js';
import type { Attributes, EventType, Offer } from '../../data/model.js';
import type { AttributeRow, EventBatch, HoldingBatch } from '../../data/rows.js';
import type { Loader } from '../../data/sink.js';
import { IngestRun, type CommittedLoad } from '../ingest-run.js';
import type { OfferChanges, OfferFilter, StoredOffer } from '../offers.js';
import type { StoreStats } from '../stats.js';
import type {
  ActiveModelRecord,
  CustomerHoldings,
  SnapshotHoldings,
  IngestOptions,
  IngestReport,
  LiveEventLog,
  LiveEventLogOptions,
  OwnerApi,
  Store,
  StoreCounts,
  StoreMode,
  StoreOptions,
  StoredEvent,
} from '../store.js';
import { LiveIds } from './live-ids.js';
import { DuckDBLiveEventLog } from './live-log.js';
import { count, mergeStaged, stagedCounts } from './merge.js';
import { createOffer, holdingsOf, readOffers, retireOffer, updateOffer } from './offers.js';
import { lockedError, readOwner, removeOwner, writeOwner, type OwnerRecord } from './owner.js';
import { customerEvents, customersWithEventsSince, recentEvents, scanAttributes, scanEvents, scanHoldings, scanIds, scanLatestHoldings, snapshotOf } from './scan.js';
import { MIGRATE_SQL, SCHEMA_SQL, SCHEMA_VERSION, STAGING_TABLES } from './schema.js';
import { removeStaleSpills, spillFolder } from './spill.js';
import { literal } from './sql.js';
import { StagingSink } from './staging-sink.js';
import { storeStats } from './stats.js';

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** What keeps this process from writing a store (DuckDB also writes a .wal file beside it), if anything. */
function readOnlyPart(full: string): 'the file' | 'its folder' | null {
  if (existsSync(full) && !writable(full)) return 'the file';
  if (existsSync(dirname(full)) && !writable(dirname(full))) return 'its folder';
  return null;
}

/** The --store rule for a DuckDB file (openStore checked its name): an existing store to read, or a writable one to load into. */
function checkStorePath(path: string, full: string, mode: StoreMode, create: boolean): void {
  if ((mode === 'read' || !create) && !existsSync(full)) {
    throw new NextbestError(
      'STORE_MISSING',
      `the store ${path} does not exist; nextbest ingest INPUT or nextbest start creates one (or check --store)`,
    );
  }
  if (mode === 'write') {
    const readOnly = readOnlyPart(full);
    if (readOnly) {
      throw new NextbestError(
        'STORE_READ_ONLY',
        `the store ${path} is read-only (${readOnly} cannot be written); stats, train, evaluate and the other commands that only read can use it, but to load into it make it writable or pass --store with another path`,
      );
    }
  }
}

async function createInstance(path: string, full: string, mode: StoreMode, opts: StoreOptions): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(full, {
      access_mode: mode === 'read' ? 'READ_ONLY' : 'READ_WRITE',
      memory_limit: opts.memoryLimit ?? '1GB',
      temp_directory: spillFolder(full, mode),
    });
  } catch (e) {
    const msg = errorMessage(e);
    if (/lock/i.test(msg)) {
      const pid = /PID (\d+)/.exec(msg)?.[1];
      throw lockedError(path, full, pid === undefined ? null : Number(pid), opts.command);
    }
    throw new NextbestError('BAD_STORE', `cannot open the store ${path}: ${msg.split('\n')[0]}`);
  }
}

/** The tables a store holds, as SCHEMA_SQL creates them. */
const TABLES = Array.from(SCHEMA_SQL.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g), (m) => m[1]);

/** Whether a database holds every table of a store (a read-only open cannot create them). */
async function isNextbestStore(conn: DuckDBConnection): Promise<boolean> {
  const r = await conn.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN (${TABLES.map(literal).join(', ')})`,
  );
  return Number(r.getRows()[0][0]) === TABLES.length;
}

/** Whether the events table has the columns schema 2 added (a writer adds them at open). */
async function hasLiveColumns(conn: DuckDBConnection): Promise<boolean> {
  const r = await conn.runAndReadAll(
    `SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'events' AND column_name IN ('event_id', 'received')`,
  );
  return Number(r.getRows()[0][0]) === 2;
}

const defaultCommand = (): string => basename(process.argv[1] ?? process.argv0);

export class DuckDBStore implements Store {
  /** One writer holds an embedded store: nothing changes it behind this process's back. */
  readonly shared = false;
  private readonly logs = new Set<DuckDBLiveEventLog>();
  private readonly liveIds = new LiveIds();
  private closing: Promise<void> | null = null;
  /** Each streamed scan gets a connection of its own (see scan.ts). */
  private readonly scanConnection = (): Promise<DuckDBConnection> => this.instance.connect();

  private constructor(
    readonly location: string,
    /** The store file's absolute path. */
    readonly path: string,
    readonly mode: StoreMode,
    private readonly instance: DuckDBInstance,
    /** The store's connection; tests inspect the file through it. */
    readonly connection: DuckDBConnection,
    /** Whether events carry the live log's event id and arrival time (schema 2; a store of schema 1 opened read-only does not). */
    private readonly liveColumns: boolean,
  ) {}

  static async open(path: string, opts: StoreOptions = {}): Promise<DuckDBStore> {
    const mode = opts.mode ?? 'write';
    const full = resolve(path);
    checkStorePath(path, full, mode, opts.create ?? true);
    if (mode === 'write') mkdirSync(dirname(full), { recursive: true });
    const instance = await createInstance(path, full, mode, opts);
    // Holding the lock, a writer is the store's only process: any owner record beside it is stale.
    if (mode === 'write') writeOwner(full, { pid: process.pid, command: opts.command ?? defaultCommand(), since: new Date().toISOString() });
    try {
      // Holding the store now, this process can tell which spill folders nobody owns.
      const removed = removeStaleSpills(full, mode);
      if (removed.folders.length) {
        const mb = (removed.bytes / 1e6).toFixed(removed.bytes < 10e6 ? 1 : 0);
        opts.notice?.(`removed ${mb} MB of temporary files left by an interrupted run (${removed.folders.join(', ')})`);
      }
      const conn = await instance.connect();
      // Insertion order is not needed (scans sort explicitly) and keeping it costs memory on big loads.
      await conn.run(`SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET preserve_insertion_order = false;`);
      if (mode === 'write') {
        await conn.run(SCHEMA_SQL);
        await conn.run(MIGRATE_SQL);
        const version = await conn.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema_version'`);
        const known = version.getRows()[0]?.[0];
        if (known === undefined) await conn.run(`INSERT INTO meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
        else if (known !== String(SCHEMA_VERSION)) await conn.run(`UPDATE meta SET value = '${SCHEMA_VERSION}' WHERE key = 'schema_version'`);
      } else if (!(await isNextbestStore(conn))) {
        conn.closeSync();
        throw new NextbestError('BAD_STORE', `${path} is not a nextbest store; pass --store with a store that nextbest ingest or nextbest start made`);
      }
      return new DuckDBStore(path, full, mode, instance, conn, await hasLiveColumns(conn));
    } catch (e) {
      // A process that goes on (a server) must not keep the store it failed to open.
      instance.closeSync();
      if (mode === 'write') removeOwner(full);
      throw e;
    }
  }

  get dir(): string {
    return dirname(this.path);
  }

  private mustWrite(what: string): void {
    if (this.mode === 'read') {
      throw new NextbestError('STORE_READ_ONLY', `the store ${this.location} is open read-only; open it for writing to ${what}`);
    }
  }

  async ingest(loader: Loader, input: string, opts: IngestOptions = {}): Promise<IngestReport> {
    this.mustWrite('load into it');
    const run = new IngestRun(loader, input, opts, join(this.dir, 'rejects'));
    const conn = this.connection;
    const sink = await StagingSink.open(conn, run.rejects);
    let inTransaction = false;
    let committed: CommittedLoad;
    try {
      const loaded = await loader.load(input, sink, opts);
      sink.close();
      await conn.run('BEGIN TRANSACTION');
      inTransaction = true;
      const staged = await stagedCounts(conn);
      const added = await mergeStaged(conn);
      const rejectsFile = run.rejects.close();
      await conn.run(
        `INSERT INTO ingests VALUES (now(), $format, $source, $accepted, $rejected, $rejects)`,
        { format: loader.format, source: resolve(input), accepted: loaded.accepted, rejected: loaded.rejected, rejects: rejectsFile },
      );
      await conn.run('COMMIT');
      inTransaction = false;
      committed = { loaded, rejectsFile, staged, added };
    } catch (e) {
      if (inTransaction) await conn.run('ROLLBACK');
      sink.close();
      run.rejects.close();
      throw e;
    } finally {
      await conn.run(STAGING_TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join('\n'));
    }
    return run.report(committed, await this.counts());
  }

  async reachable(): Promise<boolean> {
    try {
      await this.connection.run('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async activeModel(): Promise<ActiveModelRecord | null> {
    // A store of an earlier schema opened read-only has no such table: nothing was recorded.
    const exists = await this.connection.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'active_model'`);
    if (Number(exists.getRows()[0][0]) === 0) return null;
    const r = await this.connection.runAndReadAll(`SELECT model, epoch_ms(activated_at) FROM active_model`);
    const row = r.getRows()[0];
    return row ? { model: String(row[0]), activatedAt: new Date(Number(row[1])) } : null;
  }

  async setActiveModel(model: string): Promise<ActiveModelRecord> {
    this.mustWrite('record the active model');
    const activatedAt = new Date();
    // One statement: concurrent activations on the store's one connection cannot interleave.
    await this.connection.run('INSERT OR REPLACE INTO active_model VALUES (true, $model, epoch_ms($at::BIGINT))', { model, at: activatedAt.getTime() });
    return { model, activatedAt };
  }

  async counts(): Promise<StoreCounts> {
    const c = this.connection;
    return {
      customers: await count(c, 'customers'),
      products: await count(c, 'products'),
      offers: await count(c, 'offers'),
      events: await count(c, 'events'),
      holdings: await count(c, 'holdings'),
    };
  }

  async stats(): Promise<StoreStats> {
    return storeStats(this.connection, await this.counts());
  }

  ids(entity: 'customer' | 'product'): AsyncIterable<string[]> {
    return scanIds(this.scanConnection, entity);
  }

  events(types?: readonly EventType[]): AsyncIterable<EventBatch> {
    return scanEvents(this.scanConnection, types);
  }

  attributes(entity: 'customer' | 'product'): AsyncIterable<AttributeRow[]> {
    return scanAttributes(this.scanConnection, entity);
  }

  holdings(): AsyncIterable<HoldingBatch> {
    return scanHoldings(this.scanConnection);
  }

  async attributesOf(entity: 'customer' | 'product', id: string): Promise<Attributes | null> {
    const table = entity === 'customer' ? 'customers' : 'products';
    const r = await this.connection.runAndReadAll(
      `SELECT CAST(attributes AS VARCHAR) FROM ${table} WHERE ${entity}_id = $id`,
      { id },
    );
    const rows = r.getRows();
    return rows.length ? (JSON.parse(String(rows[0][0])) as Attributes) : null;
  }

  async productDescriptions(): Promise<Map<string, string>> {
    const r = await this.connection.runAndReadAll(`SELECT product_id, description FROM products WHERE coalesce(description, '') <> ''`);
    return new Map(r.getRows().map(([id, description]) => [String(id), String(description)]));
  }

  customerEvents(customerId: string, since?: Date, receivedAfter?: Date): Promise<EventBatch> {
    // A store without arrival times (schema 1, read-only) has live events only by their timestamps.
    return customerEvents(this.scanConnection, customerId, since, this.liveColumns ? receivedAfter : undefined);
  }

  recentEvents(customerId: string, limit: number): Promise<StoredEvent[]> {
    return recentEvents(this.connection, customerId, limit, this.liveColumns);
  }

  snapshotOf(customerId: string): Promise<SnapshotHoldings> {
    return snapshotOf(this.connection, customerId);
  }

  holdingsOf(customerId: string): Promise<string[]> {
    return holdingsOf(this.connection, customerId);
  }

  offers(filter?: OfferFilter): Promise<StoredOffer[]> {
    return readOffers(this.connection, filter);
  }

  async createOffer(offer: Offer): Promise<StoredOffer> {
    this.mustWrite('add offers');
    return createOffer(this.connection, offer);
  }

  async updateOffer(offerId: string, changes: OfferChanges): Promise<StoredOffer> {
    this.mustWrite('change offers');
    return updateOffer(this.connection, offerId, changes);
  }

  async retireOffer(offerId: string, at: Date): Promise<StoredOffer> {
    this.mustWrite('retire offers');
    return retireOffer(this.connection, offerId, at);
  }

  async productTypes(): Promise<Map<string, string>> {
    const r = await this.connection.runAndReadAll(`SELECT product_id, coalesce(type, '') FROM products ORDER BY product_id`);
    return new Map(r.getRows().map(([id, type]) => [String(id), String(type)]));
  }

  latestHoldings(): AsyncIterable<CustomerHoldings[]> {
    return scanLatestHoldings(this.scanConnection);
  }

  customersWithEventsSince(since: Date, receivedAfter?: Date): Promise<Set<string>> {
    return customersWithEventsSince(this.scanConnection, since, this.liveColumns ? receivedAfter : undefined);
  }

  liveLog(opts: LiveEventLogOptions = {}): LiveEventLog {
    this.mustWrite('append live events');
    // Each log commits on a connection of its own, so its transactions do not mix with ingests.
    const log = new DuckDBLiveEventLog(this.path, () => this.instance.connect(), this.liveIds, opts, () => this.logs.delete(log));
    this.logs.add(log);
    return log;
  }

  announceApi(api: OwnerApi): void {
    this.mustWrite('announce an API');
    const owner = readOwner(this.path);
    const record: OwnerRecord = owner?.pid === process.pid ? owner : { pid: process.pid, command: defaultCommand(), since: new Date().toISOString() };
    writeOwner(this.path, { ...record, api });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.logs].map((log) => log.close()));
      this.connection.closeSync();
      this.instance.closeSync();
      if (this.mode === 'write') removeOwner(this.path);
    })();
    return this.closing;
  }
}
