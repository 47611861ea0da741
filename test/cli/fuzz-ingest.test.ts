// Fuzz test of ingest (issue 15): every input format gets a few hundred rows, about half of them
// mutated (random bytes, swapped columns, extreme numbers, far dates, repeated ids, over-long fields,
// a field too many or too few), from a seeded RNG so a failure reproduces. One CLI run per format into
// a fresh store, then:
//  - the exit code is 0 and stderr holds no stack trace;
//  - accepted + rejected = the data rows written, and the rejects file lists each rejected row once,
//    by the line the row starts on;
//  - an unmutated row is accepted, and a row with a date after the load time, an over-long field, a
//    number no double holds or a wrong field count is rejected;
//  - the store's counts equal a model computed here from the accepted rows (the rows not in the
//    rejects file): identical events are one event, a row may name a customer, a product and an event,
//    entity files give each id once, Santander holdings and acquire / drop events follow the months.
// Fields are written as bytes (so random bytes include invalid UTF-8), and the model reads them back
// the way the loaders do: UTF-8 with replacement characters, or latin-1 for a MovieLens user or movie
// file that is not UTF-8.
import { isUtf8 } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { SANTANDER_PRODUCTS } from '../../src/data/formats/santander.js';
import { parseTimestamp } from '../../src/data/parse.js';
import { storeRows } from '../helpers/store-rows.js';
import { runCli, scratchDir } from './run-cli.js';

const ROWS = 600;
const DAY = 86_400_000;
const NOW = Date.now();
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** A field as bytes; `mustReject` says the mutation alone rejects the row; null = not mutated. */
interface Row {
  fields: Buffer[];
  mutation: string | null;
  mustReject: boolean;
}

interface FileSpec {
  name: string;
  header: string | null;
  delimiter: string;
  /** CSV quoting ("...", doubled quotes) for fields that need it; false for MovieLens and libFM. */
  quoted: boolean;
  rows: Row[];
}

/** What a format's columns are, for the mutations. */
interface Columns {
  width: number;
  ids: number[];
  /** Numeric columns (numbers or attributes): a number no double holds rejects the row. */
  numbers: number[];
  /** Numeric columns where such a number is a missing value instead (Santander's age). */
  lenient?: number[];
  /** Event date columns: a date after the load time rejects the row. */
  dates: number[];
  /** Columns the mutations must leave alone (see Santander). */
  fixed?: number[];
  /** Whether a field over the size limit rejects the row (DuckDB reads Santander without limits). */
  limited: boolean;
  /** Whether a field too many or too few rejects the row (libFM lines have any number of features). */
  fixedWidth: boolean;
  dateValues?: { ok: string[]; future: string[]; bad: string[] };
}

const NON_FINITE = ['1e400', '-1e400', 'NaN', 'Infinity', '-inf'];
const ODD_NUMBERS = ['-0', '1e-400', '9007199254740993', '0x10', '1e308', '-1', '2147483648', '007'];
const EVENT_DATES = {
  ok: ['0001-01-01', '1800-06-15 12:00', '1970-01-01', '20160102', '881250949', '1451729000000', '2016-01-02T10:00:00+05:00', iso(NOW + DAY / 24)],
  future: ['2999-01-01', '9999-12-31 23:59:59', iso(NOW + 3 * DAY)],
  bad: ['2016-02-30', '99999-01-01', 'yesterday', '2016-13-01'],
};

/** Random bytes: text, separators, quotes, whitespace, multi-byte characters and invalid UTF-8. */
function randomBytes(rng: Rng, newline: boolean): Buffer {
  const pieces = ['a', 'Z', '1', '0', '-', '.', 'e', ' ', '\t', ',', ';', '|', ':', '"', '\u0000', 'é', '€', '😀', '\uFEFF', 'NA', '\u00a0'];
  if (newline) pieces.push('\n');
  const raw = [[0xff], [0x80], [0xc3], [0xe2, 0x82], [0xfe]];
  const parts: Buffer[] = [];
  for (let n = 1 + rng.int(12); n > 0; n--) {
    parts.push(rng.bernoulli(0.8) ? Buffer.from(pieces[rng.int(pieces.length)]) : Buffer.from(raw[rng.int(raw.length)]));
  }
  return Buffer.concat(parts);
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

/** Mutates about half of the rows (never the first: loaders check line 1 before anything is written). */
function mutate(rng: Rng, rows: Row[], cols: Columns, newline: boolean, entity: boolean): void {
  const free = (i: number): boolean => !cols.fixed?.includes(i);
  const any = (): number => {
    for (;;) {
      const i = rng.int(cols.width);
      if (free(i)) return i;
    }
  };
  for (let r = 1; r < rows.length; r++) {
    if (!rng.bernoulli(0.5)) continue;
    const row = rows[r];
    const f = row.fields;
    const kinds = ['bytes', 'swap', 'number', 'date', 'dup', 'long', 'width', 'empty'];
    const kind = pick(rng, kinds);
    row.mutation = kind;
    if (kind === 'bytes') f[any()] = randomBytes(rng, newline);
    else if (kind === 'swap') {
      const [a, b] = [any(), any()];
      [f[a], f[b]] = [f[b], f[a]];
    } else if (kind === 'number' && cols.numbers.length) {
      const bad = rng.bernoulli(0.5);
      const column = pick(rng, [...cols.numbers, ...(cols.lenient ?? [])]);
      f[column] = Buffer.from(bad ? pick(rng, NON_FINITE) : pick(rng, ODD_NUMBERS));
      row.mustReject = bad && cols.numbers.includes(column);
    } else if (kind === 'date' && cols.dates.length && cols.dateValues) {
      const which = pick(rng, (['ok', 'future', 'bad'] as const).filter((k) => cols.dateValues?.[k].length));
      f[pick(rng, cols.dates)] = Buffer.from(pick(rng, cols.dateValues[which]));
      row.mustReject = which !== 'ok';
    } else if (kind === 'dup') {
      const earlier = rows[rng.int(r)];
      if (entity || !cols.ids.length || rng.bernoulli(0.5)) row.fields = earlier.fields.map((x) => Buffer.from(x));
      else for (const i of cols.ids) f[i] = Buffer.from(earlier.fields[i]);
    } else if (kind === 'long' && cols.limited) {
      const id = cols.ids.length > 0 && rng.bernoulli(0.5);
      f[id ? pick(rng, cols.ids) : any()] = Buffer.from((id ? 'I' : 'x').repeat(id ? 257 + rng.int(100) : 4097 + rng.int(3000)));
      row.mustReject = true;
    } else if (kind === 'width' && cols.fixedWidth) {
      if (rng.bernoulli(0.5)) row.fields = f.slice(0, -1);
      else row.fields = [...f, Buffer.from('extra')];
      row.mustReject = true;
    } else if (kind === 'empty') f[any()] = Buffer.alloc(0);
    else row.mutation = null;
  }
}

const QUOTE = 0x22;
function quoteField(field: Buffer, delimiter: string): Buffer {
  const needs = field.includes(QUOTE) || field.includes(delimiter) || field.includes(0x0a);
  if (!needs) return field;
  const parts: number[] = [QUOTE];
  for (const b of field) {
    parts.push(b);
    if (b === QUOTE) parts.push(QUOTE);
  }
  parts.push(QUOTE);
  return Buffer.from(parts);
}

/** Writes the file; returns each row's start line. */
function writeFile(dir: string, spec: FileSpec): number[] {
  const chunks: Buffer[] = [];
  let line = 1;
  if (spec.header !== null) {
    chunks.push(Buffer.from(spec.header + '\n'));
    line++;
  }
  const starts: number[] = [];
  const sep = Buffer.from(spec.delimiter);
  for (const row of spec.rows) {
    starts.push(line);
    const fields = row.fields.map((f) => (spec.quoted ? quoteField(f, spec.delimiter) : f));
    const text = Buffer.concat([...fields.flatMap((f, i) => (i ? [sep, f] : [f])), Buffer.from('\n')]);
    for (const b of text) if (b === 0x0a) line++;
    chunks.push(text);
  }
  writeFileSync(join(dir, spec.name), Buffer.concat(chunks));
  return starts;
}

/** A minimal CSV parser for the rejects file (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

interface Outcome {
  report: Record<string, unknown> & { accepted: number; rejected: number; store: Record<string, number> };
  /** Per file: whether each row was accepted. */
  accepted: Map<string, boolean[]>;
  store: string;
}

/**
 * Runs the CLI on `input` and checks the row accounting; `fileOf` names the file a reject belongs to
 * (from its reason) when one load reads several files.
 */
function ingest(dir: string, format: string, input: string, files: FileSpec[], fileOf: (reason: string) => string = () => files[0].name): Outcome {
  const starts = new Map(files.map((spec) => [spec.name, writeFile(dir, spec)]));
  const r = runCli(['ingest', '--format', format, input, '--json', '--rejects', 'rejects.csv', '--store', 'fuzz.duckdb'], dir);
  expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
  expect([0, 2]).toContain(r.code);
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout) as Outcome['report'];
  const rows = files.reduce((n, spec) => n + spec.rows.length, 0);
  expect(report.accepted + report.rejected).toBe(rows);

  const rejects = report.rejected ? parseCsv(readFileSync(join(dir, 'rejects.csv'), 'utf8')).slice(1) : [];
  expect(rejects).toHaveLength(report.rejected);
  const accepted = new Map(files.map((spec) => [spec.name, spec.rows.map(() => true)]));
  for (const [line, reason] of rejects) {
    const file = fileOf(reason);
    const index = (starts.get(file) as number[]).indexOf(Number(line));
    expect(index, `${file}: rejected line ${line} is not where a row starts (${reason})`).toBeGreaterThanOrEqual(0);
    const flags = accepted.get(file) as boolean[];
    expect(flags[index], `${file}: line ${line} rejected twice`).toBe(true);
    flags[index] = false;
  }
  for (const spec of files) {
    const flags = accepted.get(spec.name) as boolean[];
    spec.rows.forEach((row, i) => {
      const what = `${spec.name} row ${i + 1} (${row.mutation}): ${row.fields.map((f) => f.toString()).join(spec.delimiter).slice(0, 200)}`;
      if (row.mutation === null) expect(flags[i], `unmutated ${what} was rejected`).toBe(true);
      if (row.mustReject) expect(flags[i], `${what} was accepted`).toBe(false);
    });
  }
  return { report, accepted, store: join(dir, 'fuzz.duckdb') };
}

/** The accepted rows of a file, each field decoded as the loader reads it. */
function acceptedRows(spec: FileSpec, outcome: Outcome, encoding: 'utf8' | 'latin1' = 'utf8'): string[][] {
  const flags = outcome.accepted.get(spec.name) as boolean[];
  return spec.rows.filter((_, i) => flags[i]).map((row) => row.fields.map((f) => f.toString(encoding)));
}


/**
 * Ids and descriptions keep to the size limits, no event lies after the load time, and every
 * attribute object is JSON whose numbers are finite.
 */
async function expectLimits(store: string): Promise<void> {
  const [[customer, product, description, latest]] = await storeRows(
    store,
    `SELECT (SELECT coalesce(max(length(customer_id)), 0) FROM customers), (SELECT coalesce(max(length(product_id)), 0) FROM products),
       (SELECT coalesce(max(length(description)), 0) FROM products), (SELECT coalesce(max(epoch_ms(ts)), 0) FROM events)`,
  );
  expect(Number(customer)).toBeLessThanOrEqual(256);
  expect(Number(product)).toBeLessThanOrEqual(256);
  expect(Number(description)).toBeLessThanOrEqual(4096);
  expect(Number(latest)).toBeLessThanOrEqual(Date.now() + DAY);
  const attributes = await storeRows(
    store,
    `SELECT CAST(attributes AS VARCHAR) FROM customers UNION ALL SELECT CAST(attributes AS VARCHAR) FROM products`,
  );
  for (const [json] of attributes) {
    const values = Object.values(JSON.parse(String(json)) as Record<string, unknown>);
    expect(values.every((v) => typeof v === 'string' || Number.isFinite(v)), String(json)).toBe(true);
  }
}

const distinct = (xs: Iterable<string>): number => new Set(xs).size;
const rowsOf = (rng: Rng, base: (i: number, rng: Rng) => string[]): Row[] =>
  Array.from({ length: ROWS }, (_, i) => ({ fields: base(i, rng).map((f) => Buffer.from(f)), mutation: null, mustReject: false }));

describe('ingest fuzz: every format, a few hundred mutated rows each', () => {
  it('events CSV', async () => {
    const rng = new Rng(1501);
    const dir = scratchDir();
    const header = 'Idcol,interaction,int_date,item,item_type,item_descrip,segment,beh_segment,active_ind,page,tod';
    const rows = rowsOf(rng, (i, g) => [
      `C${g.int(60)}`, pick(g, ['DISPLAY', 'CLICK', 'CHECKOUT']), `2016-0${1 + g.int(9)}-1${g.int(10)} 10:0${g.int(10)}:00`,
      `P${g.int(20)}`, 'card', `Card ${i % 20}`, pick(g, ['MASS', 'AFFLUENT']), 'DIGITAL', String(g.int(2)), 'home', pick(g, ['morning', 'evening']),
    ]);
    // A few exact repeats before mutation: the same event loaded twice is one event.
    for (let i = 10; i < ROWS; i += 37) rows[i].fields = rows[i - 5].fields.map((f) => Buffer.from(f));
    mutate(rng, rows, { width: 11, ids: [0, 3], numbers: [8], dates: [2], dateValues: EVENT_DATES, limited: true, fixedWidth: true }, true, false);
    const spec: FileSpec = { name: 'events.csv', header, delimiter: ',', quoted: true, rows };
    const outcome = ingest(dir, 'events', 'events.csv', [spec]);

    const types: Record<string, string> = { DISPLAY: 'display', CLICK: 'click', CHECKOUT: 'checkout' };
    const good = acceptedRows(spec, outcome);
    const events = good.map((f) => {
      const context = Object.fromEntries((['page', 'tod'] as const).map((k, j) => [k, f[9 + j].trim()]).filter(([, v]) => v !== ''));
      const time = (parseTimestamp(f[2]) as Date).getTime();
      return JSON.stringify([f[0].trim(), f[3].trim(), time, types[f[1].trim().toUpperCase()], context]);
    });
    expect(outcome.report.store).toMatchObject({
      events: distinct(events),
      customers: distinct(good.map((f) => f[0].trim())),
      products: distinct(good.map((f) => f[3].trim())),
    });
    expect(distinct(events)).toBeLessThan(good.length); // the repeats were there to be deduplicated
    await expectLimits(outcome.store);
  });

  it('customers, products and offers CSVs', async () => {
    const rng = new Rng(1502);
    const dir = scratchDir();
    const customers: FileSpec = {
      name: 'customers.csv',
      header: 'customer_id,age,segment,income',
      delimiter: ',',
      quoted: true,
      rows: rowsOf(rng, (i, g) => [`C${i}`, String(18 + g.int(60)), pick(g, ['MASS', 'AFFLUENT', 'NA']), String(g.int(100000))]),
    };
    mutate(rng, customers.rows, { width: 4, ids: [0], numbers: [1, 3], dates: [], limited: true, fixedWidth: true }, true, true);
    const c = ingest(dir, 'customers', 'customers.csv', [customers]);
    expect(c.report.store).toMatchObject({ customers: c.report.accepted, products: 0, events: 0 });
    await expectLimits(c.store);

    const products: FileSpec = {
      name: 'products.csv',
      header: 'product_id,type,description,fee',
      delimiter: ',',
      quoted: true,
      rows: rowsOf(rng, (i, g) => [`P${i}`, pick(g, ['card', 'loan']), `Product ${i}, "special"`, String(g.int(50))]),
    };
    mutate(rng, products.rows, { width: 4, ids: [0], numbers: [3], dates: [], limited: true, fixedWidth: true }, true, true);
    const pdir = scratchDir();
    const p = ingest(pdir, 'products', 'products.csv', [products]);
    expect(p.report.store).toMatchObject({ products: p.report.accepted, customers: 0 });
    await expectLimits(p.store);

    const offers: FileSpec = {
      name: 'offers.csv',
      header: 'offer_id,product_id,reward,reward_value,valid_from,valid_to,eligibility',
      delimiter: ',',
      quoted: true,
      rows: rowsOf(rng, (i, g) => [
        `O${i}`, `P${g.int(30)}`, 'cashback', String(g.int(100)), '2016-01-01', pick(g, ['2016-12-31', '2999-12-31', '']),
        pick(g, ['', '{"minAge":18}', '{"segments":["MASS"]}']),
      ]),
    };
    // valid_to is a validity window, not an event date: 2999 is fine there.
    mutate(rng, offers.rows, { width: 7, ids: [0, 1], numbers: [3], dates: [], limited: true, fixedWidth: true }, true, true);
    const odir = scratchDir();
    const o = ingest(odir, 'offers', 'offers.csv', [offers]);
    const good = acceptedRows(offers, o);
    expect(o.report.store).toMatchObject({ offers: o.report.accepted, products: distinct(good.map((f) => f[1].trim())) });
    await expectLimits(o.store);
  });

  it('MovieLens folder (u.data, u.user, u.item)', async () => {
    const rng = new Rng(1503);
    const dir = scratchDir();
    mkdirSync(join(dir, 'ml'));
    const genres = (g: Rng): string[] => Array.from({ length: 19 }, () => String(g.int(2)));
    const users: FileSpec = {
      name: 'ml/u.user',
      header: null,
      delimiter: '|',
      quoted: false,
      rows: rowsOf(rng, (i, g) => [String(i + 1), String(18 + g.int(60)), pick(g, ['M', 'F']), 'writer', String(10000 + g.int(80000))]),
    };
    const items: FileSpec = {
      name: 'ml/u.item',
      header: null,
      delimiter: '|',
      quoted: false,
      rows: rowsOf(rng, (i, g) => [String(i + 1), `Movie ${i} (199${g.int(10)})`, '01-Jan-1995', '', 'http://x', ...genres(g)]),
    };
    const ratings: FileSpec = {
      name: 'ml/u.data',
      header: null,
      delimiter: '\t',
      quoted: false,
      rows: rowsOf(rng, (_, g) => [String(1 + g.int(ROWS)), String(1 + g.int(ROWS)), String(1 + g.int(5)), String(880000000 + g.int(10000000))]),
    };
    mutate(rng, users.rows, { width: 5, ids: [0], numbers: [1], dates: [], limited: true, fixedWidth: true }, false, true);
    mutate(rng, items.rows, { width: 24, ids: [0], numbers: [], dates: [], limited: true, fixedWidth: true }, false, true);
    const seconds = { ok: ['0', '1', '1451729000'], future: ['32503680000', '999999999999', String(Math.floor((NOW + 3 * DAY) / 1000))], bad: ['-1', '1e9', '1451729000.5'] };
    mutate(rng, ratings.rows, { width: 4, ids: [0, 1], numbers: [2], dates: [3], dateValues: seconds, limited: true, fixedWidth: true }, false, false);
    const files = [users, items, ratings];
    const outcome = ingest(dir, 'movielens', 'ml', files, (reason) => `ml/${reason.slice(0, reason.indexOf(':'))}`);

    // The user and movie files are read as latin-1 when their bytes are not UTF-8.
    const encoding = (spec: FileSpec): 'utf8' | 'latin1' => (isUtf8(readFileSync(join(dir, spec.name))) ? 'utf8' : 'latin1');
    const u = acceptedRows(users, outcome, encoding(users));
    const m = acceptedRows(items, outcome, encoding(items));
    const r = acceptedRows(ratings, outcome);
    expect(outcome.report.store).toMatchObject({
      customers: distinct([...u.map((f) => f[0].trim()), ...r.map((f) => f[0].trim())]),
      products: distinct([...m.map((f) => f[0].trim()), ...r.map((f) => f[1].trim())]),
      events: distinct(r.map((f) => JSON.stringify([f[0].trim(), f[1].trim(), Number(f[2]), Number(f[3])]))),
    });
    await expectLimits(outcome.store);
  });

  it('Santander snapshots', async () => {
    const rng = new Rng(1504);
    const dir = scratchDir();
    const flags = SANTANDER_PRODUCTS.map((p) => p.column);
    const header = ['fecha_dato', 'ncodpers', 'age', 'segmento', ...flags].join(',');
    const months = ['2015-01-28', '2015-02-28', '2015-03-28', '2015-04-28', '2015-05-28', '2015-06-28'];
    // Customers of 6 rows each, one row per month; the 'dup' mutation repeats a row, and every row of a
    // repeated (customer, month) is rejected (which row holds that month's products is unknowable).
    const rows = rowsOf(rng, (i, g) => [
      months[i % 6], String(1000 + Math.floor(i / 6)), String(18 + g.int(60)), pick(g, ['01 - TOP', '02 - PARTICULARES']),
      ...flags.map(() => (g.bernoulli(0.2) ? '1' : '0')),
    ]);
    const monthValues = { ok: [] as string[], future: ['2999-01-28', iso(NOW + 3 * DAY).slice(0, 10)], bad: ['2015-02-30', 'x', ''] };
    // Mutations leave fecha_dato and ncodpers to the date values above and exact repeats ('dup').
    // age is read with TRY_CAST: a number it cannot hold is a missing value, not a rejected row.
    const cols = { width: 4 + flags.length, ids: [], numbers: [4, 5, 6], lenient: [2], dates: [0], dateValues: monthValues, fixed: [0, 1] };
    mutate(rng, rows, { ...cols, limited: false, fixedWidth: true }, false, false);
    const key = (row: Row): string => `${row.fields[0].toString()},${row.fields[1].toString()}`;
    const seen = new Map<string, number>();
    for (const row of rows) seen.set(key(row), (seen.get(key(row)) ?? 0) + 1);
    for (const row of rows) {
      if ((seen.get(key(row)) as number) < 2) continue;
      row.mutation ??= 'repeated';
      row.mustReject = true;
    }
    expect([...seen.values()].some((n) => n > 1)).toBe(true);
    const spec: FileSpec = { name: 'train.csv', header, delimiter: ',', quoted: true, rows };
    const outcome = ingest(dir, 'santander', 'train.csv', [spec]);

    const good = acceptedRows(spec, outcome).map((f) => ({
      customer: String(BigInt(f[1].trim())),
      month: (parseTimestamp(f[0]) as Date).getTime(),
      held: flags.map((_, j) => Number(f[4 + j].trim()) === 1),
    }));
    const holdings = new Set(good.flatMap((g) => g.held.flatMap((h, j) => (h ? [`${g.customer}|${j}|${g.month}`] : []))));
    let changes = 0;
    const byCustomer = new Map<string, typeof good>();
    for (const g of good) byCustomer.set(g.customer, [...(byCustomer.get(g.customer) ?? []), g]);
    for (const list of byCustomer.values()) {
      list.sort((a, b) => a.month - b.month);
      for (let k = 1; k < list.length; k++) changes += list[k].held.filter((h, j) => h !== list[k - 1].held[j]).length;
    }
    expect(outcome.report.store).toMatchObject({
      customers: byCustomer.size,
      products: flags.length,
      holdings: holdings.size,
      events: changes,
    });
    await expectLimits(outcome.store);
  });

  it('UCI bank.csv', async () => {
    const rng = new Rng(1505);
    const dir = scratchDir();
    const header = '"age";"job";"marital";"education";"default";"balance";"housing";"loan";"contact";"day";"month";"duration";"campaign";"pdays";"previous";"poutcome";"y"';
    const rows = rowsOf(rng, (_, g) => [
      String(18 + g.int(60)), 'admin.', 'married', 'secondary', 'no', String(g.int(5000) - 500), 'yes', 'no', 'cellular',
      String(1 + g.int(28)), pick(g, ['jan', 'may', 'nov']), String(g.int(600)), '1', '-1', '0', 'unknown', pick(g, ['yes', 'no']),
    ]);
    mutate(rng, rows, { width: 17, ids: [], numbers: [0, 5], dates: [], limited: true, fixedWidth: true }, true, false);
    const spec: FileSpec = { name: 'bank.csv', header, delimiter: ';', quoted: true, rows };
    const outcome = ingest(dir, 'bank', 'bank.csv', [spec]);
    // One customer and one event per accepted row; the one product is written whatever the rows hold.
    expect(outcome.report.store).toMatchObject({ customers: outcome.report.accepted, events: outcome.report.accepted, products: 1 });
    await expectLimits(outcome.store);
  });

  it('libFM text', async () => {
    const rng = new Rng(1506);
    const dir = scratchDir();
    const rows = rowsOf(rng, (_, g) => [String(1 + g.int(5)), `${g.int(100)}:1`, `${100 + g.int(50)}:1`, `${200 + g.int(5)}:0.5`]);
    mutate(rng, rows, { width: 4, ids: [1, 2], numbers: [0], dates: [], limited: true, fixedWidth: false }, false, false);
    // A line of whitespace only is blank, not a row; the model needs every row to be a line with text.
    for (const row of rows) if (Buffer.concat(row.fields).toString().trim() === '') row.fields[0] = Buffer.from('x');
    const spec: FileSpec = { name: 'data.libfm', header: null, delimiter: ' ', quoted: false, rows };
    const outcome = ingest(dir, 'libfm', 'data.libfm', [spec]);
    // Without a map the first feature is the customer (u<index>) and the second the product (i<index>);
    // each line is its own event (its time is its line number).
    const good = acceptedRows(spec, outcome).map((f) => f.join(' ').trim().split(/\s+/).slice(1).map((t) => `${Number(t.split(':')[0])}`));
    expect(outcome.report.store).toMatchObject({
      events: outcome.report.accepted,
      customers: distinct(good.map((t) => t[0])),
      products: distinct(good.map((t) => t[1])),
    });
    await expectLimits(outcome.store);
  });
});
