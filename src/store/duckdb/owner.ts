// Who holds a DuckDB store. DuckDB lets one process write a file, so a writer (ingest, start, serve)
// records beside the store who it is (<store>.owner.json) until it closes the store; a command the
// file's lock refuses then says which process holds it and, when that process serves an API, where
// the same can be done. A record whose process has ended (kill -9) is ignored, and replaced by the
// next writer.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { NextbestError } from '../../core/errors.js';
import type { OwnerApi } from '../store.js';
import { running } from './running.js';

export interface OwnerRecord {
  pid: number;
  /** What the process runs, e.g. 'nextbest serve'. */
  command: string;
  /** When it took the store (ISO 8601). */
  since: string;
  api?: OwnerApi;
}

const ownerFile = (store: string): string => `${store}.owner.json`;

/** Records this process as the store's owner (replacing any earlier record, which can only be stale). */
export function writeOwner(store: string, record: OwnerRecord): void {
  const tmp = `${ownerFile(store)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record)}\n`);
  renameSync(tmp, ownerFile(store));
}

function isRecord(v: unknown): v is OwnerRecord {
  const r = v as OwnerRecord;
  return typeof r === 'object' && r !== null && Number.isInteger(r.pid) && typeof r.command === 'string' && typeof r.since === 'string';
}

/** The owner record, or null when there is none, it cannot be read, or its process has ended. */
export function readOwner(store: string): OwnerRecord | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(ownerFile(store), 'utf8'));
  } catch {
    return null;
  }
  return isRecord(parsed) && running(parsed.pid) ? parsed : null;
}

/** Removes the owner record if this process wrote it. */
export function removeOwner(store: string): void {
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(ownerFile(store), 'utf8'));
  } catch {
    return;
  }
  if (isRecord(record) && record.pid === process.pid) rmSync(ownerFile(store), { force: true });
}

const when = (iso: string): string => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

/** Where the owner's API does what `command` does: 'GET http://host/v1/stats', or its base URL. */
function apiHint(api: OwnerApi, command: string | undefined): string {
  const url = api.url.replace(/\/+$/, '');
  const route = command === undefined ? undefined : api.routes?.[command];
  if (route === undefined) return `its API at ${url} serves this store`;
  const [method, path] = route.includes(' ') ? route.split(/\s+/, 2) : ['', route];
  return `do the same through its API: ${method ? `${method} ` : ''}${url}${path}`;
}

/**
 * The one-line error for a store whose lock another process holds (pid as DuckDB reports it, when
 * it does), naming that process from its owner record when the record is its own.
 */
export function lockedError(path: string, store: string, lockPid: number | null, command?: string): NextbestError {
  const owner = readOwner(store);
  if (owner === null || (lockPid !== null && owner.pid !== lockPid)) {
    return new NextbestError(
      'STORE_LOCKED',
      `the store ${path} is in use by another process${lockPid === null ? '' : ` (pid ${lockPid})`}; stop it or pass --store with another path`,
    );
  }
  const api = owner.api ? `${apiHint(owner.api, command)}, or ` : '';
  return new NextbestError(
    'STORE_LOCKED',
    `the store ${path} is held by ${owner.command} (pid ${owner.pid}, since ${when(owner.since)}); ${api}stop it or pass --store with another path`,
  );
}
