// Reading a PostgreSQL store: whole-table scans stream through a server-side cursor on a pooled
// connection of their own (FETCH by batches, so memory stays flat and other queries run between
// batches), the per-customer reads a server makes per request are single prepared queries. Times
// leave PostgreSQL as epoch numbers, never as timestamps, so no time zone of the session applies.
import type pg from 'pg';
import type { EventType } from '../../data/model.js';
import type { AttributeRow, EventBatch, HoldingBatch } from '../../data/rows.js';
import { emptyBatch } from '../event-batch.js';
import type { CustomerHoldings, SnapshotHoldings, StoredEvent } from '../store.js';
import { literal } from '../duckdb/sql.js';

/** Rows per FETCH: as many as a DuckDB chunk. */
const FETCH = 2048;

type Row = unknown[];

/** Rows of a query, FETCH by FETCH, on a connection of the scan's own. */
async function* cursor(pool: pg.Pool, sql: string): AsyncGenerator<Row[]> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE scan NO SCROLL CURSOR FOR ${sql}`);
    for (;;) {
      const r = await client.query<Row>({ text: `FETCH ${FETCH} FROM scan`, rowMode: 'array' });
      if (r.rows.length === 0) break;
      yield r.rows;
    }
  } catch (e) {
    broken = true;
    throw e;
  } finally {
    // A scan left early (break) or failed rolls back; the connection goes back to the pool either way.
    await client.query(broken ? 'ROLLBACK' : 'COMMIT').catch(() => (broken = true));
    client.release(broken);
  }
}

export async function* scanIds(pool: pg.Pool, entity: 'customer' | 'product'): AsyncGenerator<string[]> {
  const table = entity === 'customer' ? 'customers' : 'products';
  for await (const rows of cursor(pool, `SELECT ${entity}_id FROM ${table} ORDER BY ${entity}_id`)) yield rows.map((r) => r[0] as string);
}

const EVENT_COLUMNS = `customer_id, product_id, extract(epoch FROM ts)::float8, type, value, context`;
const EVENT_ORDER = `ORDER BY ts, customer_id, product_id, type`;

function toBatch(rows: Row[]): EventBatch {
  const b = emptyBatch(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    b.customer[i] = r[0] as string;
    b.product[i] = r[1] as string;
    b.time[i] = r[2] as number;
    b.type[i] = r[3] as EventType;
    b.value[i] = r[4] as number;
    b.context[i] = r[5] as string;
  }
  return b;
}

export async function* scanEvents(pool: pg.Pool, types?: readonly EventType[]): AsyncGenerator<EventBatch> {
  const where = types?.length ? `WHERE type IN (${types.map(literal).join(', ')})` : '';
  for await (const rows of cursor(pool, `SELECT ${EVENT_COLUMNS} FROM events ${where} ${EVENT_ORDER}`)) yield toBatch(rows);
}

/** `ts > since`, or also received after `receivedAfter` when given; parameters from $2 on. */
function after(since: Date | undefined, receivedAfter: Date | undefined, params: unknown[]): string {
  if (since === undefined) return '';
  params.push(since.getTime() / 1000);
  let cond = `ts > to_timestamp($${params.length}) AT TIME ZONE 'UTC'`;
  if (receivedAfter !== undefined) {
    params.push(receivedAfter.getTime() / 1000);
    cond = `(${cond} OR received > to_timestamp($${params.length}) AT TIME ZONE 'UTC')`;
  }
  return cond;
}

export async function customerEvents(pool: pg.Pool, customerId: string, since?: Date, receivedAfter?: Date): Promise<EventBatch> {
  const params: unknown[] = [customerId];
  const cond = after(since, receivedAfter, params);
  const r = await pool.query<Row>({
    name: `customer-events-${params.length}`,
    text: `SELECT ${EVENT_COLUMNS} FROM events WHERE customer_id = $1 ${cond ? `AND ${cond}` : ''} ${EVENT_ORDER}`,
    values: params,
    rowMode: 'array',
  });
  return toBatch(r.rows);
}

export async function customersWithEventsSince(pool: pg.Pool, since: Date, receivedAfter?: Date): Promise<Set<string>> {
  const params: unknown[] = [];
  const cond = after(since, receivedAfter, params);
  const r = await pool.query<Row>({ text: `SELECT DISTINCT customer_id FROM events WHERE ${cond}`, values: params, rowMode: 'array' });
  return new Set(r.rows.map((row) => row[0] as string));
}

/** Monthly holdings by month, then customer, one month at a time. */
export async function* scanHoldings(pool: pg.Pool): AsyncGenerator<HoldingBatch> {
  const months = await pool.query<Row>({ text: `SELECT DISTINCT month, extract(epoch FROM month::timestamp)::float8 FROM holdings ORDER BY month`, rowMode: 'array' });
  for (const [, epoch] of months.rows) {
    const month = epoch as number;
    const sql = `SELECT customer_id, array_agg(product_id ORDER BY product_id) FROM holdings
      WHERE month = (to_timestamp(${month}) AT TIME ZONE 'UTC')::date GROUP BY customer_id ORDER BY customer_id`;
    for await (const rows of cursor(pool, sql)) {
      yield {
        length: rows.length,
        customer: rows.map((r) => r[0] as string),
        month: new Float64Array(rows.length).fill(month),
        products: rows.map((r) => r[1] as string[]),
      };
    }
  }
}

export async function* scanAttributes(pool: pg.Pool, entity: 'customer' | 'product'): AsyncGenerator<AttributeRow[]> {
  const table = entity === 'customer' ? 'customers' : 'products';
  for await (const rows of cursor(pool, `SELECT ${entity}_id, attributes::text FROM ${table} WHERE attributes <> '{}'::jsonb ORDER BY ${entity}_id`)) {
    const out: AttributeRow[] = [];
    for (const [id, json] of rows) {
      // Keys in the order the embedded store gives them (sorted), whatever order jsonb keeps.
      const attributes = JSON.parse(json as string) as Record<string, unknown>;
      for (const name of Object.keys(attributes).sort()) {
        const v = attributes[name];
        out.push({ id: id as string, name, num: typeof v === 'number' ? v : null, str: typeof v === 'string' ? v : null });
      }
    }
    yield out;
  }
}

export async function recentEvents(pool: pg.Pool, customerId: string, limit: number): Promise<StoredEvent[]> {
  const r = await pool.query<Row>({
    name: 'recent-events',
    text: `SELECT product_id, (extract(epoch FROM ts) * 1000)::float8, type, value, context, event_id, (extract(epoch FROM received) * 1000)::float8
      FROM events WHERE customer_id = $1 ORDER BY ts DESC, product_id DESC, type DESC LIMIT $2`,
    values: [customerId, limit],
    rowMode: 'array',
  });
  return r.rows.map(([product, time, type, value, context, eventId, received]) => ({
    customerId,
    productId: product as string,
    timestamp: new Date(Math.round(time as number)),
    type: type as EventType,
    value: value as number,
    context: JSON.parse(context as string) as Record<string, string>,
    eventId: eventId as string | null,
    received: received === null ? null : new Date(Math.round(received as number)),
  }));
}

export async function snapshotOf(pool: pg.Pool, customerId: string): Promise<SnapshotHoldings> {
  const latest = await pool.query<Row>({ text: `SELECT max(month), (extract(epoch FROM max(month)::timestamp) * 1000)::float8 FROM holdings`, rowMode: 'array' });
  const [, ms] = latest.rows[0];
  if (ms === null) return { month: null, products: [] };
  const r = await pool.query<Row>({
    name: 'snapshot-of',
    text: `SELECT product_id FROM holdings WHERE customer_id = $1 AND month = (to_timestamp($2::float8 / 1000) AT TIME ZONE 'UTC')::date ORDER BY product_id`,
    values: [customerId, ms],
    rowMode: 'array',
  });
  return { month: new Date(ms as number), products: r.rows.map((row) => row[0] as string) };
}

export async function* scanLatestHoldings(pool: pg.Pool): AsyncGenerator<CustomerHoldings[]> {
  const sql = `SELECT h.customer_id, (extract(epoch FROM h.month::timestamp) * 1000)::float8, array_agg(h.product_id ORDER BY h.product_id)
    FROM holdings h JOIN (SELECT customer_id, max(month) AS month FROM holdings GROUP BY customer_id) l USING (customer_id, month)
    GROUP BY h.customer_id, h.month ORDER BY h.customer_id`;
  for await (const rows of cursor(pool, sql)) {
    yield rows.map(([customer, ms, products]) => ({ customer: customer as string, month: new Date(ms as number), products: products as string[] }));
  }
}

/** A customer's products now: the latest snapshot month, then acquire and drop events from that month on (the latest per product wins). */
export async function holdingsOf(pool: pg.Pool, customerId: string): Promise<string[]> {
  const r = await pool.query<Row>({
    name: 'holdings-of',
    text: `WITH last AS (SELECT max(month) AS m FROM holdings WHERE customer_id = $1),
     snap AS (SELECT product_id FROM holdings, last WHERE customer_id = $1 AND month = last.m),
     moves AS (SELECT DISTINCT ON (product_id) product_id, type AS latest FROM events, last
       WHERE customer_id = $1 AND type IN ('acquire', 'drop') AND (last.m IS NULL OR ts >= last.m) ORDER BY product_id, ts DESC, type DESC)
     SELECT product_id FROM snap WHERE product_id NOT IN (SELECT product_id FROM moves WHERE latest = 'drop')
     UNION SELECT product_id FROM moves WHERE latest = 'acquire'
     ORDER BY product_id`,
    values: [customerId],
    rowMode: 'array',
  });
  return r.rows.map((row) => row[0] as string);
}
