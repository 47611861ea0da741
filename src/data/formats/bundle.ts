// A folder of catalogue and event files, as `nextbest generate` writes it: customers.csv,
// products.csv, offers.csv, events.csv and santander.csv (each optional, at least one present), and
// santander-columns.csv, which names the catalogue product each product column of santander.csv holds.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NextbestError } from '../../core/errors.js';
import type { IngestSink, LoadCounts, Loader } from '../sink.js';
import { customersCsv, offersCsv, productsCsv } from './catalog.js';
import { eventsCsv } from './events-csv.js';
import { loadSantander, SANTANDER_PRODUCTS } from './santander.js';
import { readSantanderColumns } from './santander-columns.js';

const SANTANDER_COLUMNS = 'santander-columns.csv';

/** santander.csv with the folder's column mapping when it has one, else with the Kaggle product codes. */
const santanderIn = async (folder: string): Promise<Loader> => {
  const mapping = join(folder, SANTANDER_COLUMNS);
  const products = existsSync(mapping) ? await readSantanderColumns(mapping, SANTANDER_PRODUCTS) : SANTANDER_PRODUCTS;
  return {
    format: 'santander',
    description: 'santander.csv of a bundle',
    load: (input, sink, opts) => loadSantander(input, sink, opts, products),
  };
};

const PARTS: [string, Loader | ((folder: string) => Promise<Loader>)][] = [
  ['customers.csv', customersCsv],
  ['products.csv', productsCsv],
  ['offers.csv', offersCsv],
  ['events.csv', eventsCsv],
  ['santander.csv', santanderIn],
];

/** Rejects from each file carry the file's name, since line numbers restart per file. */
const prefixed = (sink: IngestSink, file: string): IngestSink => ({
  customer: (c) => sink.customer(c),
  product: (p) => sink.product(p),
  productHint: (p) => sink.productHint(p),
  offer: (o) => sink.offer(o),
  event: (e) => sink.event(e),
  reject: (line, reason, raw) => sink.reject(line, `${file}: ${reason}`, raw),
  snapshots: (spec, onProgress) => sink.snapshots(spec, onProgress),
});

export const bundle: Loader = {
  format: 'bundle',
  description: 'a folder with customers.csv, products.csv, offers.csv, events.csv, santander.csv (any of them)',
  async load(input, sink, opts): Promise<LoadCounts> {
    const present = PARTS.filter(([file]) => existsSync(join(input, file)));
    if (!present.length) {
      throw new NextbestError(
        'WRONG_FORMAT',
        `${input} holds none of ${PARTS.map(([f]) => f).join(', ')}; point at the folder nextbest generate wrote`,
      );
    }
    // Every part's loader is settled (the column mapping read and checked) before anything loads.
    const loaders = await Promise.all(present.map(([, l]) => (typeof l === 'function' ? l(input) : l)));
    const total: LoadCounts = { accepted: 0, rejected: 0 };
    for (const [n, [file]] of present.entries()) {
      const loader = loaders[n];
      const counts = await loader.load(join(input, file), prefixed(sink, file), {
        ...opts,
        onProgress: (f) => opts.onProgress?.((n + f) / present.length),
      });
      total.accepted += counts.accepted;
      total.rejected += counts.rejected;
    }
    return total;
  },
};
