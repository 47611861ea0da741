// Streams what the training views are built from, chunk by chunk, without one object per row:
// ids, events (columnar batches), entity attributes, and one customer's events.
import type { DuckDBConnection, DuckDBListValue, DuckDBValue, DuckDBVector } from '@duckdb/node-api';
import type { EventType } from '../../data/model.js';
import type { AttributeRow, EventBatch, HoldingBatch } from '../../data/rows.js';
import { concatBatches, emptyBatch } from '../event-batch.js';
import { literal } from './sql.js';

type Params = Record<string, DuckDBValue>;

async function* chunks(conn: DuckDBConnection, sql: string, params?: Params): AsyncGenerator<{ rows: number; col: (i: number) => DuckDBVector }> {
  const result = await conn.stream(sql, params);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    yield { rows: chunk.rowCount, col: (i) => chunk.getColumnVector(i) };
  }
}

export async function* scanIds(conn: DuckDBConnection, entity: 'customer' | 'product'): AsyncGenerator<string[]> {
  const table = entity === 'customer' ? 'customers' : 'products';
  for await (const c of chunks(conn, `SELECT ${entity}_id FROM ${table} ORDER BY ${entity}_id`)) {
    const v = c.col(0);
    const ids = new Array<string>(c.rows);
    for (let i = 0; i < c.rows; i++) ids[i] = v.getItem(i) as string;
    yield ids;
  }
}

/** Events matching a WHERE clause, in time order (ties by customer, product, type) so logs, splits and sequences are deterministic. */
async function* eventBatches(conn: DuckDBConnection, where: string, params?: Params): AsyncGenerator<EventBatch> {
  const sql = `SELECT customer_id, product_id, epoch(ts), type, value, context FROM events ${where}
    ORDER BY ts, customer_id, product_id, type`;
  for await (const c of chunks(conn, sql, params)) {
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

export function scanEvents(conn: DuckDBConnection, types?: readonly EventType[]): AsyncGenerator<EventBatch> {
  return eventBatches(conn, types?.length ? `WHERE type IN (${types.map(literal).join(', ')})` : '');
}

/** One customer's events (after `since`, exclusive, when given) as one batch. */
export async function customerEvents(conn: DuckDBConnection, customerId: string, since?: Date): Promise<EventBatch> {
  const where = since === undefined ? 'WHERE customer_id = $customer' : 'WHERE customer_id = $customer AND ts > epoch_ms($since::BIGINT)';
  const params: Params = since === undefined ? { customer: customerId } : { customer: customerId, since: since.getTime() };
  const parts: EventBatch[] = [];
  for await (const b of eventBatches(conn, where, params)) parts.push(b);
  return concatBatches(parts);
}

/**
 * Monthly holdings, one row per (month, customer) with the sorted products held, by month then customer.
 * One month at a time, so the grouping holds one month's customers (a million, not 17 million) in memory.
 */
export async function* scanHoldings(conn: DuckDBConnection): AsyncGenerator<HoldingBatch> {
  const months = (await conn.runAndReadAll(`SELECT DISTINCT strftime(month, '%Y-%m-%d') AS day, epoch(month) FROM holdings ORDER BY day`)).getRows();
  for (const [day, epoch] of months) {
    const month = Number(epoch);
    const sql = `SELECT customer_id, list(product_id ORDER BY product_id) FROM holdings WHERE month = CAST($day AS DATE)
      GROUP BY customer_id ORDER BY customer_id`;
    for await (const c of chunks(conn, sql, { day: String(day) })) {
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
export async function* scanAttributes(conn: DuckDBConnection, entity: 'customer' | 'product'): AsyncGenerator<AttributeRow[]> {
  const table = entity === 'customer' ? 'customers' : 'products';
  const sql = `SELECT ${entity}_id, CAST(attributes AS VARCHAR) FROM ${table} WHERE attributes <> '{}' ORDER BY ${entity}_id`;
  for await (const c of chunks(conn, sql)) {
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
