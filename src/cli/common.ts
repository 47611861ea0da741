// Options every command shares, and opening the store they name: read-only unless the command
// writes to it (ingest, start), with the memory limit NEXTBEST_MEMORY_LIMIT sets.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { StoreAccess } from '../app/store-access.js';
import { NextbestError } from '../core/errors.js';
import { DEFAULT_STORE, openStore, type Store, type StoreMode } from '../store/index.js';
import { isPostgresUrl } from '../store/open-store.js';

export interface CommonOptions {
  store: string;
  json?: boolean;
  /** The command being run, e.g. 'nextbest ingest' (set before its action). */
  command?: string;
}

export const withCommon = (cmd: Command): Command =>
  cmd
    .option('--store <path|url>', 'the store: a DuckDB file, or postgres://USER@HOST:PORT/DB shared by several processes (default: NEXTBEST_STORE, else .nextbest/store.duckdb)', process.env.NEXTBEST_STORE?.trim() || DEFAULT_STORE)
    .option('--json', 'print machine-readable JSON on stdout')
    // Who opens the store: a writer records it beside the store for the commands it refuses.
    .hook('preAction', (_, action) => {
      action.setOptionValue('command', `nextbest ${action.name()}`);
    })
    .hook('postAction', closeHeldStores);

const notice = (line: string): void => {
  process.stderr.write(`nextbest: ${line}\n`);
};

/** DuckDB's memory limit from NEXTBEST_MEMORY_LIMIT (e.g. 512MB, 4GB); the store's default when unset. */
function memoryLimit(): string | undefined {
  const value = process.env.NEXTBEST_MEMORY_LIMIT?.trim();
  if (!value) return undefined;
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value)) {
    throw new NextbestError('BAD_OPTION', `NEXTBEST_MEMORY_LIMIT=${value} is not a size; use a number and a unit, e.g. 512MB or 4GB`);
  }
  return value;
}

export async function withStore<T>(opts: CommonOptions, work: (store: Store) => Promise<T>, mode: StoreMode = 'read'): Promise<T> {
  const store = await openStore(opts.store, { mode, command: opts.command, memoryLimit: memoryLimit(), notice });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The store the running command holds, by path: opened on first use, closed when the command ends. */
const held = new Map<string, { store: Store; mode: StoreMode }>();

async function heldStore(opts: CommonOptions, mode: StoreMode): Promise<Store> {
  const h = held.get(opts.store);
  if (h && (h.mode === 'write' || mode === 'read')) return h.store; // a writer reads too
  if (h) {
    held.delete(opts.store);
    await h.store.close();
  }
  const store = await openStore(opts.store, { mode, command: opts.command, memoryLimit: memoryLimit(), notice });
  held.set(opts.store, { store, mode });
  return store;
}

/** Closes what the command held (after its action, and before an error is printed). */
export async function closeHeldStores(): Promise<void> {
  const stores = [...held.values()];
  held.clear();
  for (const h of stores) await h.store.close();
}

/**
 * The app's way to the store a command names: one open for the whole command, however many steps
 * read it (a training run reads events, then attributes per model), instead of one open per step.
 */
export const storeAccess = (opts: CommonOptions): StoreAccess => ({
  name: opts.store,
  // A PostgreSQL store is there to ask (opening it says when it is not).
  exists: () => isPostgresUrl(opts.store) || existsSync(opts.store),
  use: async (work, mode = 'read') => work(await heldStore(opts, mode)),
});
