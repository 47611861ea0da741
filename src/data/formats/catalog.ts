// Catalogue CSVs a bank exports: customers (id + attributes), products (id, type, description +
// attributes) and offers (reward, validity window, eligibility rules as JSON). Each file gives an id
// once (a repeat is a rejected row); fields keep to the size limits of limits.ts.
import { readAttributes } from '../attributes.js';
import { readDelimited } from '../delimited.js';
import { badField, longId } from '../limits.js';
import { Eligibility } from '../model.js';
import { isMissing, isNonFinite, parseNumber, parseTimestamp } from '../parse.js';
import type { IngestSink, LoadCounts, Loader, LoadOptions } from '../sink.js';
import { UniqueIds } from '../unique-ids.js';
import { fileSize } from './file-size.js';
import { readHeader, requireColumns, type Header } from './header.js';

type RowHandler = (f: string[], line: number, header: Header) => string | null; // null = accepted, else the reason

/** Streams a headed CSV, checks the field count and sizes, and hands each row to `handle`. */
async function loadRows(
  input: string,
  what: string,
  required: string[],
  sink: IngestSink,
  opts: LoadOptions,
  handle: RowHandler,
): Promise<LoadCounts> {
  const header = await readHeader(input, what);
  requireColumns(input, header, required, what, `its header must name ${required.join(', ')}`);
  const size = fileSize(input);
  let accepted = 0;
  let rejected = 0;
  let first = true;
  for await (const batch of readDelimited(input, { delimiter: header.delimiter, onBytes: (b) => opts.onProgress?.(b / size) })) {
    for (const rec of batch) {
      if (first) {
        first = false;
        continue;
      }
      const reason =
        rec.fields.length !== header.columns.length
          ? `expected ${header.columns.length} fields, found ${rec.fields.length}`
          : (badField(rec.fields, (i) => header.columns[i]) ?? handle(rec.fields, rec.line, header));
      if (reason === null) accepted++;
      else {
        rejected++;
        sink.reject(rec.line, reason, rec.raw);
      }
    }
  }
  return { accepted, rejected };
}

/** The (name, index) of every column but the skipped ones: the attribute columns. */
const attributeColumns = (header: Header, skip: Set<string>): [string, number][] =>
  header.columns.flatMap((c, i): [string, number][] => (skip.has(c) ? [] : [[c, i]]));

/** The trimmed id in `column`, or the reason it is unusable. */
function idIn(f: string[], header: Header, column: string): { id: string } | { reason: string } {
  const id = f[header.at.get(column) as number].trim();
  if (!id) return { reason: `${column} is empty` };
  const long = longId(column, id);
  return long ? { reason: long } : { id };
}

export const customersCsv: Loader = {
  format: 'customers',
  description: 'customer CSV: customer_id and any attribute columns (numbers stay numbers)',
  load(input, sink, opts) {
    const ids = new UniqueIds('customer_id');
    let columns: [string, number][] | null = null;
    return loadRows(input, 'a customer CSV', ['customer_id'], sink, opts, (f, line, h) => {
      columns ??= attributeColumns(h, new Set(['customer_id']));
      const given = idIn(f, h, 'customer_id');
      if ('reason' in given) return given.reason;
      const attributes = readAttributes(f, columns);
      if (typeof attributes === 'string') return attributes;
      const repeat = ids.claim(given.id, line);
      if (repeat) return repeat;
      sink.customer({ id: given.id, attributes });
      return null;
    });
  },
};

export const productsCsv: Loader = {
  format: 'products',
  description: 'product CSV: product_id, type, description and any attribute columns',
  load(input, sink, opts) {
    const ids = new UniqueIds('product_id');
    let columns: [string, number][] | null = null;
    return loadRows(input, 'a product CSV', ['product_id'], sink, opts, (f, line, h) => {
      columns ??= attributeColumns(h, new Set(['product_id', 'type', 'description']));
      const get = (c: string): string => (h.at.has(c) ? f[h.at.get(c) as number].trim() : '');
      const given = idIn(f, h, 'product_id');
      if ('reason' in given) return given.reason;
      const attributes = readAttributes(f, columns);
      if (typeof attributes === 'string') return attributes;
      const repeat = ids.claim(given.id, line);
      if (repeat) return repeat;
      sink.product({ id: given.id, type: get('type'), description: get('description'), attributes });
      return null;
    });
  },
};

export const offersCsv: Loader = {
  format: 'offers',
  description: 'offer CSV: offer_id, product_id, reward, reward_value, valid_from, valid_to, eligibility (JSON)',
  load(input, sink, opts) {
    const ids = new UniqueIds('offer_id');
    return loadRows(input, 'an offer CSV', ['offer_id', 'product_id'], sink, opts, (f, line, h) => {
      const get = (c: string): string => (h.at.has(c) ? f[h.at.get(c) as number].trim() : '');
      const offer = idIn(f, h, 'offer_id');
      if ('reason' in offer) return offer.reason;
      const product = idIn(f, h, 'product_id');
      if ('reason' in product) return product.reason;
      const reward = get('reward_value');
      if (isNonFinite(reward)) return `reward_value ${JSON.stringify(reward)} is not a finite number`;
      const rewardValue = isMissing(reward) ? null : parseNumber(reward);
      if (rewardValue === null && !isMissing(reward)) return `reward_value ${JSON.stringify(reward)} is not a number`;
      const dates: (Date | null)[] = [];
      for (const c of ['valid_from', 'valid_to']) {
        const d = isMissing(get(c)) ? null : parseTimestamp(get(c));
        if (d === null && !isMissing(get(c))) return `${c} "${get(c)}" is not a date (use YYYY-MM-DD)`;
        dates.push(d);
      }
      if (dates[0] && dates[1] && dates[0] > dates[1]) return 'valid_from is after valid_to';
      let eligibility: Eligibility = {};
      if (get('eligibility')) {
        let json: unknown;
        try {
          json = JSON.parse(get('eligibility'));
        } catch {
          return 'eligibility is not valid JSON';
        }
        const parsed = Eligibility.strict().safeParse(json);
        if (!parsed.success) return `eligibility: ${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}`;
        eligibility = parsed.data;
      }
      const repeat = ids.claim(offer.id, line);
      if (repeat) return repeat;
      const [validFrom, validTo] = dates;
      sink.offer({ id: offer.id, productId: product.id, reward: get('reward'), rewardValue, validFrom, validTo, eligibility });
      return null;
    });
  },
};
