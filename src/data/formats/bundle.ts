// A folder of catalogue and event files, as `nextbest generate` writes it: customers.csv,
// products.csv, offers.csv, events.csv and santander.csv (each optional, at least one present).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NextbestError } from '../../core/errors.js';
import type { IngestSink, LoadCounts, Loader } from '../sink.js';
import { customersCsv, offersCsv, productsCsv } from './catalog.js';
import { eventsCsv } from './events-csv.js';
import { santander } from './santander.js';

const PARTS: [string, Loader][] = [
  ['customers.csv', customersCsv],
  ['products.csv', productsCsv],
  ['offers.csv', offersCsv],
  ['events.csv', eventsCsv],
  ['santander.csv', santander],
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
    const total: LoadCounts = { accepted: 0, rejected: 0 };
    for (const [n, [file, loader]] of present.entries()) {
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
