// Moves one ingest's staged rows into the store's tables. Runs inside the caller's transaction.
// Entities are upserted (the latest staged value of an attribute wins); events and holdings are
// inserted only if not already present, so loading the same file twice adds nothing.
import type { DuckDBConnection } from '@duckdb/node-api';

const ts = (col: string): string => `epoch_ms(CAST(round(${col} * 1000) AS BIGINT))`;

/** Distinct entities in one load, before deduplication against the store. */
export interface StagedCounts {
  customers: number;
  products: number;
  offers: number;
  events: number;
  holdings: number;
}

/** What a merge added that the store did not hold. */
export interface AddedCounts {
  customers: number;
  products: number;
  events: number;
  holdings: number;
}

export async function stagedCounts(conn: DuckDBConnection): Promise<StagedCounts> {
  const r = await conn.runAndReadAll(`SELECT
    (SELECT count(DISTINCT customer_id) FROM (SELECT customer_id FROM stage_customers UNION ALL
       SELECT customer_id FROM stage_events UNION ALL SELECT customer_id FROM stage_holdings)),
    (SELECT count(DISTINCT product_id) FROM (SELECT product_id FROM stage_products UNION ALL
       SELECT product_id FROM stage_events UNION ALL SELECT product_id FROM stage_holdings)),
    (SELECT count(DISTINCT offer_id) FROM stage_offers),
    (SELECT count(*) FROM (SELECT DISTINCT * FROM stage_events)),
    (SELECT count(*) FROM (SELECT DISTINCT * FROM stage_holdings))`);
  const [customers, products, offers, events, holdings] = r.getRows()[0].map(Number);
  return { customers, products, offers, events, holdings };
}

async function changed(conn: DuckDBConnection, sql: string): Promise<number> {
  const r = await conn.run(sql);
  return Number(r.rowsChanged);
}

function upsertAttributes(entity: 'customer' | 'product'): string {
  const stage = `stage_${entity}_attributes`;
  const target = `${entity}_attributes`;
  const id = `${entity}_id`;
  return `
    CREATE OR REPLACE TEMP TABLE latest_attrs AS
      SELECT ${id}, name, arg_max(num, seq) AS num, arg_max(str, seq) AS str FROM ${stage} GROUP BY ${id}, name;
    DELETE FROM ${target} USING latest_attrs l WHERE ${target}.${id} = l.${id} AND ${target}.name = l.name;
    INSERT INTO ${target} SELECT ${id}, name, num, str FROM latest_attrs;
    DROP TABLE latest_attrs;`;
}

export async function mergeStaged(conn: DuckDBConnection): Promise<AddedCounts> {
  const newCustomers = await changed(
    conn,
    `INSERT INTO customers
       SELECT DISTINCT s.customer_id FROM (
         SELECT customer_id FROM stage_customers UNION ALL SELECT customer_id FROM stage_events
         UNION ALL SELECT customer_id FROM stage_holdings) s
       ANTI JOIN customers c ON c.customer_id = s.customer_id`,
  );
  await conn.run(upsertAttributes('customer'));

  await conn.run(`
    CREATE OR REPLACE TEMP TABLE latest_products AS
      SELECT product_id, arg_max(type, seq) AS type, arg_max(description, seq) AS description FROM stage_products GROUP BY product_id;`);
  const before = await count(conn, 'products');
  await conn.run(`
    DELETE FROM products USING latest_products l WHERE products.product_id = l.product_id;
    INSERT INTO products SELECT product_id, type, description FROM latest_products;
    INSERT INTO products
      SELECT DISTINCT s.product_id, NULL, NULL FROM (
        SELECT product_id FROM stage_events UNION ALL SELECT product_id FROM stage_holdings
        UNION ALL SELECT product_id FROM stage_offers) s
      ANTI JOIN products p ON p.product_id = s.product_id;
    DROP TABLE latest_products;`);
  const newProducts = (await count(conn, 'products')) - before;
  await conn.run(upsertAttributes('product'));

  await conn.run(`
    CREATE OR REPLACE TEMP TABLE latest_offers AS
      SELECT offer_id, arg_max(product_id, seq) AS product_id, arg_max(reward, seq) AS reward,
        arg_max(reward_value, seq) AS reward_value, arg_max(valid_from, seq) AS valid_from,
        arg_max(valid_to, seq) AS valid_to, arg_max(eligibility, seq) AS eligibility
      FROM stage_offers GROUP BY offer_id;
    DELETE FROM offers USING latest_offers l WHERE offers.offer_id = l.offer_id;
    INSERT INTO offers SELECT offer_id, product_id, reward, reward_value, ${ts('valid_from')}, ${ts('valid_to')}, eligibility
      FROM latest_offers;
    DROP TABLE latest_offers;`);

  const newEvents = await changed(
    conn,
    `INSERT INTO events
       SELECT DISTINCT s.customer_id, s.product_id, ${ts('s.ts')} AS ts, s.type, s.value, s.context FROM stage_events s
       ANTI JOIN events e ON e.customer_id = s.customer_id AND e.product_id = s.product_id
         AND e.ts = ${ts('s.ts')} AND e.type = s.type AND e.value = s.value AND e.context = s.context`,
  );
  const newHoldings = await changed(
    conn,
    `INSERT INTO holdings
       SELECT DISTINCT s.customer_id, s.product_id, CAST(${ts('s.month')} AS DATE) AS month FROM stage_holdings s
       ANTI JOIN holdings h ON h.customer_id = s.customer_id AND h.product_id = s.product_id
         AND h.month = CAST(${ts('s.month')} AS DATE)`,
  );
  return { customers: newCustomers, products: newProducts, events: newEvents, holdings: newHoldings };
}

export async function count(conn: DuckDBConnection, table: string): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT count(*) FROM ${table}`);
  return Number(r.getRows()[0][0]);
}
