// Issue 15, items 4, 5, 6 and 8: ingest results that were silently wrong. Each case runs the built CLI
// and then reads the store file it wrote.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANTANDER_PRODUCTS } from '../../src/data/formats/santander.js';
import { storeRows } from '../helpers/store-rows.js';
import { runCli, scratchDir, type CliResult } from './run-cli.js';

const EVENT_HEADER = 'Idcol,interaction,int_date,item,item_type,item_descrip,segment,beh_segment,active_ind,page,tod';


const products = (dir: string): Promise<unknown[][]> =>
  storeRows(join(dir, '.nextbest', 'store.duckdb'), `SELECT product_id, type, description, CAST(attributes AS VARCHAR) FROM products ORDER BY 1`);

async function customerAttributes(dir: string): Promise<Record<string, unknown>> {
  const rows = await storeRows(join(dir, '.nextbest', 'store.duckdb'), `SELECT customer_id, CAST(attributes AS VARCHAR) FROM customers ORDER BY 1`);
  return Object.fromEntries(rows.map(([id, json]) => [id, JSON.parse(String(json))]));
}

/** The rejects file as [line, reason] pairs. */
const rejectLines = (path: string): [number, string][] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const m = /^(\d+),("(?:[^"]|"")*"|[^,]*),/.exec(l) as RegExpExecArray;
      return [Number(m[1]), m[2].replace(/^"|"$/g, '').replaceAll('""', '"')];
    });

function ingest(dir: string, args: string[]): CliResult & { report: Record<string, unknown> } {
  const r = runCli(['ingest', ...args, '--json'], dir);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code, r.stderr).toBe(0);
  return { ...r, report: JSON.parse(r.stdout) };
}

describe('item 4: event rows and catalogue products', () => {
  it('an event row never overwrites a products file; it fills in a product the catalogue does not know', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'products.csv'), 'product_id,type,description,fee\nP01,card,Gold card,12\n');
    ingest(dir, ['products.csv']);
    writeFileSync(
      join(dir, 'events.csv'),
      [
        EVENT_HEADER,
        'C1,CLICK,2016-01-02 10:00:00,P01,loan,Cheap loan,MASS,DIGITAL,1,home,morning',
        'C2,CLICK,2016-01-03 10:00:00,P02,card,Silver card,MASS,DIGITAL,1,home,morning',
      ].join('\n'),
    );
    expect(ingest(dir, ['events.csv']).report).toMatchObject({ accepted: 2, rejected: 0 });
    expect(await products(dir)).toEqual([
      ['P01', 'card', 'Gold card', '{"fee":12}'],
      ['P02', 'card', 'Silver card', '{}'],
    ]);
    // A products file loaded later is the catalogue: it replaces what event rows filled in.
    writeFileSync(join(dir, 'more-products.csv'), 'product_id,type,description\nP02,card,Silver card (2016)\n');
    ingest(dir, ['more-products.csv']);
    expect((await products(dir))[1]).toEqual(['P02', 'card', 'Silver card (2016)', '{}']);
  });

  it('in one load (a bundle folder) the products file wins over event rows, whatever the order', async () => {
    const dir = scratchDir();
    mkdirSync(join(dir, 'bundle'));
    writeFileSync(join(dir, 'bundle', 'products.csv'), 'product_id,type,description\nP01,card,Gold card\n');
    writeFileSync(
      join(dir, 'bundle', 'events.csv'),
      [EVENT_HEADER, 'C1,CLICK,2016-01-02 10:00:00,P01,loan,Cheap loan,MASS,DIGITAL,1,home,morning'].join('\n'),
    );
    ingest(dir, ['bundle']);
    expect(await products(dir)).toEqual([['P01', 'card', 'Gold card', '{}']]);
  });

  it('a 10 MB item_descrip and a 300-character id are rejected rows with line and reason', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'products.csv'), 'product_id,type,description\nP01,card,Gold card\n');
    ingest(dir, ['products.csv']);
    writeFileSync(
      join(dir, 'events.csv'),
      [
        EVENT_HEADER,
        'C1,CLICK,2016-01-02 10:00:00,P02,card,Silver card,MASS,DIGITAL,1,home,morning',
        `C1,CLICK,2016-01-02 10:00:01,P01,card,${'x'.repeat(10 << 20)},MASS,DIGITAL,1,home,morning`,
        `${'C'.repeat(300)},CLICK,2016-01-02 10:00:02,P01,card,Gold card,MASS,DIGITAL,1,home,morning`,
      ].join('\n'),
    );
    const { report } = ingest(dir, ['events.csv', '--rejects', 'rejects.csv']);
    expect(report).toMatchObject({ accepted: 1, rejected: 2, events: 1 });
    expect(rejectLines(join(dir, 'rejects.csv'))).toEqual([
      [3, 'item_descrip is 10,485,760 characters long; the limit is 4,096'],
      [4, 'Idcol is 300 characters long; the limit for an id is 256'],
    ]);
    expect((await products(dir))[0]).toEqual(['P01', 'card', 'Gold card', '{}']);
  });

  it('a NUL character in an id or a context field rejects its row with line and reason; the good rows load', async () => {
    const dir = scratchDir();
    writeFileSync(
      join(dir, 'events.csv'),
      [
        EVENT_HEADER,
        'C1,CLICK,2016-01-02 10:00:00,P01,card,Gold card,MASS,DIGITAL,1,home,morning',
        'C\u00002,CLICK,2016-01-02 10:00:01,P01,card,Gold card,MASS,DIGITAL,1,home,morning',
        'C3,CLICK,2016-01-02 10:00:02,P01,card,Gold card,MASS,DIGITAL,1,ho\u0000me,morning',
        'C4,CHECKOUT,2016-01-02 10:00:03,P01,card,Gold card,MASS,DIGITAL,1,home,morning',
      ].join('\n'),
    );
    const { report } = ingest(dir, ['events.csv', '--rejects', 'rejects.csv']);
    expect(report).toMatchObject({ accepted: 2, rejected: 2, events: 2 });
    expect(rejectLines(join(dir, 'rejects.csv'))).toEqual([
      [3, 'Idcol holds a NUL character, which PostgreSQL cannot store'],
      [4, 'page holds a NUL character, which PostgreSQL cannot store'],
    ]);
    const events = await storeRows(join(dir, '.nextbest', 'store.duckdb'), `SELECT customer_id, type FROM events ORDER BY ts`);
    expect(events).toEqual([['C1', 'click'], ['C4', 'checkout']]);
  });
});

describe('item 5: duplicate ids, numbers out of range, missing values', () => {
  it('customers: a repeated id and a non-finite number are rejected rows; a later load never erases a value', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'c1.csv'), 'customer_id,age,segment\nD1,30,MASS\nD1,NaN,MASS\nD2,1e400,MASS\nD3,,AFFLUENT\nD4,Infinity,MASS\nD1,31,PRIVATE\n');
    const first = ingest(dir, ['c1.csv', '--rejects', 'r1.csv']).report;
    expect(first).toMatchObject({ accepted: 2, rejected: 4, customers: 2 });
    expect(rejectLines(join(dir, 'r1.csv'))).toEqual([
      [3, 'age "NaN" is not a finite number'],
      [4, 'age "1e400" is not a finite number'],
      [6, 'age "Infinity" is not a finite number'],
      [7, 'customer_id "D1" repeats line 2 (an id is given once per file)'],
    ]);
    expect(await customerAttributes(dir)).toEqual({ D1: { age: 30, segment: 'MASS' }, D3: { segment: 'AFFLUENT' } });

    writeFileSync(join(dir, 'c2.csv'), 'customer_id,age,segment\nD1,,PRIVATE\nD3,41,NA\n');
    expect(ingest(dir, ['c2.csv']).report).toMatchObject({ accepted: 2, rejected: 0 });
    expect(await customerAttributes(dir)).toEqual({
      D1: { age: 30, segment: 'PRIVATE' },
      D3: { age: 41, segment: 'AFFLUENT' },
    });
  });

  it('products and offers: the same rules', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'p1.csv'), 'product_id,type,description,fee\nP1,card,Gold card,12\nP1,card,Gold,13\nP2,loan,Loan,-1e999\n');
    expect(ingest(dir, ['p1.csv', '--rejects', 'rp.csv']).report).toMatchObject({ accepted: 1, rejected: 2 });
    expect(rejectLines(join(dir, 'rp.csv'))).toEqual([
      [3, 'product_id "P1" repeats line 2 (an id is given once per file)'],
      [4, 'fee "-1e999" is not a finite number'],
    ]);
    writeFileSync(join(dir, 'p2.csv'), 'product_id,type,description,fee\nP1,,,\n');
    ingest(dir, ['p2.csv']);
    expect(await products(dir)).toEqual([['P1', 'card', 'Gold card', '{"fee":12}']]);

    const header = 'offer_id,product_id,reward,reward_value,valid_from,valid_to,eligibility';
    writeFileSync(
      join(dir, 'o1.csv'),
      [
        header,
        'O1,P1,cashback,50,2016-01-01,2016-12-31,"{""minAge"":18}"',
        'O1,P1,cashback,60,2016-01-01,2016-12-31,',
        'O2,P1,cashback,NaN,2016-01-01,2016-12-31,',
        'O3,P1,cashback,1e400,,,',
        'O4,P1,cashback,5,,,"{""minAge"":1e400}"',
      ].join('\n'),
    );
    expect(ingest(dir, ['o1.csv', '--rejects', 'ro.csv']).report).toMatchObject({ accepted: 1, rejected: 4, offers: 1 });
    expect(rejectLines(join(dir, 'ro.csv')).map(([line]) => line)).toEqual([3, 4, 5, 6]);
    writeFileSync(join(dir, 'o2.csv'), [header, 'O1,P1,,,,2017-06-30,'].join('\n'));
    ingest(dir, ['o2.csv']);
    const offers = await storeRows(
      join(dir, '.nextbest', 'store.duckdb'),
      `SELECT offer_id, reward, reward_value, strftime(valid_from, '%Y-%m-%d'), strftime(valid_to, '%Y-%m-%d'), eligibility FROM offers`,
    );
    expect(offers).toEqual([['O1', 'cashback', 50, '2016-01-01', '2017-06-30', '{"minAge":18}']]);
  });
});

describe('item 5 in Santander snapshots', () => {
  it('a number no double holds in a numeric attribute is a missing value, never Infinity or NaN in the store', async () => {
    const dir = scratchDir();
    const header = ['fecha_dato', 'ncodpers', 'age', 'renta', ...SANTANDER_PRODUCTS.map((p) => p.column)].join(',');
    const flags = SANTANDER_PRODUCTS.map(() => 0).join(',');
    writeFileSync(join(dir, 'train.csv'), [header, `2015-01-28,1001,1e400,NaN,${flags}`, `2015-01-28,1002,40,-Infinity,${flags}`].join('\n'));
    expect(ingest(dir, ['--format', 'santander', 'train.csv']).report).toMatchObject({ accepted: 2, rejected: 0 });
    expect(await customerAttributes(dir)).toEqual({ 1001: {}, 1002: { age: 40 } });
  });
});

describe('item 5: a customer given twice for one Santander month', () => {
  it('rejects every row of the repeated (customer, month), naming the other line; the other rows load', async () => {
    const dir = scratchDir();
    const header = ['fecha_dato', 'ncodpers', 'age', ...SANTANDER_PRODUCTS.map((p) => p.column)].join(',');
    const row = (month: string, customer: number, age: number, held: number): string =>
      [month, customer, age, ...SANTANDER_PRODUCTS.map((_, i) => (i === held ? 1 : 0))].join(',');
    writeFileSync(
      join(dir, 'train.csv'),
      [header, row('2015-01-28', 1001, 40, 2), row('2015-01-28', 1002, 30, 2), row('2015-02-28', 1001, 40, 2), row('2015-01-28', 1001, 41, 3)].join('\n'),
    );
    const { report } = ingest(dir, ['--format', 'santander', 'train.csv', '--rejects', 'r.csv']);
    expect(report).toMatchObject({ accepted: 2, rejected: 2, customers: 2, holdings: 2, events: 0 });
    expect(rejectLines(join(dir, 'r.csv'))).toEqual([
      [2, 'customer 1001 has another row for fecha_dato 2015-01-28 (line 5); give each customer one row per month'],
      [5, 'customer 1001 has another row for fecha_dato 2015-01-28 (line 2); give each customer one row per month'],
    ]);
    expect(await customerAttributes(dir)).toEqual({ 1001: { age: 40 }, 1002: { age: 30 } });
  });
});

describe('item 6: dates after the load time', () => {
  const day = 86_400_000;
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

  it('events: 2999-01-01 and three days ahead are rejected rows; an hour ahead is within the tolerance', () => {
    const dir = scratchDir();
    writeFileSync(
      join(dir, 'events.csv'),
      [
        EVENT_HEADER,
        'C1,CLICK,2016-01-02 10:00:00,P1,card,Gold card,MASS,DIGITAL,1,home,morning',
        'C1,CLICK,2999-01-01,P1,card,Gold card,MASS,DIGITAL,1,home,morning',
        `C1,CLICK,${iso(Date.now() + 3 * day)},P1,card,Gold card,MASS,DIGITAL,1,home,morning`,
        `C1,CLICK,${iso(Date.now() + day / 24)},P1,card,Gold card,MASS,DIGITAL,1,home,morning`,
      ].join('\n'),
    );
    const { report } = ingest(dir, ['events.csv', '--rejects', 'r.csv']);
    expect(report).toMatchObject({ accepted: 2, rejected: 2, events: 2 });
    const rejects = rejectLines(join(dir, 'r.csv'));
    expect(rejects.map(([line]) => line)).toEqual([3, 4]);
    expect(rejects[0][1]).toMatch(/^int_date "2999-01-01" is after the load time \(.+\) by more than 1 day$/);
  });

  it('MovieLens: a rating dated in the year 3000 is a rejected row', () => {
    const dir = scratchDir();
    mkdirSync(join(dir, 'ml'));
    writeFileSync(join(dir, 'ml', 'u.data'), '196\t242\t3\t881250949\n186\t302\t3\t32503680000\n');
    const { report } = ingest(dir, ['--format', 'movielens', 'ml', '--rejects', 'r.csv']);
    expect(report).toMatchObject({ accepted: 1, rejected: 1, events: 1 });
    expect(rejectLines(join(dir, 'r.csv'))[0]).toEqual([2, expect.stringMatching(/^u\.data: timestamp "32503680000" \(3000-01-01\) is after the load time/)]);
  });

  it('Santander: a snapshot month after the load time is a rejected row', () => {
    const dir = scratchDir();
    const header = ['fecha_dato', 'ncodpers', 'age', ...SANTANDER_PRODUCTS.map((p) => p.column)].join(',');
    const row = (month: string, customer: number, held: number): string =>
      [month, customer, 40, ...SANTANDER_PRODUCTS.map((_, i) => (i === held ? 1 : 0))].join(',');
    writeFileSync(
      join(dir, 'train.csv'),
      [header, row('2015-01-28', 1001, 2), row('2999-01-28', 1001, 3), row('2015-02-28', 1002, 2)].join('\n'),
    );
    const { report } = ingest(dir, ['--format', 'santander', 'train.csv', '--rejects', 'r.csv']);
    expect(report).toMatchObject({ accepted: 2, rejected: 1, customers: 2, holdings: 2, events: 0 });
    expect(rejectLines(join(dir, 'r.csv'))).toEqual([[3, expect.stringMatching(/^fecha_dato "2999-01-28" is after the load time/)]]);
  });

  it('offers: a validity window ending in 2999 is not an event date and loads', () => {
    const dir = scratchDir();
    writeFileSync(
      join(dir, 'offers.csv'),
      'offer_id,product_id,reward,reward_value,valid_from,valid_to,eligibility\nO1,P1,cashback,50,2016-01-01,2999-12-31,\n',
    );
    expect(ingest(dir, ['offers.csv']).report).toMatchObject({ accepted: 1, rejected: 0, offers: 1 });
  });
});

describe('item 8: MovieLens files that are not there', () => {
  it('a folder with only u.data says which files are missing and what that loses, on stderr and in --json', () => {
    const dir = scratchDir();
    mkdirSync(join(dir, 'ml'));
    writeFileSync(join(dir, 'ml', 'u.data'), '196\t242\t3\t881250949\n');
    const plain = runCli(['ingest', '--format', 'movielens', 'ml'], dir);
    expect(plain.code).toBe(0);
    const lines = plain.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^nextbest: warning: .*u\.user.*u\.item.* not found/);
    expect(lines[0]).toMatch(/customers have no attributes/);
    expect(lines[0]).toMatch(/movies have no titles, genres or year/);

    const { report, stderr } = ingest(dir, ['--format', 'movielens', 'ml', '--store', 'other.duckdb']);
    expect(report.warnings).toEqual([lines[0].replace(/^nextbest: warning: /, '')]);
    expect(stderr.trim()).toBe(lines[0]);
  });

  it('a complete folder loads without a warning', () => {
    const dir = scratchDir();
    mkdirSync(join(dir, 'ml'));
    writeFileSync(join(dir, 'ml', 'u.data'), '196\t242\t3\t881250949\n');
    writeFileSync(join(dir, 'ml', 'u.user'), '196|49|M|writer|55105\n');
    writeFileSync(join(dir, 'ml', 'u.item'), `242|Kolya (1996)|24-Jan-1997||http://x|${Array(19).fill(0).join('|')}\n`);
    const { report, stderr } = ingest(dir, ['--format', 'movielens', 'ml']);
    expect(report.warnings).toEqual([]);
    expect(stderr).toBe('');
  });
});
