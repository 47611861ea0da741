// The DuckDB store's live event log against real DuckDB files in the OS temp directory: grouping, validation, atomic
// failure, and kill -9 durability (a child process running the compiled build).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NextbestError } from '../../../src/core/errors.js';
import type { Event } from '../../../src/data/model.js';
import { DuckDBStore } from '../../../src/store/duckdb/duckdb-store.js';
import { buildIfStale } from '../../helpers/compiled-build.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'nextbest-live-log-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let stores = 0;
const storePath = (): string => join(tmp, `live-${++stores}.duckdb`);

const event = (i: number, over: Partial<Event> = {}): Event => ({
  customerId: `c${i % 100}`,
  productId: `p${i % 7}`,
  timestamp: new Date(1_700_000_000_000 + i),
  type: 'click',
  value: i,
  context: { id: `e${i}`, page: 'home' },
  ...over,
});

async function storedIds(store: DuckDBStore): Promise<string[]> {
  const r = await store.connection.runAndReadAll(`SELECT json_extract_string(context, '$.id') FROM events`);
  return r.getRows().map((row) => String(row[0]));
}

async function eventCount(store: DuckDBStore): Promise<number> {
  const r = await store.connection.runAndReadAll('SELECT count(*) FROM events');
  return Number(r.getRows()[0][0]);
}


describe('LiveEventLog', () => {
  it('commits 10,000 concurrent appends in far fewer transactions', async () => {
    const store = await DuckDBStore.open(storePath());
    const log = store.liveLog();
    try {
      await Promise.all(Array.from({ length: 10_000 }, (_, i) => log.append(event(i))));
      expect(log.stats.committed).toBe(10_000);
      expect(log.stats.batches).toBeLessThanOrEqual(20);
      expect(log.stats.failedBatches).toBe(0);
      // Acknowledged means committed: visible to the store's own connection at once.
      const ids = await storedIds(store);
      expect(ids).toHaveLength(10_000);
      expect(new Set(ids).size).toBe(10_000);

      const r = await store.connection.runAndReadAll(
        `SELECT customer_id, product_id, epoch_ms(ts), type, value, context FROM events WHERE json_extract_string(context, '$.id') = 'e4321'`,
      );
      expect(r.getRows()).toEqual([['c21', 'p2', 1_700_000_004_321n, 'click', 4321, '{"id":"e4321","page":"home"}']]);
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('rejects an invalid event with a clear message and still commits the valid ones of the burst', async () => {
    const store = await DuckDBStore.open(storePath());
    const log = store.liveLog();
    try {
      const burst = Array.from({ length: 200 }, (_, i) => event(i));
      burst[57] = event(57, { customerId: '   ' });
      burst[58] = event(58, { type: 'purchase' as Event['type'] });
      const results = await Promise.allSettled(burst.map((e) => log.append(e)));

      const rejected = results.flatMap((r, i) => (r.status === 'rejected' ? [[i, r.reason] as const] : []));
      expect(rejected.map(([i]) => i)).toEqual([57, 58]);
      for (const [, reason] of rejected) {
        expect(reason).toBeInstanceOf(NextbestError);
        expect((reason as NextbestError).code).toBe('INVALID_EVENT');
        expect((reason as NextbestError).message).not.toContain('\n');
      }
      expect((rejected[0][1] as Error).message).toBe('invalid event: customerId: id is empty');
      expect((rejected[1][1] as Error).message).toMatch(/^invalid event: type: /);

      const ids = new Set(await storedIds(store));
      expect(ids.size).toBe(198);
      expect(ids.has('e57') || ids.has('e58')).toBe(false);

      // Ids are stored trimmed, as the model's schema parses them.
      await log.append(event(1000, { customerId: '  padded  ' }));
      const r = await store.connection.runAndReadAll(`SELECT customer_id FROM events WHERE value = 1000`);
      expect(r.getRows()).toEqual([['padded']]);
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('appendMany is all or nothing', async () => {
    const store = await DuckDBStore.open(storePath());
    const log = store.liveLog({ maxBatch: 10 });
    try {
      const bad = [event(1), event(2), event(3, { value: Number.NaN }), event(4)];
      await expect(log.appendMany(bad)).rejects.toThrow(/^invalid event at index 2: value: .*none of the 4 events was written$/);
      // Larger than maxBatch: still one transaction.
      await log.appendMany(Array.from({ length: 25 }, (_, i) => event(i)));
      await log.appendMany([]);
      expect(await eventCount(store)).toBe(25);
      expect(log.stats).toEqual({ committed: 25, duplicates: 0, batches: 1, failedBatches: 0 });
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('rejects every waiter of a failing batch, writes none of it and recovers for the next batch', async () => {
    const store = await DuckDBStore.open(storePath());
    // A constraint only DuckDB checks (the zod schema accepts the event), so the batch fails inside the transaction.
    await store.connection.run(`DROP TABLE events;
      CREATE TABLE events (customer_id VARCHAR NOT NULL, product_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL,
        type VARCHAR NOT NULL, value DOUBLE NOT NULL CHECK (value < 1000), context VARCHAR NOT NULL,
        event_id VARCHAR, received TIMESTAMP)`);
    const log = store.liveLog({ maxDelayMs: 50 });
    try {
      const burst = Array.from({ length: 100 }, (_, i) => event(i, i === 63 ? { value: 5000, eventId: `id${i}` } : { eventId: `id${i}` }));
      const results = await Promise.allSettled(burst.map((e) => log.append(e)));
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      const reason = (results[0] as PromiseRejectedResult).reason as NextbestError;
      expect(reason).toBeInstanceOf(NextbestError);
      expect(reason.code).toBe('STORE_UNAVAILABLE');
      expect(reason.message).toMatch(/^could not store 100 live event\(s\), none of them was written: .*CHECK/);
      expect(await eventCount(store)).toBe(0);
      expect(log.stats).toEqual({ committed: 0, duplicates: 0, batches: 0, failedBatches: 1 });

      // The ids of the failed batch were not stored, so sending them again stores them.
      const again = await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(event(i, { eventId: `id${i}` }))));
      expect(again.every((r) => r.accepted === 1 && r.duplicates.length === 0)).toBe(true);
      expect(await eventCount(store)).toBe(100);
      expect(log.stats).toMatchObject({ committed: 100, duplicates: 0, failedBatches: 1 });
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('flush commits without waiting for maxDelayMs; close refuses further appends', async () => {
    const store = await DuckDBStore.open(storePath());
    const log = store.liveLog({ maxDelayMs: 60_000 });
    try {
      const pending = [log.append(event(1)), log.append(event(2))];
      await log.flush();
      await Promise.all(pending);
      expect(await eventCount(store)).toBe(2);
      await log.close();
      await expect(log.append(event(3))).rejects.toThrow('the live event log is closed');
      expect(() => store.liveLog({ maxBatch: 0 })).toThrow(/maxBatch must be/);
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('keeps every acknowledged event when the writer process is killed with SIGKILL', async () => {
    buildIfStale();
    const path = storePath();
    const child = spawn(process.execPath, [join(root, 'test/store/fixtures/live-writer.mjs'), path, '32'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let stderr = '';
    let partial = '';
    let killedAt = -1;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      acked.push(...lines);
      if (killedAt < 0 && acked.length >= 2000) {
        killedAt = acked.length;
        child.kill('SIGKILL');
      }
    });
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('close', (c, s) => done({ code: c, signal: s })),
    );
    expect(stderr).toContain('ready');
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    // Lines already in the pipe when the kill landed were acknowledged too; check them all.
    expect(acked.length).toBeGreaterThanOrEqual(2000);

    const store = await DuckDBStore.open(path);
    try {
      const stored = new Set(await storedIds(store));
      const missing = acked.filter((id) => !stored.has(id));
      console.log(
        `kill -9: ${acked.length} acknowledged (${killedAt} when SIGKILL was sent), ${stored.size} in the store after reopening, ${missing.length} missing`,
      );
      expect(missing).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
