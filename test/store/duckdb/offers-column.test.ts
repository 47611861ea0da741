// A store made before offers could be retired (no retired_at column) gains the column on its next
// write open, keeping its offers, which can then be retired.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DuckDBStore } from '../../../src/store/duckdb/duckdb-store.js';
import { SCHEMA_SQL } from '../../../src/store/duckdb/schema.js';

it('adds retired_at to an older store\'s offers table on a write open', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'nextbest-offers-column-')), 'old.duckdb');
  const db = await DuckDBInstance.create(path);
  const conn = await db.connect();
  // The schema as it was: the offers table without retired_at.
  await conn.run(SCHEMA_SQL.replace(', retired_at TIMESTAMP);', ');').replace(/ALTER TABLE offers[^\n]*\n/, ''));
  await conn.run(`INSERT INTO products VALUES ('P1', 'card', 'Gold card', '{}'); INSERT INTO offers VALUES ('O1', 'P1', 'x', 5, NULL, NULL, '{}')`);
  const before = await conn.runAndReadAll(`SELECT count(*) FROM duckdb_columns() WHERE table_name = 'offers' AND column_name = 'retired_at'`);
  expect(Number(before.getRows()[0][0])).toBe(0);
  conn.closeSync();
  db.closeSync();

  const store = await DuckDBStore.open(path);
  try {
    expect(await store.offers()).toMatchObject([{ id: 'O1', productId: 'P1', rewardValue: 5, retiredAt: null }]);
    const at = new Date('2020-01-01T00:00:00Z');
    expect((await store.retireOffer('O1', at)).retiredAt).toEqual(at);
  } finally {
    await store.close();
  }
});
