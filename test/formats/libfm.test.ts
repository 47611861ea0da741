import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NextbestError } from '../../src/core/errors.js';
import { detectFormat } from '../../src/data/formats/index.js';
import { exportLibfm, libfm, libfmMapPath, looksLikeLibfm, type LibfmRow } from '../../src/data/formats/libfm.js';
import { MemorySink } from './memory-sink.js';

const root = mkdtempSync(join(tmpdir(), 'nextbest-libfm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function* stream<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('libFM export', () => {
  it('writes customer, product, then extra features in blocks, and the index map', async () => {
    const out = join(root, 'small.libfm');
    const counts = await exportLibfm(
      stream<LibfmRow>([
        { customerId: '196', productId: '242', value: 3 },
        { customerId: '186', productId: '302', value: 3.5, features: { hour: 9, weekend: 0 } },
        { customerId: '196', productId: '302', value: 1, features: { weekend: 1, hour: 20 } },
      ]),
      out,
    );
    expect(counts).toEqual({ rows: 3, features: 6, mapPath: libfmMapPath(out) });
    expect(readFileSync(out, 'utf8')).toBe('3 0:1 2:1\n3.5 1:1 3:1 4:9\n1 0:1 3:1 4:20 5:1\n');
    expect(JSON.parse(readFileSync(counts.mapPath, 'utf8'))).toEqual({
      0: 'customer:196',
      1: 'customer:186',
      2: 'product:242',
      3: 'product:302',
      4: 'feature:hour',
      5: 'feature:weekend',
    });
    expect(existsSync(`${out}.tmp`)).toBe(false);
  });
});

describe('libFM round trip', () => {
  it('export then import gives the same (customer, product, value) triples and features as context', async () => {
    const rows: LibfmRow[] = [];
    for (let i = 0; i < 500; i++) {
      rows.push({ customerId: `c ${i % 37}`, productId: `p-${(i * 7) % 23}`, value: ((i % 9) + 1) / 2, features: i % 5 ? {} : { hour: i % 24 } });
    }
    const out = join(root, 'trip.libfm');
    await exportLibfm(stream(rows), out);
    expect(await detectFormat(out)).toBe('libfm');
    const sink = new MemorySink();
    expect(await libfm.load(out, sink, {})).toEqual({ accepted: 500, rejected: 0 });
    expect(sink.events.map((e) => ({ customerId: e.customerId, productId: e.productId, value: e.value }))).toEqual(
      rows.map(({ customerId, productId, value }) => ({ customerId, productId, value })),
    );
    expect(sink.events[0].context).toEqual({}); // hour 0 is a zero feature: not written
    expect(sink.events[5].context).toEqual({ hour: '5' });
    expect(sink.events.every((e) => e.type === 'rating')).toBe(true);
    expect(sink.events[2].timestamp).toEqual(new Date(3000)); // epoch 0 + line 3 seconds
  });
});

describe('libFM import', () => {
  it('without a map: first feature is the customer, second the product; malformed lines are rejected', async () => {
    const path = join(root, 'plain.txt');
    writeFileSync(path, ['5 0:1 10:1 20:0.5', '1\t3:1\t11:1', '', 'x 0:1 10:1', '4 0:1 ten:1', '4 0:1', '2 1:1 12:1 13'].join('\n') + '\n');
    expect(await detectFormat(path)).toBe('libfm');
    const sink = new MemorySink();
    expect(await libfm.load(path, sink, {})).toEqual({ accepted: 2, rejected: 4 });
    expect(sink.events.map((e) => [e.customerId, e.productId, e.value, e.timestamp.getTime()])).toEqual([
      ['u0', 'i10', 5, 1000],
      ['u3', 'i11', 1, 2000],
    ]);
    expect(sink.rejects).toEqual([
      { line: 4, reason: 'target "x" is not a number', raw: 'x 0:1 10:1' },
      { line: 5, reason: 'feature "ten:1" is not index:value', raw: '4 0:1 ten:1' },
      { line: 6, reason: 'expected a customer and a product feature, found 1 feature', raw: '4 0:1' },
      { line: 7, reason: 'feature "13" is not index:value', raw: '2 1:1 12:1 13' },
    ]);
  });

  it('with a map: rejects features the map does not name', async () => {
    const path = join(root, 'mapped.libfm');
    writeFileSync(path, '1 0:1 1:1\n1 0:1 7:1\n1 0:1 2:1\n');
    writeFileSync(libfmMapPath(path), JSON.stringify({ 0: 'customer:a', 1: 'product:b', 2: 'feature:x' }));
    const sink = new MemorySink();
    expect(await libfm.load(path, sink, {})).toEqual({ accepted: 1, rejected: 2 });
    expect(sink.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, `feature index 7 is not in ${libfmMapPath(path)}`],
      [3, `no product feature: ${libfmMapPath(path)} names none of this line's features "product:..."`],
    ]);
  });

  it('throws WRONG_FORMAT for a CSV file or a broken map, before writing anything', async () => {
    const csv = join(root, 'not.csv');
    writeFileSync(csv, 'a,b,c\n1,2,3\n');
    const sink = new MemorySink();
    const e1 = (await libfm.load(csv, sink, {}).catch((e: unknown) => e)) as NextbestError;
    expect(e1).toBeInstanceOf(NextbestError);
    expect(e1.code).toBe('WRONG_FORMAT');
    expect(e1.message).toMatch(/is not a libFM file: line 1 should be "target index:value/);

    const path = join(root, 'badmap.libfm');
    writeFileSync(path, '1 0:1 1:1\n');
    writeFileSync(libfmMapPath(path), '{not json');
    const e2 = (await libfm.load(path, sink, {}).catch((e: unknown) => e)) as NextbestError;
    expect(e2.code).toBe('WRONG_FORMAT');
    expect(e2.message).toMatch(/is not a libFM feature map \(not valid JSON\)/);
    expect(sink.written).toBe(0);
  });

  it('recognises libFM lines', () => {
    expect(looksLikeLibfm('1 0:1 5:1')).toBe(true);
    expect(looksLikeLibfm('-1.5\t3:0.25 9:1e-3')).toBe(true);
    expect(looksLikeLibfm('age,job,y')).toBe(false);
    expect(looksLikeLibfm('1')).toBe(false);
    expect(looksLikeLibfm('1 2 3')).toBe(false);
  });
});
