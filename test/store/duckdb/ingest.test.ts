// Ingest into the DuckDB store, checked in the file's own tables (what the loaders stage and merge).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getLoader } from '../../../src/data/formats/index.js';
import { DuckDBStore } from '../../../src/store/duckdb/duckdb-store.js';
import { sharedData } from '../../helpers/shared-data.js';

const HEADER = 'Idcol,interaction,int_date,item,item_type,item_descrip,segment,beh_segment,active_ind,page,tod';
const GOOD = [
  'C1,DISPLAY,2016-01-02 10:00:00,P1,card,"Gold card, premium",MASS,DIGITAL,1,home,morning',
  'C1,CLICK,2016-01-02 10:00:05,P1,card,"Gold card, premium",MASS,DIGITAL,1,home,morning',
  'C3,CHECKOUT,2016-01-04 09:00:00,P2,loan,Personal loan,YOUTH,BRANCH,0,offers,evening',
];
const BAD = [
  'C2,BUY,2016-01-02 10:00:05,P1,card,x,MASS,DIGITAL,1,home,morning',
  'C2,CLICK,2016-13-02,P1,card,x,MASS,DIGITAL,1,home,morning',
  'C3,CLICK,2016-01-03',
  ',CLICK,2016-01-03,P2,loan,Loan,YOUTH,BRANCH,0,offers,evening',
];

let store: DuckDBStore | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

function fixture(lines: string[]): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nextbest-ingest-'));
  const file = join(dir, 'events.csv');
  writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
  return { dir, file };
}

describe('ingest of the event CSV', () => {
  it('loads good rows, lists bad ones with line and reason, and reloading adds nothing', async () => {
    const { dir, file } = fixture([GOOD[0], BAD[0], GOOD[1], BAD[1], BAD[2], BAD[3], GOOD[2]]);
    store = await DuckDBStore.open(join(dir, 'store.duckdb'));
    const r = await store.ingest(getLoader('events'), file, { rejectsPath: join(dir, 'rejects.csv') });
    expect(r).toMatchObject({ accepted: 3, rejected: 4, events: 3, customers: 2, products: 2 });
    const rejects = readFileSync(r.rejectsFile as string, 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('line,reason,record');
    expect(rejects.slice(1).map((l) => l.split(',')[0])).toEqual(['3', '5', '6', '7']);
    expect(rejects[1]).toContain('not DISPLAY, CLICK or CHECKOUT');
    expect(rejects[2]).toContain('is not a date');
    expect(rejects[3]).toContain('expected 11 fields, found 3');
    expect(rejects[4]).toContain('Idcol is empty');

    const again = await store.ingest(getLoader('events'), file, { rejectsPath: join(dir, 'rejects2.csv') });
    expect(again.added).toEqual({ customers: 0, products: 0, events: 0, holdings: 0 });
    expect(again.store.events).toBe(3);

    const ctx = await store.connection.runAndReadAll(`SELECT context FROM events WHERE type = 'checkout'`);
    expect(JSON.parse(String(ctx.getRows()[0][0]))).toEqual({ page: 'offers', tod: 'evening' });
    expect(await store.attributesOf('customer', 'C3')).toEqual({ active_ind: 0, beh_segment: 'BRANCH', segment: 'YOUTH' });
    expect(await store.attributesOf('product', 'P1')).toEqual({});
    const p1 = await store.connection.runAndReadAll(`SELECT type, description FROM products WHERE product_id = 'P1'`);
    expect(p1.getRows()).toEqual([['card', 'Gold card, premium']]);
  });

  it('maps other column names through a mapping file and keeps unnamed columns as context', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-map-'));
    const file = join(dir, 'log.csv');
    writeFileSync(file, 'cust,action,when,product,channel\nA,click,2020-05-01 12:00:00,X,mobile\n');
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ Idcol: 'cust', interaction: 'action', int_date: 'when', item: 'product' }));
    store = await DuckDBStore.open(join(dir, 'store.duckdb'));
    await expect(store.ingest(getLoader('events'), file)).rejects.toThrow(/missing columns Idcol, interaction, int_date, item/);
    const r = await store.ingest(getLoader('events'), file, { mapping: join(dir, 'map.json') });
    expect(r).toMatchObject({ accepted: 1, rejected: 0, events: 1 });
    const ctx = await store.connection.runAndReadAll(`SELECT context FROM events`);
    expect(String(ctx.getRows()[0][0])).toBe('{"channel":"mobile"}');
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ customer: 'cust' }));
    await expect(store.ingest(getLoader('events'), file, { mapping: join(dir, 'bad.json') })).rejects.toThrow(
      /mapping file .* is invalid/,
    );
  });

  it('a file in another format fails with one clear error and the store keeps what it had', async () => {
    const { dir, file } = fixture(GOOD);
    store = await DuckDBStore.open(join(dir, 'store.duckdb'));
    await store.ingest(getLoader('events'), file);
    const wrong = join(dir, 'ratings.tsv');
    writeFileSync(wrong, '196\t242\t3\t881250949\n186\t302\t3\t891717742\n');
    await expect(store.ingest(getLoader('events'), wrong)).rejects.toMatchObject({ code: 'WRONG_COLUMNS' });
    await expect(store.ingest(getLoader('santander'), file)).rejects.toMatchObject({ code: 'WRONG_COLUMNS' });
    expect(await store.counts()).toMatchObject({ customers: 2, products: 2, events: 3 });
  });
});

const santander = sharedData('santander-sample/train_ver2_head9999.csv');

describe('ingest of Santander train_ver2', () => {
  it.skipIf(!santander.present)('loads 9,999 customers and their holdings; blank demographics are missing values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-san-'));
    store = await DuckDBStore.open(join(dir, 'store.duckdb'));
    const r = await store.ingest(getLoader('santander'), santander.path);
    expect(r).toMatchObject({ accepted: 9999, rejected: 0, customers: 9999, products: 24, holdings: 11999, events: 0 });
    const c = store.connection;
    const held = await c.runAndReadAll(`SELECT count(*) FROM holdings WHERE product_id = 'cco_fin'`);
    expect(Number(held.getRows()[0][0])).toBe(9295);
    // 50 rows have every demographic empty: they load, with missing attributes.
    const blank = await c.runAndReadAll(`SELECT count(*) FROM customers WHERE json_extract(attributes, '$.age') IS NULL`);
    expect(Number(blank.getRows()[0][0])).toBe(50);
    expect(await store.attributesOf('customer', '1375586')).toMatchObject({
      age: 35,
      antiguedad: 6,
      nomprov: 'MALAGA',
      renta: 87218.1,
      segmento: '02 - PARTICULARES',
      indrel_1mes: '1.0',
    });
    const stats = await store.stats();
    expect(stats.customerAttributes.find((a) => a.name === 'age')).toMatchObject({ present: 9949, numeric: 9949 });
    const again = await store.ingest(getLoader('santander'), santander.path);
    expect(again.added).toEqual({ customers: 0, products: 0, events: 0, holdings: 0 });
  });
});

describe('Santander month-to-month changes', () => {
  it('turns 0 -> 1 into acquire and 1 -> 0 into drop events, and rejects bad rows by line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-san2-'));
    const products = Array.from({ length: 24 }, (_, i) => i);
    const header = [
      'fecha_dato', 'ncodpers', 'age', 'renta', 'segmento',
      'ind_ahor_fin_ult1', 'ind_aval_fin_ult1', 'ind_cco_fin_ult1', 'ind_cder_fin_ult1', 'ind_cno_fin_ult1',
      'ind_ctju_fin_ult1', 'ind_ctma_fin_ult1', 'ind_ctop_fin_ult1', 'ind_ctpp_fin_ult1', 'ind_deco_fin_ult1',
      'ind_deme_fin_ult1', 'ind_dela_fin_ult1', 'ind_ecue_fin_ult1', 'ind_fond_fin_ult1', 'ind_hip_fin_ult1',
      'ind_plan_fin_ult1', 'ind_pres_fin_ult1', 'ind_reca_fin_ult1', 'ind_tjcr_fin_ult1', 'ind_valo_fin_ult1',
      'ind_viv_fin_ult1', 'ind_nomina_ult1', 'ind_nom_pens_ult1', 'ind_recibo_ult1',
    ].map((h) => `"${h}"`);
    const flags = (held: number[]): string => products.map((p) => (held.includes(p) ? 1 : 0)).join(',');
    const rows = [
      `2015-01-28,1, 30,1000,02 - PARTICULARES,${flags([2])}`,
      `2015-01-28,2, 40,NA,01 - TOP,${flags([2, 18])}`,
      `2015-02-28,1, 31,1100,02 - PARTICULARES,${flags([2, 18])}`, // 1 acquires tjcr (18)
      `2015-02-28,2, 40,NA,01 - TOP,${flags([2])}`, // 2 drops tjcr
      `2015-02-28,x3, 40,NA,01 - TOP,${flags([2])}`, // bad customer id
      `2015-02-30,4, 40,NA,01 - TOP,${flags([2])}`, // bad date
    ];
    const file = join(dir, 'train.csv');
    writeFileSync(file, [header.join(','), ...rows].join('\n') + '\n');
    store = await DuckDBStore.open(join(dir, 'store.duckdb'));
    const r = await store.ingest(getLoader('santander'), file, { rejectsPath: join(dir, 'rejects.csv') });
    expect(r).toMatchObject({ accepted: 4, rejected: 2, customers: 2, events: 2, holdings: 6 });
    const ev = await store.connection.runAndReadAll(
      `SELECT customer_id, product_id, type, strftime(ts, '%Y-%m-%d') FROM events ORDER BY customer_id`,
    );
    expect(ev.getRows()).toEqual([
      ['1', 'tjcr_fin', 'acquire', '2015-02-28'],
      ['2', 'tjcr_fin', 'drop', '2015-02-28'],
    ]);
    const rejects = readFileSync(join(dir, 'rejects.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rejects.map((l) => l.split(',')[0])).toEqual(['6', '7']);
    expect(await store.attributesOf('customer', '1')).toMatchObject({ age: 31, renta: 1100 }); // the latest month's
    expect(await store.attributesOf('customer', '2')).toEqual({ age: 40, segmento: '01 - TOP' }); // NA renta is missing
    // latestHoldings: each customer's latest month (customer 1 acquired tjcr in February, 2 dropped it).
    const latest = [];
    for await (const b of store.latestHoldings()) latest.push(...b);
    expect(latest).toEqual([
      { customer: '1', month: new Date('2015-02-28T00:00:00Z'), products: ['cco_fin', 'tjcr_fin'] },
      { customer: '2', month: new Date('2015-02-28T00:00:00Z'), products: ['cco_fin'] },
    ]);
  });
});
