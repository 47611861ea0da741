// Connecting to a PostgreSQL store: the URL as --store names it, a pool of connections (read-only
// sessions for a reader), the database created when a writer names one that does not exist, and
// PostgreSQL's failures as nextbest errors: an unreachable server is STORE_UNAVAILABLE (503), a missing
// database STORE_MISSING, a login or right the server refuses BAD_STORE.
import pg from 'pg';
import { errorMessage, NextbestError } from '../../core/errors.js';
import type { StoreMode } from '../store.js';

/** A URL as it may be printed: without the password. */
export const withoutPassword = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^/@]*@/i, '$1:***@');

/** Connections per process: a server's concurrent requests, streamed scans and the live log's commits. */
const POOL_SIZE = 12;

/** SQLSTATE codes (and Node socket errors) that mean the server cannot be reached or went away. */
const UNREACHABLE = /^(08|57P0[1-3]|53300)|^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)$/;

/** SQLSTATE codes that mean the server refuses the user: a wrong password (28P01), no pg_hba.conf entry (28000), a missing right such as CREATEDB (42501). */
const REFUSED = /^(28|42501$)/;

const sqlState = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

const isUnreachable = (e: unknown): boolean =>
  UNREACHABLE.test(sqlState(e) ?? '') || /Connection terminated|connection timeout|Client has encountered a connection error/i.test(errorMessage(e));

/** What the failed call was: a write (a load, a live event, an offer) or a read. */
export type StoreAccess = 'write' | 'read';

/** A PostgreSQL failure as a nextbest error (kept as is when it is one already). */
export function storeError(location: string, e: unknown, access: StoreAccess = 'write'): Error {
  if (e instanceof NextbestError) return e;
  const msg = errorMessage(e).split('\n')[0];
  if (isUnreachable(e)) {
    const what = access === 'write' ? `is unreachable (${msg}); nothing was stored,` : `did not answer (${msg});`;
    return new NextbestError('STORE_UNAVAILABLE', `the store ${location} ${what} retry when PostgreSQL is back`);
  }
  if (REFUSED.test(sqlState(e) ?? '')) {
    return new NextbestError('BAD_STORE', `PostgreSQL refuses the store ${location} (${msg}); check the user, password and rights in --store`);
  }
  return e instanceof Error ? e : new Error(msg);
}

export function createPool(url: string, mode: StoreMode): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    // A reader's sessions refuse writes in PostgreSQL itself, not only in nextbest's checks.
    options: mode === 'read' ? '-c default_transaction_read_only=on' : undefined,
    application_name: 'nextbest',
  });
  // An idle connection the server dropped (a restart) is replaced at the next query; no crash.
  pool.on('error', () => undefined);
  return pool;
}

/** Connects once, creating the database first when a writer names one that does not exist. */
export async function firstConnect(url: string, location: string, pool: pg.Pool, mode: StoreMode, create: boolean): Promise<void> {
  try {
    (await pool.connect()).release();
  } catch (e) {
    if ((e as { code?: string }).code !== '3D000') throw storeError(location, e);
    const db = decodeURIComponent(new URL(url).pathname.slice(1));
    if (mode === 'read' || !create) {
      throw new NextbestError('STORE_MISSING', `the store ${location} does not exist (no database ${db}); nextbest ingest INPUT or nextbest start creates one (or check --store)`);
    }
    await createDatabase(url, db);
    (await pool.connect()).release();
  }
}

async function createDatabase(url: string, db: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(db)}`);
  } catch (e) {
    // Another process created it at the same time: 42P04, or 23505 when both passed the existence check.
    const code = (e as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw e;
  } finally {
    await client.end();
  }
}
