// The spill folders beside a store: DuckDB writes what does not fit in its memory limit to
// <store>.tmp when the store is open for writing, and to <store>.read-<pid>.tmp for each read-only
// open (readers share a store, so they must not share spill files). A run killed with kill -9 leaves
// its folder behind; the next open removes every folder that no running process can own.
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { StoreMode } from '../store.js';
import { running } from './running.js';

/** Where DuckDB spills for a store opened in this mode by this process. */
export const spillFolder = (store: string, mode: StoreMode): string =>
  mode === 'write' ? `${store}.tmp` : `${store}.read-${process.pid}.tmp`;

export interface RemovedSpill {
  /** Folder names (beside the store), sorted. */
  folders: string[];
  bytes: number;
}

function bytesUnder(path: string): number {
  const s = lstatSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((sum, f) => sum + bytesUnder(join(path, f)), 0) : s.size;
}

/**
 * Removes the spill folders left by runs that ended without closing the store. Call it while holding
 * the store: a writer holds it alone, so every spill folder is stale; a reader shares it with readers
 * only, so the writer's folder and those of readers no longer running are stale. Folders that cannot
 * be removed (no permission) are left as they are.
 */
export function removeStaleSpills(store: string, mode: StoreMode): RemovedSpill {
  const name = basename(store);
  const readerPrefix = `${name}.read-`;
  const stale = (f: string): boolean => {
    if (f === `${name}.tmp`) return true;
    if (!f.startsWith(readerPrefix) || !f.endsWith('.tmp')) return false;
    const pid = f.slice(readerPrefix.length, -'.tmp'.length);
    if (!/^\d+$/.test(pid)) return false;
    return mode === 'write' || (Number(pid) !== process.pid && !running(Number(pid)));
  };
  const removed: RemovedSpill = { folders: [], bytes: 0 };
  let names: string[];
  try {
    names = readdirSync(dirname(store));
  } catch {
    return removed; // a folder we may open files in but not list
  }
  for (const f of names.filter(stale).sort()) {
    const path = join(dirname(store), f);
    try {
      const bytes = bytesUnder(path);
      rmSync(path, { recursive: true });
      removed.folders.push(f);
      removed.bytes += bytes;
    } catch {
      // not ours to remove (permissions), or removed meanwhile
    }
  }
  return removed;
}
