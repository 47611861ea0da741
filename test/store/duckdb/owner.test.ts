// One process owns a DuckDB store: the owner record a writer leaves beside it, and the one-line
// errors of processes the lock refuses, with real processes holding the store (fixtures/hold-store.mjs).
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { buildIfStale } from '../../helpers/compiled-build.js';
import { holdStore, release } from '../../helpers/hold-store.js';

const tmp = mkdtempSync(join(tmpdir(), 'nextbest-owner-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let stores = 0;

/** A new store, made and closed by this process. */
async function newStore(): Promise<string> {
  const path = join(tmp, `s${++stores}.duckdb`);
  await (await openStore(path)).close();
  return path;
}



/** The one-line message openStore refuses with. */
async function refusal(path: string, mode: 'read' | 'write', command?: string): Promise<string> {
  const e = await openStore(path, { mode, command }).then(
    async (s) => {
      await s.close();
      throw new Error(`the store opened in ${mode} mode`);
    },
    (err: unknown) => err as { code: string; message: string; status: number },
  );
  expect(e.code).toBe('STORE_LOCKED');
  expect(e.status).toBe(409);
  expect(e.message).not.toContain('\n');
  return e.message;
}

const readOwner = (path: string): { pid: number; command: string; since: string; api?: object } =>
  JSON.parse(readFileSync(`${path}.owner.json`, 'utf8'));

describe('the owner of a DuckDB store', () => {
  beforeAll(() => buildIfStale());

  it('a writer records who it is beside the store until it closes it; a reader records nothing', async () => {
    const path = await newStore();
    const before = Date.now();
    const store = await openStore(path, { command: 'nextbest ingest' });
    const owner = readOwner(path);
    expect(owner).toMatchObject({ pid: process.pid, command: 'nextbest ingest' });
    expect(Date.parse(owner.since)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(owner.since)).toBeLessThanOrEqual(Date.now());
    store.announceApi({ url: 'http://127.0.0.1:9', routes: { 'nextbest stats': 'GET /v1/stats' } });
    expect(readOwner(path)).toEqual({ ...owner, api: { url: 'http://127.0.0.1:9', routes: { 'nextbest stats': 'GET /v1/stats' } } });
    await store.close();
    expect(existsSync(`${path}.owner.json`)).toBe(false);

    const reader = await openStore(path, { mode: 'read', command: 'nextbest stats' });
    expect(existsSync(`${path}.owner.json`)).toBe(false);
    expect(() => reader.announceApi({ url: 'http://127.0.0.1:9' })).toThrow(/read-only/);
    await reader.close();
  });

  it('a command the lock refuses names the process that holds the store, and when it started', async () => {
    const path = await newStore();
    const child = await holdStore(path, 'write', 'nextbest serve');
    try {
      const since = readOwner(path).since.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
      const expected = `the store ${path} is held by nextbest serve (pid ${child.pid}, since ${since}); stop it or pass --store with another path`;
      expect(await refusal(path, 'read', 'nextbest stats')).toBe(expected);
      expect(await refusal(path, 'write', 'nextbest ingest')).toBe(expected);
    } finally {
      await release(child);
    }
    expect(existsSync(`${path}.owner.json`)).toBe(false);
  });

  it("when the owner announced its API, the refusal names the route that does the same, or the API's URL", async () => {
    const path = await newStore();
    const api = { url: 'http://127.0.0.1:8080/', routes: { 'nextbest stats': 'GET /v1/stats', 'nextbest ingest': 'POST /v1/events:batch' } };
    const child = await holdStore(path, 'write', 'nextbest serve', api);
    try {
      expect(await refusal(path, 'read', 'nextbest stats')).toMatch(
        /^the store .* is held by nextbest serve \(pid \d+, since [^)]+\); do the same through its API: GET http:\/\/127\.0\.0\.1:8080\/v1\/stats, or stop it or pass --store with another path$/,
      );
      expect(await refusal(path, 'write', 'nextbest ingest')).toContain('; do the same through its API: POST http://127.0.0.1:8080/v1/events:batch, or stop it');
      expect(await refusal(path, 'read', 'nextbest train')).toContain('; its API at http://127.0.0.1:8080 serves this store, or stop it');
      expect(await refusal(path, 'read')).toContain('; its API at http://127.0.0.1:8080 serves this store, or stop it');
    } finally {
      await release(child);
    }
  });

  it('a record left by a killed writer, or naming a process that does not hold the lock, is ignored; the next writer replaces it', async () => {
    const path = await newStore();
    const killed = await holdStore(path, 'write', 'nextbest serve');
    killed.kill('SIGKILL');
    await once(killed, 'exit');
    expect(readOwner(path)).toMatchObject({ pid: killed.pid, command: 'nextbest serve' });

    const reader = await holdStore(path, 'read', 'nextbest stats');
    try {
      const unnamed = new RegExp(`^the store .* is in use by another process \\(pid ${reader.pid}\\); stop it or pass --store with another path$`);
      expect(await refusal(path, 'write', 'nextbest ingest')).toMatch(unnamed);
      // A live process (this one) that does not hold the lock is not named either.
      writeFileSync(`${path}.owner.json`, JSON.stringify({ pid: process.pid, command: 'nextbest imposter', since: new Date().toISOString() }));
      expect(await refusal(path, 'write', 'nextbest ingest')).toMatch(unnamed);
    } finally {
      await release(reader);
    }
    const store = await openStore(path, { command: 'nextbest start' });
    expect(readOwner(path)).toMatchObject({ pid: process.pid, command: 'nextbest start' });
    await store.close();
    expect(existsSync(`${path}.owner.json`)).toBe(false);
  });
});
