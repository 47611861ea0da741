// Reasons through the CLI on a generated bank: `recommend` shows each product's reason (a product of the
// customer's history named by its description, the neighbours who hold it, or the cold-start share), and
// `export` writes it as a `reason` column in CSV and Parquet that the independent scorer reads past.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, records } from '../generate/csv.js';
import { storeRows } from '../helpers/store-rows.js';
import { runCli, scratchDir } from './run-cli.js';

interface Item {
  rank: number;
  product: string;
  score: number;
  reason: { kind: string; text: string; product?: string; productName?: string; customers?: number; neighbours?: number; share?: number; of?: number };
}

const SCORER = resolve('..', 'shared', 'tools', 'score-topn.mjs');

function ok(args: string[], dir: string): string {
  const r = runCli(args, dir);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const recommend = (dir: string, model: string, customer: string, k = 5): { customers: { recommendations: Item[] }[] } =>
  JSON.parse(ok(['recommend', '--model', model, '--customer', customer, '--k', String(k), '--json'], dir));

describe('reasons in recommend and export', () => {
  const dir = scratchDir();
  /** Product id -> description, and each customer's products with any event, from the generated files. */
  let descriptions: Map<string, string>;
  let history: Map<string, Set<string>>;

  beforeAll(() => {
    ok(['generate', '--customers', '400', '--seed', '11', '--out', 'data', '--no-santander'], dir);
    ok(['ingest', 'data'], dir);
    for (const m of ['item-knn', 'user-knn']) ok(['train', '--model', m], dir);
    ok(['train', '--model', 'fm', '--param', 'fm.features=ids,customer,context', '--param', 'fm.iterations=5'], dir);
    descriptions = new Map(records(readCsv(join(dir, 'data', 'products.csv'))).map((p) => [p.product_id, p.description]));
    history = new Map();
    for (const e of records(readCsv(join(dir, 'data', 'events.csv')))) {
      if (!history.has(e.Idcol)) history.set(e.Idcol, new Set());
      history.get(e.Idcol)!.add(e.item);
    }
  }, 120_000);

  it('item-knn: each reason names a product of the customer\'s history by its description', () => {
    const customer = [...history.keys()][3];
    const items = recommend(dir, 'item-knn', customer).customers[0].recommendations;
    expect(items).toHaveLength(5);
    for (const { reason } of items) {
      expect(reason.kind).toBe('held-product');
      expect(history.get(customer)!.has(reason.product!)).toBe(true);
      expect(reason.productName).toBe(descriptions.get(reason.product!));
      expect(reason.text).toBe(`because of ${descriptions.get(reason.product!)} (${reason.product}) in your history`);
    }
    // The text table carries the same reasons in a trailing column.
    const text = ok(['recommend', '--model', 'item-knn', '--customer', customer, '--k', '5'], dir).split('\n');
    expect(text[1]).toMatch(/rank\s+product\s+score\s+reason$/);
    items.forEach((item, i) => expect(text[2 + i].endsWith(`  ${item.reason.text}`)).toBe(true));
  });

  it('user-knn: "held by N of your M most similar customers"', () => {
    const items = recommend(dir, 'user-knn', [...history.keys()][5]).customers[0].recommendations;
    for (const { reason } of items) {
      expect(reason.kind).toBe('similar-customers');
      expect(reason.customers).toBeGreaterThan(0);
      expect(reason.customers).toBeLessThanOrEqual(reason.neighbours!);
      expect(reason.text).toBe(`held by ${reason.customers} of your ${reason.neighbours} most similar customers`);
    }
  });

  it('fm with customer and context features: the feature that raised it most, by its name or range', () => {
    const kinds = new Set<string>();
    for (const customer of [...history.keys()].slice(0, 6))
      for (const { reason } of recommend(dir, 'fm', customer).customers[0].recommendations as (Item & { reason: { group?: string; feature?: string } })[]) {
        kinds.add(reason.kind);
        if (reason.kind !== 'feature') continue;
        const { group, feature, text } = reason as { group: string; feature: string; text: string };
        if (group === 'ids') expect(text).toBe('your own history raised it most');
        else if (group === 'customer') {
          // Categories by value, numbers (age, income) by the range of their bucket.
          expect(feature).toMatch(/^(segment|beh_segment|life_stage)=\w+$|^(age|income|active_ind) (under [\d,]+|from [\d,]+ to under [\d,]+|[\d,]+ or over)$/);
          expect(text).toBe(`your profile (${feature}) raised it most`);
        } else {
          expect(feature).toMatch(/^(page|tod)=\w+$/);
          expect(text).toBe(`the context (${feature}) raised it most`);
        }
      }
    expect(kinds.has('feature')).toBe(true);
  });

  it('cold start: the share of customers who have it, overall for a stranger', () => {
    const items = recommend(dir, 'item-knn', 'NEVER-SEEN', 3).customers[0].recommendations;
    for (const item of items) {
      expect(item.reason).toMatchObject({ kind: 'popular', share: item.score, of: 400 });
      expect(item.reason.text).toBe(`popular overall: ${Math.round(item.score * 100)}% hold it`);
    }
  });

  it('cold start: the share of the customer\'s segment who have it, for a stored customer without events', () => {
    const cold = records(readCsv(join(dir, 'data', 'customers.csv'))).find((c) => !history.has(c.customer_id))!;
    const out = JSON.parse(ok(['recommend', '--model', 'item-knn', '--customer', cold.customer_id, '--k', '3', '--json'], dir)).customers[0];
    expect(out.coldStart).toMatchObject({ basis: 'segment', segment: cold.segment });
    for (const item of out.recommendations as Item[]) {
      expect(item.reason).toMatchObject({ kind: 'popular', basis: 'segment', segment: cold.segment, share: item.score, of: out.coldStart.customers });
      expect(item.reason.text).toBe(`popular in your segment (${cold.segment}): ${Math.round(item.score * 100)}% hold it`);
    }
  });

  it('export writes a reason column in CSV and Parquet, and the independent scorer reads the file as before', async () => {
    const summary = JSON.parse(ok(['export', '--model', 'item-knn', '--k', '10', '--out', 'top.csv', '--json'], dir));
    const table = readCsv(join(dir, 'top.csv'));
    expect(table.columns).toEqual(['customer', 'product', 'rank', 'score', 'reason']);
    const rows = records(table);
    expect(rows).toHaveLength(summary.rows);
    expect(rows.every((r) => r.reason.length > 0)).toBe(true);
    // The same reasons as recommend gives, for one customer.
    const customer = [...history.keys()][3];
    const listed = recommend(dir, 'item-knn', customer, 10).customers[0].recommendations;
    expect(rows.filter((r) => r.customer === customer).map((r) => [r.product, r.reason])).toEqual(listed.map((i) => [i.product, i.reason.text]));
    // Reasons hold commas ("Premium current account, concierge included"): quoted, so the scorer's columns stay put.
    // Scored over the customers with full lists (some have seen nearly all 24 products, leaving fewer than 10).
    const full = new Set(rows.filter((r) => r.rank === '10').map((r) => r.customer));
    const firsts = new Map(rows.filter((r) => r.rank === '1' && full.has(r.customer)).map((r) => [r.customer, r.product]));
    writeFileSync(join(dir, 'test.tsv'), [...firsts].map(([c, p]) => `${c}\t${p}\t1\t0`).join('\n') + '\n');
    const scored = spawnSync(process.execPath, [SCORER, join(dir, 'top.csv'), join(dir, 'test.tsv')], { encoding: 'utf8' });
    expect(scored.status, scored.stderr).toBe(0);
    const independent = JSON.parse(scored.stdout);
    expect(independent.problems).toEqual([]);
    expect(full.size).toBeGreaterThan(200);
    expect(independent.users).toBe(full.size);
    expect(independent['hr@10']).toBe(1);
    expect(independent['precision@10']).toBeCloseTo(0.1, 10);

    ok(['export', '--model', 'item-knn', '--k', '10', '--out', 'top.parquet'], dir);
    const parquet = await storeRows(join(dir, '.nextbest', 'store.duckdb'), `SELECT customer, product, rank, reason FROM read_parquet('${join(dir, 'top.parquet')}') ORDER BY customer, rank`);
    const csvSorted = rows.map((r) => [r.customer, r.product, Number(r.rank), r.reason]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : (a[2] as number) - (b[2] as number)));
    expect(parquet).toEqual(csvSorted);
  });
});
