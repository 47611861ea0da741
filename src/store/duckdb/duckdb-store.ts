// The embedded store: one DuckDB file (default .nextbest/store.duckdb in the working directory).
// Ingests stage rows in temporary tables and merge them in one transaction, so a failed or
// rejected load never changes what the store already holds. Commands that only read open it
// read-only, so several can share it; opening removes spill folders that interrupted runs left.
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { errorMessage, NextbestError } from '../core/errors.js';
import { fileStamp } from '../core/file-stamp.js';
import type { Attributes, EventType } from '../data/model.js';
import { RejectsFile } from '../data/rejects.js';
import type { Loader, LoadOptions } from '../data/sink.js';
import { count, mergeStaged, stagedCounts, type AddedCounts, type StagedCounts } from './merge.js';
import { SCHEMA_SQL, SCHEMA_VERSION, STAGING_TABLES } from './schema.js';
import { StagingSink } from './staging-sink.js';
import type { AttributeRow, EventBatch, TrainingSource } from '../data/rows.js';
import { scanAttributes, scanEvents, scanIds } from './scan.js';
import { removeStaleSpills, spillFolder, type StoreMode } from './spill.js';
import { literal } from './sql.js';
import { storeStats, type StoreStats } from './stats.js';

export type { StoreMode } from './spill.js';

export const DEFAULT_STORE = join('.nextbest', 'store.duckdb');

export interface StoreCounts {
  customers: number;
  products: number;
  offers: number;
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

export interface StoreOptions {
  /**
   * 'write' (the default) creates the store when it is missing and takes it for this process alone;
   * 'read' opens an existing store read-only (a read-only file will do) and shares it with other readers.
   */
  mode?: StoreMode;
  /** DuckDB memory limit, e.g. '1GB'; larger work spills to disk. */
  memoryLimit?: string;
  /** Told, in one line, what the open cleaned up (spill folders an interrupted run left). */
  notice?: (line: string) => void;
}

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

/** The one rule for --store, whatever the command: an existing store, or one to create, ending in .duckdb or .db. */
function checkStorePath(path: string, full: string, mode: StoreMode): void {
  if (!full.endsWith('.duckdb') && !full.endsWith('.db')) {
    throw new NextbestError('BAD_ARGUMENT', `--store ${path} is not a .duckdb file; pass a path ending in .duckdb (or .db)`);
  }
  if (mode === 'read' && !existsSync(full)) {
    throw new NextbestError(
      'NOT_FOUND',
      `the store ${path} does not exist; nextbest ingest INPUT or nextbest start creates one (or check --store)`,
      404,
    );
  }
  if (mode === 'write') {
    const readOnly = readOnlyPart(full);
    if (readOnly) {
      throw new NextbestError(
        'STORE_ERROR',
        `the store ${path} is read-only (${readOnly} cannot be written); stats, train, evaluate and the other commands that only read can use it, but to load into it make it writable or pass --store with another path`,
        403,
      );
    }
  }
}

async function createInstance(path: string, full: string, mode: StoreMode, memoryLimit: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(full, {
      access_mode: mode === 'read' ? 'READ_ONLY' : 'READ_WRITE',
      memory_limit: memoryLimit,
      temp_directory: spillFolder(full, mode),
    });
  } catch (e) {
    const msg = errorMessage(e);
    if (/lock/i.test(msg)) {
      const pid = /PID (\d+)/.exec(msg)?.[1];
      throw new NextbestError(
        'STORE_LOCKED',
        `the store ${path} is in use by another process${pid ? ` (pid ${pid})` : ''}; stop it or pass --store with another path`,
        409,
      );
    }
    throw new NextbestError('STORE_ERROR', `cannot open the store ${path}: ${msg.split('\n')[0]}`, 500);
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

export class Store implements TrainingSource {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string = DEFAULT_STORE, opts: StoreOptions = {}): Promise<Store> {
    const mode = opts.mode ?? 'write';
    const full = resolve(path);
    checkStorePath(path, full, mode);
    if (mode === 'write') mkdirSync(dirname(full), { recursive: true });
    const instance = await createInstance(path, full, mode, opts.memoryLimit ?? '1GB');
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
      const version = await conn.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema_version'`);
      if (version.getRows().length === 0) await conn.run(`INSERT INTO meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
    } else if (!(await isNextbestStore(conn))) {
      conn.closeSync();
      instance.closeSync();
      throw new NextbestError('STORE_ERROR', `${path} is not a nextbest store; pass --store with a store that nextbest ingest or nextbest start made`);
    }
    return new Store(full, instance, conn);
  }

  get dir(): string {
    return dirname(this.path);
  }

  /** A new connection to the same database, for work that needs its own transactions (e.g. LiveEventLog). */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async ingest(loader: Loader, input: string, opts: IngestOptions = {}): Promise<IngestReport> {
    const started = performance.now();
    if (!existsSync(input)) {
      throw new NextbestError('FILE_NOT_FOUND', `${input} does not exist; check the path`);
    }
    const rejects = new RejectsFile(
      opts.rejectsPath ?? join(this.dir, 'rejects', `${basename(input)}-${fileStamp()}.rejects.csv`),
    );
    const conn = this.connection;
    const sink = await StagingSink.open(conn, rejects);
    let inTransaction = false;
    try {
      const loaded = await loader.load(input, sink, opts);
      sink.close();
      await conn.run('BEGIN TRANSACTION');
      inTransaction = true;
      const staged = await stagedCounts(conn);
      const added = await mergeStaged(conn);
      const rejectsFile = rejects.close();
      await conn.run(
        `INSERT INTO ingests VALUES (now(), $format, $source, $accepted, $rejected, $rejects)`,
        { format: loader.format, source: resolve(input), accepted: loaded.accepted, rejected: loaded.rejected, rejects: rejectsFile },
      );
      await conn.run('COMMIT');
      inTransaction = false;
      return {
        format: loader.format,
        source: input,
        accepted: loaded.accepted,
        rejected: loaded.rejected,
        rejectsFile,
        ...staged,
        added,
        store: await this.counts(),
        seconds: (performance.now() - started) / 1000,
      };
    } catch (e) {
      if (inTransaction) await conn.run('ROLLBACK');
      sink.close();
      rejects.close();
      throw e;
    } finally {
      await conn.run(STAGING_TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join('\n'));
    }
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

  /** All customer or product ids, sorted. */
  ids(entity: 'customer' | 'product'): AsyncIterable<string[]> {
    return scanIds(this.connection, entity);
  }

  /** Events in time order, in columnar batches; optionally only some types. */
  events(types?: readonly EventType[]): AsyncIterable<EventBatch> {
    return scanEvents(this.connection, types);
  }

  attributes(entity: 'customer' | 'product'): AsyncIterable<AttributeRow[]> {
    return scanAttributes(this.connection, entity);
  }

  /** One customer's or product's attributes, or null when the store does not know it. */
  async attributesOf(entity: 'customer' | 'product', id: string): Promise<Attributes | null> {
    const table = entity === 'customer' ? 'customers' : 'products';
    const r = await this.connection.runAndReadAll(
      `SELECT CAST(attributes AS VARCHAR) FROM ${table} WHERE ${entity}_id = $id`,
      { id },
    );
    const rows = r.getRows();
    return rows.length ? (JSON.parse(String(rows[0][0])) as Attributes) : null;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
