// UCI Bank Marketing (Moro, Cortez & Rita 2014) `bank.csv` / `bank-full.csv`: one row per phone-campaign
// offer of a term deposit, ';'-separated with double-quoted strings and 17 columns; `y` says whether the
// customer subscribed. Each row becomes
//  - a customer `bank-<line number>` (the file has no customer id; line 1 is the header, so the first
//    customer is bank-2) with attributes age, job, marital, education, default, balance, housing, loan
//    (numbers stay numbers, "unknown" becomes null);
//  - an event on the one product `term_deposit`: 'accept' (value 1) when y = yes, else 'decline' (value 0),
//    with context contact, campaign, pdays, previous, poutcome, duration (as strings).
// The timestamp is 2008-<month>-<day> 00:00 UTC. The file has no year: the campaigns ran from May 2008 to
// November 2010 and bank.csv is a random 10% sample whose row order says nothing about the year, so every
// row is dated in 2008 (a leap year, so 29 Feb is accepted). Dates are only good for within-year ordering.
// A field over its size limit or an attribute out of range (balance 1e400) rejects the row.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NextbestError } from '../../core/errors.js';
import { readAttributes } from '../attributes.js';
import { readDelimited } from '../delimited.js';
import { badField } from '../limits.js';
import type { IngestSink, LoadCounts, Loader, LoadOptions } from '../sink.js';
import { fileSize } from './file-size.js';
import { readHeader, requireColumns } from './header.js';

export const BANK_COLUMNS = [
  'age', 'job', 'marital', 'education', 'default', 'balance', 'housing', 'loan', 'contact', 'day', 'month',
  'duration', 'campaign', 'pdays', 'previous', 'poutcome', 'y',
] as const;
const ATTRIBUTES = ['age', 'job', 'marital', 'education', 'default', 'balance', 'housing', 'loan'] as const;
const CONTEXT = ['contact', 'campaign', 'pdays', 'previous', 'poutcome', 'duration'] as const;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The year every row is dated in (the file has none; see the note at the top). */
export const BANK_YEAR = 2008;
export const BANK_PRODUCT = { id: 'term_deposit', type: 'deposit', description: 'Term deposit' } as const;

/** The file to read: the input itself, or the folder's only bank.csv / bank-full.csv. */
function bankFile(input: string): string {
  if (!existsSync(input)) throw new NextbestError('FILE_NOT_FOUND', `${input} does not exist; check the path`);
  if (!statSync(input).isDirectory()) return input;
  const found = ['bank.csv', 'bank-full.csv'].map((f) => join(input, f)).filter((p) => existsSync(p));
  if (found.length !== 1) {
    const why = found.length ? 'has both bank.csv and bank-full.csv' : 'has no bank.csv';
    throw new NextbestError('WRONG_FORMAT', `${input} is a folder that ${why}; pass the bank CSV file itself`);
  }
  return found[0];
}

export const bank: Loader = {
  format: 'bank',
  description: "UCI Bank Marketing bank.csv (';'-separated, 17 columns, y = term deposit subscribed yes/no)",

  async load(input: string, sink: IngestSink, opts: LoadOptions): Promise<LoadCounts> {
    const path = bankFile(input);
    const what = 'a UCI Bank Marketing bank.csv';
    const header = await readHeader(path, what);
    requireColumns(path, header, BANK_COLUMNS, what, `it needs the ';'-separated header "age";"job";...;"y" of bank.csv`);
    if (header.delimiter !== ';') {
      throw new NextbestError('WRONG_FORMAT', `${path} is not ${what}: it is not ';'-separated; use the original UCI file`);
    }
    const at = (c: string): number => header.at.get(c) as number;
    const width = header.columns.length;
    const attributeAt = ATTRIBUTES.map((c) => [c, at(c)] as const);

    sink.product({ ...BANK_PRODUCT, attributes: {} });
    const size = fileSize(path);
    let accepted = 0;
    let rejected = 0;
    let first = true;
    for await (const batch of readDelimited(path, { delimiter: ';', onBytes: (b) => opts.onProgress?.(b / size) })) {
      for (const rec of batch) {
        if (first) {
          first = false;
          continue; // the header
        }
        const f = rec.fields;
        const reason = ((): string | null => {
          if (f.length !== width) return `expected ${width} fields, found ${f.length}`;
          const long = badField(f, (i) => header.columns[i]);
          if (long) return long;
          const y = f[at('y')].trim().toLowerCase();
          if (y !== 'yes' && y !== 'no') return `y "${f[at('y')]}" is not yes or no`;
          const month = MONTHS.indexOf(f[at('month')].trim().toLowerCase());
          if (month < 0) return `month "${f[at('month')]}" is not a 3-letter month (jan ... dec)`;
          const dayText = f[at('day')].trim();
          const day = /^\d{1,2}$/.test(dayText) ? +dayText : 0;
          if (day < 1 || day > 31) return `day "${f[at('day')]}" is not a day of the month (1-31)`;
          const timestamp = new Date(Date.UTC(BANK_YEAR, month, day));
          if (timestamp.getUTCDate() !== day) return `day ${day} does not exist in ${MONTHS[month]}`;

          const attributes = readAttributes(f, attributeAt);
          if (typeof attributes === 'string') return attributes;
          const customerId = `bank-${rec.line}`;
          const context: Record<string, string> = {};
          for (const c of CONTEXT) {
            const v = f[at(c)].trim();
            if (v !== '') context[c] = v;
          }
          sink.customer({ id: customerId, attributes });
          sink.event({
            customerId,
            productId: BANK_PRODUCT.id,
            timestamp,
            type: y === 'yes' ? 'accept' : 'decline',
            value: y === 'yes' ? 1 : 0,
            context,
          });
          return null;
        })();
        if (reason === null) accepted++;
        else {
          rejected++;
          sink.reject(rec.line, reason, rec.raw);
        }
      }
    }
    return { accepted, rejected };
  },
};
