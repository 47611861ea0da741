// Moves one ingest's staged rows into the store's tables. Runs inside the caller's transaction.
// The merge rule: a value a load gives replaces the store's, and a missing value (blank, NA, null)
// never replaces a known one. Attributes merge key by key; an offer field by field. Products that
// only event rows describe (hints) get a type or description only where nothing else gives one.
// Events and holdings are inserted only if not already present, so loading a file twice adds nothing.
import type { DuckDBConnection } from '@duckdb/node-api';
import { NextbestError } from '../../core/errors.js';
import type { AddedCounts, StagedCounts } from '../store.js';

/** Epoch seconds (a staged DOUBLE) as a millisecond TIMESTAMP. */
export const ts = (col: string): string => `epoch_ms(CAST(round(${col} * 1000) AS BIGINT))`;

export async function stagedCounts(conn: DuckDBConnection): Promise<StagedCounts> {
  const r = await conn.runAndReadAll(`SELECT
    (SELECT count(DISTINCT customer_id) FROM (SELECT customer_id FROM stage_customers UNION ALL
       SELECT customer_id FROM stage_events)),
    (SELECT count(DISTINCT product_id) FROM (SELECT product_id FROM stage_products UNION ALL
       SELECT product_id FROM stage_product_hints UNION ALL SELECT product_id FROM stage_events UNION ALL
       SELECT product_id FROM stage_offers)),
    (SELECT count(DISTINCT offer_id) FROM stage_offers),
    (SELECT count(*) FROM (SELECT DISTINCT * FROM stage_events)),
    (SELECT coalesce(sum(bit_count(mask)), 0) FROM stage_snapshots)`);
  const [customers, products, offers, events, holdings] = r.getRows()[0].map(Number);
  return { customers, products, offers, events, holdings };
}

async function changed(conn: DuckDBConnection, sql: string): Promise<number> {
  const r = await conn.run(sql);
  return Number(r.rowsChanged);
}

/**
 * One row per entity of a load, in table `latest`. Attribute objects are folded in load order: a later
 * value of a key wins (JSON merge patch; missing values are not staged, so none removes a key). Other
 * columns take their latest non-empty value. Entities staged once (nearly all) skip the fold.
 */
export const latestStaged = (stage: string, id: string, columns: string[] = []): string => `
  CREATE OR REPLACE TEMP TABLE repeated AS SELECT ${id} FROM ${stage} GROUP BY ${id} HAVING count(*) > 1;
  CREATE OR REPLACE TEMP TABLE latest AS
    SELECT s.${id}, s.attributes${columns.map((c) => `, nullif(s.${c}, '') AS ${c}`).join('')}
    FROM ${stage} s ANTI JOIN repeated r ON r.${id} = s.${id}
    UNION ALL
    SELECT ${id}, list_reduce(list(attributes ORDER BY seq), (a, b) -> json_merge_patch(a, b))${columns
      .map((c) => `, arg_max(nullif(${c}, ''), seq) AS ${c}`)
      .join('')}
    FROM ${stage} SEMI JOIN repeated USING (${id}) GROUP BY ${id};
  DROP TABLE repeated;`;

/**
 * Upserts entities: existing ones get their attributes patched (a column the load leaves empty keeps
 * its value), new ones are inserted.
 */
const upsertEntities = (table: string, id: string, extraColumns: string[]): string => {
  const set = extraColumns.map((c) => `, ${c} = coalesce(l.${c}, ${table}.${c})`).join('');
  const cols = extraColumns.map((c) => `, l.${c}`).join('');
  return `
    UPDATE ${table} SET attributes = json_merge_patch(${table}.attributes, l.attributes)${set}
      FROM latest l WHERE ${table}.${id} = l.${id};
    INSERT INTO ${table} SELECT l.${id}${cols}, l.attributes FROM latest l ANTI JOIN ${table} t ON t.${id} = l.${id};
    DROP TABLE latest;`;
};

/** Products as event rows describe them: the first description of each fills in only what is empty. */
const fillFromHints = `
  CREATE OR REPLACE TEMP TABLE hints AS
    SELECT product_id, arg_min(nullif(type, ''), seq) AS type, arg_min(nullif(description, ''), seq) AS description
    FROM stage_product_hints GROUP BY product_id;
  UPDATE products SET type = coalesce(nullif(products.type, ''), h.type),
      description = coalesce(nullif(products.description, ''), h.description)
    FROM hints h WHERE products.product_id = h.product_id;
  INSERT INTO products SELECT h.product_id, h.type, h.description, '{}' FROM hints h
    ANTI JOIN products p ON p.product_id = h.product_id;
  DROP TABLE hints;`;

export async function mergeStaged(conn: DuckDBConnection): Promise<AddedCounts> {
  const customersBefore = await count(conn, 'customers');
  await conn.run(`${latestStaged('stage_customers', 'customer_id')}
    ${upsertEntities('customers', 'customer_id', [])}
    INSERT INTO customers
      SELECT DISTINCT s.customer_id, '{}' FROM stage_events s
      ANTI JOIN customers c ON c.customer_id = s.customer_id;`);
  const newCustomers = (await count(conn, 'customers')) - customersBefore;

  const productsBefore = await count(conn, 'products');
  await conn.run(`
      ${latestStaged('stage_products', 'product_id', ['type', 'description'])}
    ${upsertEntities('products', 'product_id', ['type', 'description'])}
    ${fillFromHints}
    INSERT INTO products
      SELECT DISTINCT s.product_id, NULL, NULL, '{}' FROM (
        SELECT product_id FROM stage_events UNION ALL SELECT product_id FROM stage_offers) s
      ANTI JOIN products p ON p.product_id = s.product_id;`);
  const newProducts = (await count(conn, 'products')) - productsBefore;

  // An offer's fields merge one by one; no eligibility rules ('{}') is a missing value like a blank reward.
  await conn.run(`
    CREATE OR REPLACE TEMP TABLE latest_offers AS
      SELECT offer_id, arg_max(product_id, seq) AS product_id, arg_max(nullif(reward, ''), seq) AS reward,
        arg_max(reward_value, seq) AS reward_value, ${ts('arg_max(valid_from, seq)')} AS valid_from,
        ${ts('arg_max(valid_to, seq)')} AS valid_to, arg_max(nullif(eligibility, '{}'), seq) AS eligibility
      FROM stage_offers GROUP BY offer_id;
    UPDATE offers SET product_id = l.product_id, reward = coalesce(l.reward, offers.reward),
        reward_value = coalesce(l.reward_value, offers.reward_value), valid_from = coalesce(l.valid_from, offers.valid_from),
        valid_to = coalesce(l.valid_to, offers.valid_to), eligibility = coalesce(l.eligibility, offers.eligibility)
      FROM latest_offers l WHERE offers.offer_id = l.offer_id;
    INSERT INTO offers (offer_id, product_id, reward, reward_value, valid_from, valid_to, eligibility) SELECT l.offer_id, l.product_id, l.reward, l.reward_value, l.valid_from, l.valid_to,
        coalesce(l.eligibility, '{}')
      FROM latest_offers l ANTI JOIN offers o ON o.offer_id = l.offer_id;
    DROP TABLE latest_offers;`);
  await refuseInvertedWindows(conn);

  const newEvents = await changed(
    conn,
    `INSERT INTO events (customer_id, product_id, ts, type, value, context)
       SELECT DISTINCT s.customer_id, s.product_id, ${ts('s.ts')} AS ts, s.type, s.value, s.context FROM stage_events s
       ANTI JOIN events e ON e.customer_id = s.customer_id AND e.product_id = s.product_id
         AND e.ts = ${ts('s.ts')} AND e.type = s.type AND e.value = s.value AND e.context = s.context`,
  );
  const newHoldings = await changed(
    conn,
    `INSERT INTO holdings
       SELECT s.* FROM (
         SELECT DISTINCT CAST(x.customer AS VARCHAR) AS customer_id, p.product_id, x.month
         FROM stage_snapshots x JOIN stage_snapshot_products p ON (x.mask >> p.bit) & 1 = 1) s
       ANTI JOIN holdings h ON h.customer_id = s.customer_id AND h.product_id = s.product_id AND h.month = s.month`,
  );
  return { customers: newCustomers, products: newProducts, events: newEvents, holdings: newHoldings };
}

/**
 * A load that gives only one end of an offer's window can, merged field by field with the stored
 * other end, leave a window that ends before it starts: the whole load is refused (rolled back).
 */
async function refuseInvertedWindows(conn: DuckDBConnection): Promise<void> {
  const r = await conn.runAndReadAll(`SELECT o.offer_id, strftime(o.valid_from, '%Y-%m-%d %H:%M:%S'), strftime(o.valid_to, '%Y-%m-%d %H:%M:%S')
    FROM offers o SEMI JOIN stage_offers s ON s.offer_id = o.offer_id WHERE o.valid_from > o.valid_to ORDER BY o.offer_id LIMIT 1`);
  const bad = r.getRows()[0];
  if (bad)
    throw new NextbestError(
      'UNSUITABLE_DATA',
      `offer ${String(bad[0])} would run from ${String(bad[1])} to ${String(bad[2])} once merged with the window the store holds (valid_from after valid_to); give both valid_from and valid_to for it`,
    );
}

export async function count(conn: DuckDBConnection, table: string): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT count(*) FROM ${table}`);
  return Number(r.getRows()[0][0]);
}
