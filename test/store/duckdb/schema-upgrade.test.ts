// A store made before events carried event ids and arrival times (schema 1): read-only commands still
// read it (live events then count by their timestamps), and the first writer upgrades it in place.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Event } from '../../../src/data/model.js';
import { DuckDBStore } from '../../../src/store/duckdb/duckdb-store.js';

const tmp = mkdtempSync(join(tmpdir(), 'nextbest-schema-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const click = (productId: string, iso: string, eventId?: string): Event => ({
  customerId: 'C1',
  productId,
  timestamp: new Date(iso),
  type: 'click',
  value: 1,
  context: {},
  ...(eventId ? { eventId } : {}),
});

describe('a store of schema 1', () => {
  it('is read without event ids, and upgraded by the first writer', async () => {
    const path = join(tmp, 'old.duckdb');
    const made = await DuckDBStore.open(path);
    await made.liveLog().appendMany([click('P1', '2016-01-01T00:00:00Z'), click('P2', '2016-02-01T00:00:00Z')]);
    await made.connection.run(`ALTER TABLE events DROP COLUMN event_id; ALTER TABLE events DROP COLUMN received;
      UPDATE meta SET value = '1' WHERE key = 'schema_version'`);
    await made.close();

    const reader = await DuckDBStore.open(path, { mode: 'read' });
    try {
      expect((await reader.customerEvents('C1', new Date('2016-01-15T00:00:00Z'), new Date(0))).product).toEqual(['P2']);
      expect((await reader.recentEvents('C1', 5)).map((e) => [e.productId, e.eventId, e.received])).toEqual([
        ['P2', null, null],
        ['P1', null, null],
      ]);
    } finally {
      await reader.close();
    }

    const writer = await DuckDBStore.open(path);
    try {
      expect((await writer.connection.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema_version'`)).getRows()).toEqual([['2']]);
      const log = writer.liveLog();
      expect(await log.append(click('P3', '2015-01-01T00:00:00Z', 'x'))).toEqual({ accepted: 1, duplicates: [] });
      expect(await log.append(click('P3', '2015-01-01T00:00:00Z', 'x'))).toEqual({ accepted: 0, duplicates: ['x'] });
      // Received now, so it counts after any earlier cut-off whatever its timestamp.
      expect((await writer.customerEvents('C1', new Date('2016-01-15T00:00:00Z'), new Date(Date.now() - 60_000))).product).toEqual(['P3', 'P2']);
      expect((await writer.recentEvents('C1', 5)).map((e) => e.eventId)).toEqual([null, null, 'x']);
    } finally {
      await writer.close();
    }
  });
});
