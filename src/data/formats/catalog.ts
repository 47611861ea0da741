// Catalogue CSVs a bank exports: customers (id + attributes), products (id, type, description +
// attributes) and offers (reward, validity window, eligibility rules as JSON).
import { Eligibility, type Attributes } from '../model.js';
import { readDelimited } from '../delimited.js';
import { parseAttribute, parseNumber, parseTimestamp, isMissing } from '../parse.js';
import type { IngestSink, LoadCounts, Loader, LoadOptions } from '../sink.js';
import { fileSize } from './file-size.js';
import { readHeader, requireColumns, type Header } from './header.js';

type RowHandler = (f: string[], header: Header) => string | null; // null = accepted, else the reason

/** Streams a headed CSV, checks the field count, and hands each row to `handle`. */
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
          : handle(rec.fields, header);
      if (reason === null) accepted++;
      else {
        rejected++;
        sink.reject(rec.line, reason, rec.raw);
      }
    }
  }
  return { accepted, rejected };
}

function attributesOf(f: string[], header: Header, skip: Set<string>): Attributes {
  const attributes: Attributes = {};
  header.columns.forEach((c, i) => {
    if (!skip.has(c)) attributes[c] = parseAttribute(f[i]);
  });
  return attributes;
}

export const customersCsv: Loader = {
  format: 'customers',
  description: 'customer CSV: customer_id and any attribute columns (numbers stay numbers)',
  load(input, sink, opts) {
    const skip = new Set(['customer_id']);
    return loadRows(input, 'a customer CSV', ['customer_id'], sink, opts, (f, h) => {
      const id = f[h.at.get('customer_id') as number].trim();
      if (!id) return 'customer_id is empty';
      sink.customer({ id, attributes: attributesOf(f, h, skip) });
      return null;
    });
  },
};

export const productsCsv: Loader = {
  format: 'products',
  description: 'product CSV: product_id, type, description and any attribute columns',
  load(input, sink, opts) {
    const skip = new Set(['product_id', 'type', 'description']);
    return loadRows(input, 'a product CSV', ['product_id'], sink, opts, (f, h) => {
      const get = (c: string): string => (h.at.has(c) ? f[h.at.get(c) as number].trim() : '');
      const id = get('product_id');
      if (!id) return 'product_id is empty';
      sink.product({ id, type: get('type'), description: get('description'), attributes: attributesOf(f, h, skip) });
      return null;
    });
  },
};

export const offersCsv: Loader = {
  format: 'offers',
  description: 'offer CSV: offer_id, product_id, reward, reward_value, valid_from, valid_to, eligibility (JSON)',
  load(input, sink, opts) {
    return loadRows(input, 'an offer CSV', ['offer_id', 'product_id'], sink, opts, (f, h) => {
      const get = (c: string): string => (h.at.has(c) ? f[h.at.get(c) as number].trim() : '');
      const id = get('offer_id');
      const productId = get('product_id');
      if (!id) return 'offer_id is empty';
      if (!productId) return 'product_id is empty';
      const rewardValue = isMissing(get('reward_value')) ? 0 : parseNumber(get('reward_value'));
      if (rewardValue === null) return `reward_value "${get('reward_value')}" is not a number`;
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
      sink.offer({ id, productId, reward: get('reward'), rewardValue, validFrom: dates[0], validTo: dates[1], eligibility });
      return null;
    });
  },
};
