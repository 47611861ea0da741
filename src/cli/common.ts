// Options every command shares, and opening the store they name.
import type { Command } from 'commander';
import { DEFAULT_STORE, Store } from '../store/store.js';

export interface CommonOptions {
  store: string;
  json?: boolean;
}

export const withCommon = (cmd: Command): Command =>
  cmd
    .option('--store <path>', 'the store file (DuckDB)', DEFAULT_STORE)
    .option('--json', 'print machine-readable JSON on stdout');

export async function withStore<T>(opts: CommonOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(opts.store);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}
