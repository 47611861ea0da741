// Streams what the training views are built from, chunk by chunk, without one object per row:
// ids, events (columnar batches), entity attributes, one customer's events, monthly and latest holdings. Each scan streams on a
// connection of its own: a query started on a connection ends the result that connection is still
// streaming, so scans sharing one (a server's concurrent requests, a training beside them) would stop
// early without an error.
import type { DuckDBConnection, DuckDBListValue, DuckDBValue, DuckDBVector } from '@duckdb/node-api';
import type { EventType } from '../../data/model.js';
import type { AttributeRow, EventBatch, HoldingBatch } from '../../data/rows.js';
import type { SnapshotHoldings, StoredEvent } from '../store.js';
import { concatBatches, emptyBatch } from '../event-batch.js';
import type { CustomerHoldings } from '../store.js';
import { literal } from './sql.js';

type Params = Record<string, DuckDBValue>;

/** Opens a connection for one scan (closed when the scan ends). */
export type Connect = () => Promise<DuckDBConnection>;

async function* chunks(connect: Connect, sql: string, params?: Params): AsyncGenerator<{ rows: number; col: (i: number) => DuckDBVector }> {
  const conn = await connect();
  try {
    const result = await conn.stream(sql, params);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      yield { rows: chunk.rowCount, col: (i) => chunk.getColumnVector(i) };
    }
  } finally {
    conn.closeSync();
  }
}

export async function* scanIds(connect: Connect, entity: 'customer' | 'product'): AsyncGenerator<string[]> {
  const table = entity === 'customer' ? 'customers' : 'products';
  for await (const c of chunks(connect, `SELECT ${entity}_id FROM ${table} ORDER BY ${entity}_id`)) {
    const v = c.col(0);
    const ids = new Array<string>(c.rows);
    for (let i = 0; i < c.rows; i++) ids[i] = v.getItem(i) as string;
    yield ids;
  }
}

/** Events matching a WHERE clause, in time order (ties by customer, product, type) so logs, splits and sequences are deterministic. */
async function* eventBatches(connect: Connect, where: string, params?: Params): AsyncGenerator<EventBatch> {
  const sql = `SELECT customer_id, product_id, epoch(ts), type, value, context FROM events ${where}
    ORDER BY ts, customer_id, product_id, type`;
  for await (const c of chunks(connect, sql, params)) {
    const n = c.rows;
    const [cu, pr, ti, ty, va, cx] = [0, 1, 2, 3, 4, 5].map(c.col);
    const batch = emptyBatch(n);
    for (let i = 0; i < n; i++) {
      batch.customer[i] = cu.getItem(i) as string;
      batch.product[i] = pr.getItem(i) as string;
      batch.time[i] = ti.getItem(i) as number;
      batch.type[i] = ty.getItem(i) as EventType;
      batch.value[i] = va.getItem(i) as number;
      batch.context[i] = cx.getItem(i) as string;
    }
    yield batch;
  }
}

export function scanEvents(connect: Connect, types?: readonly EventType[]): AsyncGenerator<EventBatch> {
  return eventBatches(connect, types?.length ? `WHERE type IN (${types.map(literal).join(', ')})` : '');
}

/**
 * One customer's events as one batch: after `since` (exclusive) when given, and then also those received
 * after `receivedAfter` (exclusive) whatever their time.
 */
export async function customerEvents(connect: Connect, customerId: string, since?: Date, receivedAfter?: Date): Promise<EventBatch> {
  const params: Params = { customer: customerId };
  let where = 'WHERE customer_id = $customer';
  if (since !== undefined) {
    params.since = since.getTime();
    let after = 'ts > epoch_ms($since::BIGINT)';
    if (receivedAfter !== undefined) {
      params.received = receivedAfter.getTime();
      after = `(${after} OR received > epoch_ms($received::BIGINT))`;
    }
    where += ` AND ${after}`;
  }
  const parts: EventBatch[] = [];
  for await (const b of eventBatches(connect, where, params)) parts.push(b);
  return concatBatches(parts);
}

/** The distinct customers with events after `since` (exclusive) or received after `receivedAfter` (as customerEvents counts them). */
export async function customersWithEventsSince(connect: Connect, since: Date, receivedAfter?: Date): Promise<Set<string>> {
  const out = new Set<string>();
  const params: Params = { since: since.getTime() };
  let where = 'ts > epoch_ms($since::BIGINT)';
  if (receivedAfter !== undefined) {
    params.received = receivedAfter.getTime();
    where = `(${where} OR received > epoch_ms($received::BIGINT))`;
  }
  for await (const c of chunks(connect, `SELECT DISTINCT customer_id FROM events WHERE ${where}`, params)) {
    const v = c.col(0);
    for (let i = 0; i < c.rows; i++) out.add(v.getItem(i) as string);
  }
  return out;
}

/**
 * Monthly holdings, one row per (month, customer) with the sorted products held, by month then customer.
 * One month at a time, so the grouping holds one month's customers (a million, not 17 million) in memory.
 */
export async function* scanHoldings(connect: Connect): AsyncGenerator<HoldingBatch> {
  const conn = await connect();
  const months = (await conn.runAndReadAll(`SELECT DISTINCT strftime(month, '%Y-%m-%d') AS day, epoch(month) FROM holdings ORDER BY day`)).getRows();
  for (const [day, epoch] of months) {
    const month = Number(epoch);
    const sql = `SELECT customer_id, list(product_id ORDER BY product_id) FROM holdings WHERE month = CAST($day AS DATE)
      GROUP BY customer_id ORDER BY customer_id`;
    for await (const c of chunks(connect, sql, { day: String(day) })) {
      const [cu, pr] = [0, 1].map(c.col);
      const batch: HoldingBatch = { length: c.rows, customer: new Array<string>(c.rows), month: new Float64Array(c.rows).fill(month), products: new Array<string[]>(c.rows) };
      for (let i = 0; i < c.rows; i++) {
        batch.customer[i] = cu.getItem(i) as string;
        batch.products[i] = (pr.getItem(i) as DuckDBListValue).items as string[];
      }
      yield batch;
    }
  }
}

/** Each entity's attributes, one row per (entity, attribute); ordered by entity id. */
export async function* scanAttributes(connect: Connect, entity: 'customer' | 'product'): AsyncGenerator<AttributeRow[]> {
  const table = entity === 'customer' ? 'customers' : 'products';
  const sql = `SELECT ${entity}_id, CAST(attributes AS VARCHAR) FROM ${table} WHERE attributes <> '{}' ORDER BY ${entity}_id`;
  for await (const c of chunks(connect, sql)) {
    const [id, json] = [0, 1].map(c.col);
    const rows: AttributeRow[] = [];
    for (let i = 0; i < c.rows; i++) {
      const attributes = JSON.parse(json.getItem(i) as string) as Record<string, unknown>;
      for (const [name, v] of Object.entries(attributes)) {
        rows.push({
          id: id.getItem(i) as string,
          name,
          num: typeof v === 'number' ? v : null,
          str: typeof v === 'string' ? v : null,
        });
      }
    }
    yield rows;
  }
}

/** One customer's latest events, newest first (ties as in eventBatches, reversed); without `liveColumns` (schema 1) no event has an id or arrival time. */
export async function recentEvents(conn: DuckDBConnection, customerId: string, limit: number, liveColumns: boolean): Promise<StoredEvent[]> {
  const live = liveColumns ? 'event_id, epoch_ms(received)' : 'NULL, NULL';
  const r = await conn.runAndReadAll(
    `SELECT product_id, epoch_ms(ts), type, value, context, ${live} FROM events WHERE customer_id = $customer
      ORDER BY ts DESC, product_id DESC, type DESC LIMIT $limit`,
    { customer: customerId, limit },
  );
  return r.getRows().map(([product, time, type, value, context, eventId, received]) => ({
    customerId,
    productId: product as string,
    timestamp: new Date(Number(time)),
    type: type as EventType,
    value: value as number,
    context: JSON.parse(context as string) as Record<string, string>,
    eventId: eventId as string | null,
    received: received === null ? null : new Date(Number(received)),
  }));
}

/** The products a customer holds in the store's latest snapshot month. */
export async function snapshotOf(conn: DuckDBConnection, customerId: string): Promise<SnapshotHoldings> {
  const latest = (await conn.runAndReadAll('SELECT epoch_ms(max(month)::TIMESTAMP) FROM holdings')).getRows()[0][0];
  if (latest === null) return { month: null, products: [] };
  const month = Number(latest);
  const r = await conn.runAndReadAll(
    'SELECT product_id FROM holdings WHERE customer_id = $customer AND month = CAST(epoch_ms($month::BIGINT) AS DATE) ORDER BY product_id',
    { customer: customerId, month },
  );
  return { month: new Date(month), products: r.getRows().map((row) => row[0] as string) };
}

/** Each customer's latest holdings snapshot, ordered by customer id. */
export async function* scanLatestHoldings(connect: Connect): AsyncGenerator<CustomerHoldings[]> {
  const sql = `SELECT customer_id, strftime(month, '%Y-%m-%d'), list(product_id ORDER BY product_id)
    FROM holdings SEMI JOIN (SELECT customer_id, max(month) AS month FROM holdings GROUP BY customer_id) l USING (customer_id, month)
    GROUP BY customer_id, month ORDER BY customer_id`;
  for await (const c of chunks(connect, sql)) {
    const [customer, month, products] = [0, 1, 2].map(c.col);
    const out: CustomerHoldings[] = [];
    for (let i = 0; i < c.rows; i++) {
      out.push({
        customer: customer.getItem(i) as string,
        month: new Date(`${month.getItem(i) as string}T00:00:00Z`),
        products: (products.getItem(i) as DuckDBListValue).items.map(String),
      });
    }
    yield out;
  }
}
