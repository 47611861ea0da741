// The generic event CSV: one row per DISPLAY / CLICK / CHECKOUT with the customer's segments and the
// context (page, time of day). Other column names are mapped through a small JSON file; columns the
// schema does not name are kept as context, so nothing in the file is lost. Products named by event
// rows are hints (sink.productHint): they never overwrite a products file. A date after the load
// time, a field over its size limit or an attribute out of range rejects the row.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { NextbestError } from '../../core/errors.js';
import { readAttributes } from '../attributes.js';
import { readDelimited } from '../delimited.js';
import { badField, longId } from '../limits.js';
import { afterLoadTime, latestEventTime } from '../load-time.js';
import type { EventType } from '../model.js';
import { parseTimestamp } from '../parse.js';
import type { IngestSink, LoadCounts, Loader, LoadOptions } from '../sink.js';
import { readHeader, requireColumns } from './header.js';
import { fileSize } from './file-size.js';

export const EVENT_COLUMNS = [
  'Idcol', 'interaction', 'int_date', 'item', 'item_type', 'item_descrip',
  'segment', 'beh_segment', 'active_ind', 'page', 'tod',
] as const;
type EventColumn = (typeof EVENT_COLUMNS)[number];
const REQUIRED: EventColumn[] = ['Idcol', 'interaction', 'int_date', 'item'];
const CUSTOMER_ATTRIBUTES: EventColumn[] = ['segment', 'beh_segment', 'active_ind'];
const CONTEXT: EventColumn[] = ['page', 'tod'];
const INTERACTIONS: Record<string, EventType> = { DISPLAY: 'display', CLICK: 'click', CHECKOUT: 'checkout' };

const Mapping = z.partialRecord(z.enum(EVENT_COLUMNS), z.string().min(1)).refine((m) => Object.keys(m).length > 0, {
  message: 'the mapping is empty',
});

/** Reads a mapping file: { "Idcol": "customer_id", "int_date": "timestamp", ... } (schema name -> file column). */
export function readMapping(path: string): Partial<Record<EventColumn, string>> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not valid JSON';
    throw new NextbestError('BAD_MAPPING', `mapping file ${path} ${why}; give a JSON object like {"Idcol": "customer_id"}`);
  }
  const parsed = Mapping.safeParse(json);
  if (!parsed.success) {
    throw new NextbestError(
      'BAD_MAPPING',
      `mapping file ${path} is invalid (${parsed.error.issues[0].message}); its keys must be among ${EVENT_COLUMNS.join(', ')}`,
    );
  }
  return parsed.data;
}

export const eventsCsv: Loader = {
  format: 'events',
  description: 'generic event CSV (Idcol, interaction DISPLAY/CLICK/CHECKOUT, int_date, item, ..., page, tod)',

  async load(input: string, sink: IngestSink, opts: LoadOptions): Promise<LoadCounts> {
    const mapping = opts.mapping ? readMapping(opts.mapping) : {};
    const header = await readHeader(input, 'an event CSV');
    const col = (c: EventColumn): string => mapping[c] ?? c;
    requireColumns(input, header, REQUIRED.map(col), 'an event CSV', 'rename the columns or pass --mapping FILE');
    const pos = (c: EventColumn): number => header.at.get(col(c)) ?? -1;
    const [idAt, actAt, dateAt, itemAt, typeAt, descAt] = (
      ['Idcol', 'interaction', 'int_date', 'item', 'item_type', 'item_descrip'] as const
    ).map(pos);
    const named = new Set(EVENT_COLUMNS.map(col));
    const contextAt = [
      ...CONTEXT.map((c) => [c as string, pos(c)] as const),
      ...header.columns.filter((c) => !named.has(c)).map((c) => [c, header.at.get(c) as number] as const),
    ].filter(([, i]) => i >= 0);
    const attributeAt = CUSTOMER_ATTRIBUTES.map((c) => [c as string, pos(c)] as const).filter(([, i]) => i >= 0);

    const latest = latestEventTime();
    const size = fileSize(input);
    const lastCustomer = new Map<string, string>();
    const seenProducts = new Set<string>();
    let accepted = 0;
    let rejected = 0;
    let first = true;
    for await (const batch of readDelimited(input, {
      delimiter: header.delimiter,
      onBytes: (b) => opts.onProgress?.(b / size),
    })) {
      for (const rec of batch) {
        if (first) {
          first = false;
          continue; // the header
        }
        const f = rec.fields;
        const bad = (reason: string): void => {
          rejected++;
          sink.reject(rec.line, reason, rec.raw);
        };
        if (f.length !== header.columns.length) {
          bad(`expected ${header.columns.length} fields, found ${f.length}`);
          continue;
        }
        const customerId = f[idAt].trim();
        const productId = f[itemAt].trim();
        const interaction = f[actAt].trim().toUpperCase();
        const type = INTERACTIONS[interaction];
        const timestamp = parseTimestamp(f[dateAt]);
        const long = badField(f, (i) => header.columns[i]) ?? longId(col('Idcol'), customerId) ?? longId(col('item'), productId);
        const late = timestamp && afterLoadTime(`${col('int_date')} "${f[dateAt].trim()}"`, timestamp.getTime(), latest);
        const attributes = readAttributes(f, attributeAt);
        if (long) bad(long);
        else if (!customerId) bad(`${col('Idcol')} is empty`);
        else if (!productId) bad(`${col('item')} is empty`);
        else if (!type) bad(`${col('interaction')} "${f[actAt]}" is not DISPLAY, CLICK or CHECKOUT`);
        else if (!timestamp) bad(`${col('int_date')} "${f[dateAt]}" is not a date (use YYYY-MM-DD HH:MM:SS)`);
        else if (late) bad(late);
        else if (typeof attributes === 'string') bad(attributes);
        else {
          accepted++;
          const context: Record<string, string> = {};
          for (const [name, i] of contextAt) {
            const v = f[i].trim();
            if (v !== '') context[name] = v;
          }
          sink.event({ customerId, productId, timestamp, type, value: 1, context });
          // Customer attributes and products repeat on every row: write them when they change.
          if (attributeAt.length) {
            const key = attributeAt.map(([, i]) => f[i]).join('\u0001');
            if (lastCustomer.get(customerId) !== key) {
              lastCustomer.set(customerId, key);
              sink.customer({ id: customerId, attributes });
            }
          }
          if (!seenProducts.has(productId) && (typeAt >= 0 || descAt >= 0)) {
            seenProducts.add(productId);
            sink.productHint({
              id: productId,
              type: typeAt >= 0 ? f[typeAt].trim() : '',
              description: descAt >= 0 ? f[descAt].trim() : '',
              attributes: {},
            });
          }
        }
      }
    }
    return { accepted, rejected };
  },
};
