// The data summary (StoreStats) of a PostgreSQL store, in SQL (the embedded store's, src/store/duckdb/stats.ts).
import type pg from 'pg';
import type { StoreStats } from '../stats.js';
import type { StoreCounts } from '../store.js';

const rows = async (pool: pg.Pool, sql: string): Promise<unknown[][]> => (await pool.query<unknown[]>({ text: sql, rowMode: 'array' })).rows;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export async function storeStats(pool: pg.Pool, counts: StoreCounts, top = 10): Promise<StoreStats> {
  const byType = await rows(pool, `SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC`);
  const [range] = await rows(pool, `SELECT to_char(min(ts), 'YYYY-MM-DD HH24:MI:SS'), to_char(max(ts), 'YYYY-MM-DD HH24:MI:SS') FROM events`);
  const [per] = await rows(
    pool,
    `SELECT count(*), min(n), percentile_cont(0.5) WITHIN GROUP (ORDER BY n), avg(n), max(n) FROM (SELECT customer_id, count(*) AS n FROM events GROUP BY customer_id) c`,
  );
  const topProducts = await rows(
    pool,
    `SELECT e.product_id, p.type, count(*) AS n, count(DISTINCT e.customer_id) FROM events e
     LEFT JOIN products p USING (product_id) GROUP BY e.product_id, p.type ORDER BY n DESC, e.product_id LIMIT ${top}`,
  );
  const attrs = await rows(
    pool,
    `SELECT a.key, count(*), count(*) FILTER (WHERE jsonb_typeof(a.value) = 'number'), count(DISTINCT a.value)
     FROM customers, jsonb_each(customers.attributes) a GROUP BY a.key ORDER BY a.key`,
  );
  const types = await rows(pool, `SELECT coalesce(type, ''), count(*) FROM products GROUP BY 1 ORDER BY 2 DESC`);
  const months = await rows(pool, `SELECT to_char(month, 'YYYY-MM-DD'), count(DISTINCT customer_id), count(*) FROM holdings GROUP BY month ORDER BY month`);
  const [cold] = await rows(pool, `SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.customer_id)`);
  return {
    ...counts,
    eventsByType: Object.fromEntries(byType.map(([t, n]) => [String(t), num(n)])),
    firstEvent: (range[0] as string | null) ?? null,
    lastEvent: (range[1] as string | null) ?? null,
    customersWithEvents: num(per[0]),
    coldCustomers: num(cold[0]),
    eventsPerCustomer: { min: num(per[1]), median: num(per[2]), mean: Math.round(num(per[3]) * 100) / 100, max: num(per[4]) },
    topProducts: topProducts.map(([p, t, n, u]) => ({ productId: String(p), type: (t as string | null) ?? null, events: num(n), customers: num(u) })),
    customerAttributes: attrs.map(([name, present, numeric, distinct]) => ({ name: String(name), present: num(present), numeric: num(numeric), distinct: num(distinct) })),
    productTypes: Object.fromEntries(types.map(([t, n]) => [String(t), num(n)])),
    holdingMonths: months.map(([m, u, h]) => ({ month: String(m), customers: num(u), holdings: num(h) })),
  };
}
