// Opening a store by location, the one rule for --store whatever the command: a path ending in
// .duckdb or .db is the embedded DuckDB store; a PostgreSQL URL names the shared backend to come.
import { NextbestError } from '../core/errors.js';
import { DuckDBStore } from './duckdb/duckdb-store.js';
import { DEFAULT_STORE, type Store, type StoreOptions } from './store.js';

/** A URL as it may be printed: without the password. */
const withoutPassword = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^/@]*@/i, '$1:***@');

export async function openStore(location: string = DEFAULT_STORE, opts: StoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    throw new NextbestError(
      'BAD_STORE',
      `--store ${withoutPassword(location)}: PostgreSQL stores are not supported yet; pass a path ending in .duckdb (or .db)`,
    );
  }
  if (!location.endsWith('.duckdb') && !location.endsWith('.db')) {
    throw new NextbestError('BAD_STORE', `--store ${withoutPassword(location)} is not a .duckdb file; pass a path ending in .duckdb (or .db)`);
  }
  return DuckDBStore.open(location, opts);
}
