// Writes (customer, product, value[, named features]) rows as libFM text plus the `<out>.map.json` index ->
// name file that the libfm loader reads back. Feature indices are laid out in blocks: customers' one-hot
// block first (0 .. C-1), then products (C .. C+P-1), then the extra named features; every line lists
// its customer, its product, then its non-zero extra features, so indices ascend within a line (as
// libFM and SVMlight readers expect). The block sizes are only known at the end, so rows are first
// spooled with block-local indices to `<out>.tmp` and then rewritten with the offsets: memory holds
// only the id -> index maps, never the rows.
import { createReadStream, existsSync } from 'node:fs';
import { open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { NextbestError } from '../../core/errors.js';
import { CUSTOMER_PREFIX, FEATURE_PREFIX, libfmMapPath, PRODUCT_PREFIX } from './libfm-map.js';

export interface LibfmRow {
  customerId: string;
  productId: string;
  value: number;
  /** Extra named features (e.g. { hour: 9 }); zeros are left out, as libFM reads absent features as 0. */
  features?: Record<string, number>;
}

export interface LibfmExportCounts {
  rows: number;
  /** Distinct features: customers + products + extra names. */
  features: number;
  mapPath: string;
}

/** Buffers lines and writes them to the file in large pieces. */
class Writer {
  private buf: string[] = [];
  private length = 0;
  private constructor(private readonly file: FileHandle) {}

  static async open(path: string): Promise<Writer> {
    return new Writer(await open(path, 'w'));
  }

  async line(s: string): Promise<void> {
    this.buf.push(s);
    this.length += s.length + 1;
    if (this.length >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buf.length) return;
    const text = this.buf.join('\n') + '\n';
    this.buf = [];
    this.length = 0;
    await this.file.write(text);
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.file.close();
    }
  }
}

const indexOf = (map: Map<string, number>, key: string): number => {
  let i = map.get(key);
  if (i === undefined) map.set(key, (i = map.size));
  return i;
};

export async function exportLibfm(rows: AsyncIterable<LibfmRow>, outPath: string): Promise<LibfmExportCounts> {
  const customers = new Map<string, number>();
  const products = new Map<string, number>();
  const extras = new Map<string, number>();
  const spoolPath = `${outPath}.tmp`;
  const mapPath = libfmMapPath(outPath);
  if (!existsSync(dirname(outPath))) {
    throw new NextbestError('FILE_NOT_FOUND', `folder ${dirname(outPath)} does not exist; create it or choose another output path`);
  }
  let count = 0;
  try {
    // Pass 1: block-local indices, "value c p e:v e:v".
    const spool = await Writer.open(spoolPath);
    try {
      for await (const row of rows) {
        count++;
        if (!Number.isFinite(row.value)) {
          throw new NextbestError('UNSUITABLE_DATA', `libFM export: row ${count} has value ${row.value}, not a finite number`);
        }
        const parts = [String(row.value), String(indexOf(customers, row.customerId)), String(indexOf(products, row.productId))];
        if (row.features) {
          const extra: [number, number][] = [];
          for (const [name, value] of Object.entries(row.features)) {
            if (!Number.isFinite(value)) {
              throw new NextbestError('UNSUITABLE_DATA', `libFM export: row ${count} feature "${name}" is ${value}, not a finite number`);
            }
            if (value !== 0) extra.push([indexOf(extras, name), value]);
          }
          extra.sort((a, b) => a[0] - b[0]);
          for (const [i, v] of extra) parts.push(`${i}:${v}`);
        }
        await spool.line(parts.join(' '));
      }
    } finally {
      await spool.close();
    }

    // Pass 2: shift products and extras past the customer block.
    const productBase = customers.size;
    const extraBase = customers.size + products.size;
    const out = await Writer.open(outPath);
    try {
      const lines = createInterface({ input: createReadStream(spoolPath), crlfDelay: Infinity });
      for await (const text of lines) {
        if (!text) continue;
        const p = text.split(' ');
        let line = `${p[0]} ${p[1]}:1 ${productBase + +p[2]}:1`;
        for (let i = 3; i < p.length; i++) {
          const colon = p[i].indexOf(':');
          line += ` ${extraBase + +p[i].slice(0, colon)}${p[i].slice(colon)}`;
        }
        await out.line(line);
      }
    } finally {
      await out.close();
    }

    const names: Record<string, string> = {};
    for (const [id, i] of customers) names[i] = CUSTOMER_PREFIX + id;
    for (const [id, i] of products) names[productBase + i] = PRODUCT_PREFIX + id;
    for (const [name, i] of extras) names[extraBase + i] = FEATURE_PREFIX + name;
    await writeFile(mapPath, JSON.stringify(names) + '\n');
  } finally {
    await rm(spoolPath, { force: true });
  }
  return { rows: count, features: customers.size + products.size + extras.size, mapPath };
}
