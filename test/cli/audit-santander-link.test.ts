// Issue 15, item 1: a generated bundle is one bank. Its Santander-layout holdings file names the same
// customers as customers.csv and, through santander-columns.csv, the same products as products.csv,
// so the store holds N customers and the catalogue's products, and every holding links to both.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/data/generate/index.js';
import { sharedData } from '../helpers/shared-data.js';
import { runCli, scratchDir } from './run-cli.js';

const sample = sharedData('santander-sample/train_ver2_head9999.csv');

/** Runs read-only queries on a store the CLI wrote, returning the first column of each row. */
async function query(store: string, sqls: string[]): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(store, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    const out: unknown[][] = [];
    for (const sql of sqls) out.push((await conn.runAndReadAll(sql)).getRows().map((r) => r[0]));
    return out;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('a generated bundle links its Santander file to its customers and catalogue', () => {
  it('ingests N customers, the catalogue products, holdings > 0, and every holding and acquisition links', async () => {
    const dir = scratchDir();
    const gen = runCli(['generate', '--customers', '300', '--months', '6', '--out', 'bank', '--json'], dir);
    expect(gen.code, gen.stderr).toBe(0);
    expect(JSON.parse(gen.stdout).counts.santanderRows).toBeGreaterThan(300);
    const ids = readFileSync(join(dir, 'bank', 'customers.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(ids.length).toBe(300);

    const ing = runCli(['ingest', 'bank', '--store', 's.duckdb', '--json'], dir);
    expect(ing.code, ing.stderr).toBe(0);
    expect(JSON.parse(ing.stdout).rejected).toBe(0);
    const stats = JSON.parse(runCli(['stats', '--json', '--store', 's.duckdb'], dir).stdout);
    expect(stats.customers).toBe(300);
    expect(stats.products).toBe(CATALOGUE.length);
    expect(stats.holdings).toBeGreaterThan(0);

    const [customers, products, strayHoldings, strayEvents, acquisitions, typed] = await query(join(dir, 's.duckdb'), [
      `SELECT customer_id FROM customers ORDER BY customer_id`,
      `SELECT product_id FROM products ORDER BY product_id`,
      `SELECT count(*) FROM holdings h WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = h.customer_id)
         OR NOT EXISTS (SELECT 1 FROM products p WHERE p.product_id = h.product_id)`,
      `SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = e.customer_id)
         OR NOT EXISTS (SELECT 1 FROM products p WHERE p.product_id = e.product_id)`,
      `SELECT count(*) FROM events WHERE type = 'acquire'`,
      // The catalogue's type and description survive the Santander load.
      `SELECT count(*) FROM products WHERE type IS NULL OR description IS NULL`,
    ]);
    expect(customers).toEqual([...ids].sort());
    expect(products).toEqual(CATALOGUE.map((p) => p.id).sort());
    expect(Number(strayHoldings[0])).toBe(0);
    expect(Number(strayEvents[0])).toBe(0);
    expect(Number(acquisitions[0])).toBeGreaterThan(0);
    expect(Number(typed[0])).toBe(0);
  });

  it('start (npm start) loads holdings for the default data, every one linked', async () => {
    const dir = scratchDir();
    const r = runCli(['start', '--customers', '300', '--json', '--no-serve'], dir);
    expect(r.code, r.stderr).toBe(0);
    const { stats } = JSON.parse(r.stdout);
    expect(stats).toMatchObject({ customers: 300, products: CATALOGUE.length });
    expect(stats.holdings).toBeGreaterThan(300);
    const [stray] = await query(join(dir, '.nextbest', 'store.duckdb'), [
      `SELECT count(*) FROM holdings h WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = h.customer_id)
         OR NOT EXISTS (SELECT 1 FROM products p WHERE p.product_id = h.product_id)`,
    ]);
    expect(Number(stray[0])).toBe(0);
  });

  it('a santander-columns.csv naming an unknown column or a column twice is one clear error', () => {
    const dir = scratchDir();
    expect(runCli(['generate', '--customers', '50', '--months', '2', '--out', 'bank'], dir).code).toBe(0);
    const map = join(dir, 'bank', 'santander-columns.csv');
    const lines = readFileSync(map, 'utf8').trim().split('\n');
    const second = lines[2].split(',')[0];
    writeFileSync(map, [lines[0], ...lines.slice(1, -1), `${second},P01`].join('\n') + '\n');
    const r = runCli(['ingest', 'bank', '--store', 's.duckdb'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^nextbest: .*santander-columns\.csv.*; /);
  });

  it.skipIf(!sample.present)('a real Santander file in a folder without santander-columns.csv loads as it always did', () => {
    const dir = scratchDir();
    mkdirSync(join(dir, 'real'));
    copyFileSync(sample.path, join(dir, 'real', 'santander.csv'));
    const r = runCli(['ingest', '--format', 'bundle', 'real', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const stats = JSON.parse(runCli(['stats', '--json'], dir).stdout);
    expect(stats).toMatchObject({ customers: 9999, products: 24, holdings: 11999 });
  });
});
