import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NextbestError } from '../../src/core/errors.js';
import { bank } from '../../src/data/formats/bank.js';
import { detectFormat } from '../../src/data/formats/index.js';
import { MemorySink } from './memory-sink.js';

const root = mkdtempSync(join(tmpdir(), 'nextbest-bank-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEADER =
  '"age";"job";"marital";"education";"default";"balance";"housing";"loan";"contact";"day";"month";"duration";"campaign";"pdays";"previous";"poutcome";"y"';
const file = (name: string, lines: string[]): string => {
  const path = join(root, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
};

describe('bank loader', () => {
  const path = file('bank.csv', [
    HEADER,
    '30;"unemployed";"married";"primary";"no";1787;"no";"no";"cellular";19;"oct";79;1;-1;0;"unknown";"no"',
    '33;"services";"married";"secondary";"no";4789;"yes";"yes";"cellular";11;"may";220;1;339;4;"failure";"yes"',
    '59;"unknown";"married";"unknown";"no";0;"yes";"no";"unknown";5;"may";226;1;-1;0;"unknown";"maybe"',
    '35;"management";"single";"tertiary";"no";747;"no";"no";"cellular";23;"feb";141;2;176;3;"failure"',
    '36;"self-employed";"married";"tertiary";"no";307;"yes";"no";"cellular";14;"mai";341;1;330;2;"other";"no"',
    '39;"technician";"married";"secondary";"no";147;"yes";"no";"cellular";32;"may";151;2;-1;0;"unknown";"no"',
    '41;"entrepreneur";"married";"tertiary";"no";221;"yes";"no";"unknown";30;"feb";57;2;-1;0;"unknown";"no"',
    '43;"services";"married";"primary";"no";-88;"yes";"yes";"cellular";29;"feb";313;1;147;2;"failure";"no"',
  ]);

  it('loads one customer and one accept/decline event per row', async () => {
    expect(await detectFormat(path)).toBe('bank');
    const sink = new MemorySink();
    expect(await bank.load(path, sink, {})).toEqual({ accepted: 3, rejected: 5 });
    expect(sink.products).toEqual([{ id: 'term_deposit', type: 'deposit', description: 'Term deposit', attributes: {} }]);
    expect(sink.customers[0]).toEqual({
      id: 'bank-2',
      attributes: { age: 30, job: 'unemployed', marital: 'married', education: 'primary', default: 'no', balance: 1787, housing: 'no', loan: 'no' },
    });
    expect(sink.customers.map((c) => c.id)).toEqual(['bank-2', 'bank-3', 'bank-9']);
    expect(sink.customers[2].attributes.balance).toBe(-88);
    expect(sink.events[0]).toEqual({
      customerId: 'bank-2',
      productId: 'term_deposit',
      timestamp: new Date(Date.UTC(2008, 9, 19)),
      type: 'decline',
      value: 0,
      context: { contact: 'cellular', campaign: '1', pdays: '-1', previous: '0', poutcome: 'unknown', duration: '79' },
    });
    expect(sink.events[1]).toMatchObject({ customerId: 'bank-3', type: 'accept', value: 1, timestamp: new Date('2008-05-11T00:00:00Z') });
    expect(sink.events[2].timestamp).toEqual(new Date('2008-02-29T00:00:00Z')); // 2008 is a leap year
    expect(sink.rejects.map(({ line, reason }) => ({ line, reason }))).toEqual([
      { line: 4, reason: 'y "maybe" is not yes or no' },
      { line: 5, reason: 'expected 17 fields, found 16' },
      { line: 6, reason: 'month "mai" is not a 3-letter month (jan ... dec)' },
      { line: 7, reason: 'day "32" is not a day of the month (1-31)' },
      { line: 8, reason: 'day 30 does not exist in feb' },
    ]);
  });

  it('turns "unknown" into null attributes', async () => {
    const sink = new MemorySink();
    await bank.load(file('unknowns.csv', [HEADER, '59;"unknown";"married";"unknown";"no";0;"yes";"no";"unknown";5;"may";226;1;-1;0;"unknown";"no"']), sink, {});
    expect(sink.customers[0].attributes).toMatchObject({ job: null, education: null, balance: 0 });
    expect(sink.events[0].context.contact).toBe('unknown');
  });

  it('rejects a file that is not bank.csv before writing anything', async () => {
    const sink = new MemorySink();
    const error = await bank.load(file('other.csv', ['a;b;c', '1;2;3']), sink, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NextbestError);
    expect((error as NextbestError).code).toBe('WRONG_COLUMNS');
    expect((error as NextbestError).message).toMatch(/is not a UCI Bank Marketing bank\.csv: missing columns age, job/);
    expect(sink.written).toBe(0);
    const missing = await bank.load(join(root, 'absent.csv'), sink, {}).catch((e: unknown) => e);
    expect((missing as NextbestError).code).toBe('FILE_NOT_FOUND');
  });
});
