// The registry of input formats, and detection of a format from a file's or folder's contents.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NextbestError } from '../../core/errors.js';
import { readFirstLine } from '../delimited.js';
import type { Loader } from '../sink.js';
import { bank } from './bank.js';
import { bundle } from './bundle.js';
import { customersCsv, offersCsv, productsCsv } from './catalog.js';
import { eventsCsv } from './events-csv.js';
import { readHeader } from './header.js';
import { libfm, looksLikeLibfm } from './libfm.js';
import { movielens } from './movielens.js';
import { santander } from './santander.js';

export const LOADERS: readonly Loader[] = [eventsCsv, santander, customersCsv, productsCsv, offersCsv, bundle, movielens, bank, libfm];

export function getLoader(format: string): Loader {
  const loader = LOADERS.find((l) => l.format === format);
  if (!loader) {
    throw new NextbestError(
      'UNKNOWN_FORMAT',
      `unknown format "${format}"; use one of: ${LOADERS.map((l) => l.format).join(', ')}`,
    );
  }
  return loader;
}

/** Guesses the format from a folder's file names or a file's header; null when nothing matches. */
export async function detectFormat(input: string): Promise<string | null> {
  if (!existsSync(input)) throw new NextbestError('FILE_NOT_FOUND', `${input} does not exist; check the path`);
  if (statSync(input).isDirectory()) {
    const has = (f: string): boolean => existsSync(join(input, f));
    if (has('u.data') || has('ratings.csv') || has('ratings.dat')) return 'movielens';
    if (has('events.csv') || has('customers.csv') || has('products.csv')) return 'bundle';
    return null;
  }
  const header = await readHeader(input, 'a known format');
  const cols = new Set(header.columns);
  if (cols.has('fecha_dato') && cols.has('ncodpers')) return 'santander';
  if (cols.has('Idcol') && cols.has('interaction')) return 'events';
  if (cols.has('offer_id')) return 'offers';
  if (cols.has('customer_id') && !cols.has('product_id')) return 'customers';
  if (cols.has('product_id')) return 'products';
  if (cols.has('age') && cols.has('job') && cols.has('y')) return 'bank';
  // libFM lines are `target idx:val idx:val ...` separated by spaces or tabs, not a delimited header.
  if (looksLikeLibfm(await readFirstLine(input))) return 'libfm';
  return null;
}
