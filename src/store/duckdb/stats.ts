// The data summary (StoreStats) of a DuckDB store, in SQL.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StoreStats } from '../stats.js';
import type { StoreCounts } from '../store.js';

const rows = async (c: DuckDBConnection, sql: string): Promise<unknown[][]> => (await c.runAndReadAll(sql)).getRows();
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export async function storeStats(c: DuckDBConnection, counts: StoreCounts, top = 10): Promise<StoreStats> {
  const byType = await rows(c, `SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC`);
  const [range] = await rows(c, `SELECT strftime(min(ts), '%Y-%m-%d %H:%M:%S'), strftime(max(ts), '%Y-%m-%d %H:%M:%S') FROM events`);
  const [per] = await rows(
    c,
    `SELECT count(*), min(n), median(n), avg(n), max(n) FROM (SELECT customer_id, count(*) AS n FROM events GROUP BY customer_id)`,
  );
  const topProducts = await rows(
    c,
    `SELECT e.product_id, p.type, count(*) AS n, count(DISTINCT e.customer_id) FROM events e
     LEFT JOIN products p USING (product_id) GROUP BY e.product_id, p.type ORDER BY n DESC, e.product_id LIMIT ${top}`,
  );
  const attrs = await rows(
    c,
    `SELECT a.key, count(*), count(*) FILTER (json_type(a.value) IN ('DOUBLE', 'BIGINT', 'UBIGINT')),
       count(DISTINCT a.value) FROM customers, json_each(customers.attributes) a GROUP BY a.key ORDER BY a.key`,
  );
  const types = await rows(c, `SELECT coalesce(type, ''), count(*) FROM products GROUP BY 1 ORDER BY 2 DESC`);
  const months = await rows(
    c,
    `SELECT strftime(month, '%Y-%m-%d'), count(DISTINCT customer_id), count(*) FROM holdings GROUP BY month ORDER BY month`,
  );
  const withEvents = num(per[0]);
  // Customers on file with no event; events may name customers that are not on file (live events).
  const [cold] = await rows(c, `SELECT count(*) FROM customers WHERE customer_id NOT IN (SELECT customer_id FROM events)`);
  return {
    ...counts,
    eventsByType: Object.fromEntries(byType.map(([t, n]) => [String(t), num(n)])),
    firstEvent: (range[0] as string | null) ?? null,
    lastEvent: (range[1] as string | null) ?? null,
    customersWithEvents: withEvents,
    coldCustomers: num(cold[0]),
    eventsPerCustomer: { min: num(per[1]), median: num(per[2]), mean: Math.round(num(per[3]) * 100) / 100, max: num(per[4]) },
    topProducts: topProducts.map(([p, t, n, u]) => ({
      productId: String(p),
      type: (t as string | null) ?? null,
      events: num(n),
      customers: num(u),
    })),
    customerAttributes: attrs.map(([name, present, numeric, distinct]) => ({
      name: String(name),
      present: num(present),
      numeric: num(numeric),
      distinct: num(distinct),
    })),
    productTypes: Object.fromEntries(types.map(([t, n]) => [String(t), num(n)])),
    holdingMonths: months.map(([m, u, h]) => ({ month: String(m), customers: num(u), holdings: num(h) })),
  };
}
