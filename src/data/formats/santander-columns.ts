// santander-columns.csv: which product of the bank's catalogue each of the 24 ind_*_ult1 columns of a
// Santander-layout file holds (`column,product_id`, one row per column), so a bundle's holdings name
// the catalogue's products instead of the Kaggle product codes. `nextbest generate` writes it.
import { statSync } from 'node:fs';
import { NextbestError } from '../../core/errors.js';
import { readDelimited } from '../delimited.js';
import type { SnapshotSpec } from '../sink.js';
import { readHeader, requireColumns } from './header.js';

/** A mapping file is 24 short lines; anything far larger is not one. */
const MAX_BYTES = 64 * 1024;

/**
 * The snapshot products with each column's product id taken from the mapping file. Type and
 * description are left empty, so the catalogue's (products.csv) stay as they are.
 */
export async function readSantanderColumns(path: string, columns: SnapshotSpec['products']): Promise<SnapshotSpec['products']> {
  const fail = (what: string): never => {
    throw new NextbestError(
      'WRONG_COLUMNS',
      `${path}: ${what}; it must map each of the ${columns.length} ind_*_ult1 columns to one product_id, one row each (or delete it to keep the Santander product codes)`,
    );
  };
  if (statSync(path).size > MAX_BYTES) fail(`${statSync(path).size} bytes is too large for a column mapping`);
  const header = await readHeader(path, 'a Santander column mapping');
  requireColumns(path, header, ['column', 'product_id'], 'a Santander column mapping', 'its header must be column,product_id');
  const [ci, pi] = [header.at.get('column')!, header.at.get('product_id')!];
  const known = new Set(columns.map((c) => c.column));
  const product = new Map<string, string>();
  const taken = new Map<string, string>();
  let first = true;
  for await (const batch of readDelimited(path, { delimiter: header.delimiter })) {
    for (const rec of batch) {
      if (first) {
        first = false;
        continue;
      }
      const column = (rec.fields[ci] ?? '').trim();
      const id = (rec.fields[pi] ?? '').trim();
      if (!known.has(column)) fail(`line ${rec.line} names ${column === '' ? 'no column' : `column ${column}, which is not a product column`}`);
      if (id === '') fail(`line ${rec.line} gives column ${column} no product_id`);
      if (product.has(column)) fail(`line ${rec.line} maps column ${column} a second time`);
      if (taken.has(id)) fail(`line ${rec.line} maps product ${id} to ${column}, but ${taken.get(id)} already holds it`);
      product.set(column, id);
      taken.set(id, column);
    }
  }
  const missing = columns.filter((c) => !product.has(c.column)).map((c) => c.column);
  if (missing.length) fail(`no row for ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`);
  return columns.map((c) => ({ column: c.column, productId: product.get(c.column)!, type: '', description: '' }));
}
