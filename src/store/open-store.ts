// Opening a store by location, the one rule for --store whatever the command: a path ending in
// .duckdb or .db is the embedded DuckDB store; a postgres:// or postgresql:// URL is a PostgreSQL
// database that several processes share.
import { NextbestError } from '../core/errors.js';
import { DuckDBStore } from './duckdb/duckdb-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { withoutPassword } from './postgres/connection.js';
import { DEFAULT_STORE, type Store, type StoreOptions } from './store.js';

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

export async function openStore(location: string = DEFAULT_STORE, opts: StoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    try {
      new URL(location);
    } catch {
      throw new NextbestError('BAD_STORE', `--store ${withoutPassword(location)} is not a valid URL; pass postgres://USER@HOST:PORT/DATABASE`);
    }
    return PostgresStore.open(location, opts);
  }
  if (!location.endsWith('.duckdb') && !location.endsWith('.db')) {
    throw new NextbestError(
      'BAD_STORE',
      `--store ${withoutPassword(location)} is neither a .duckdb file nor a PostgreSQL URL; pass a path ending in .duckdb (or .db) or postgres://USER@HOST:PORT/DATABASE`,
    );
  }
  return DuckDBStore.open(location, opts);
}
