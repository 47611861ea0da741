// A PostgreSQL store's load, second half: merges the folded tables staging.ts copied in into the
// store, inside the caller's transaction, with the embedded store's rule (src/store/duckdb/merge.ts):
// a value a load gives replaces the store's, a missing one never does; attributes merge key by key
// (jsonb ||, attributes being flat), offers field by field; product hints fill only what is empty;
// events and holdings already held are not inserted again, so loading a file twice adds nothing.
import type pg from 'pg';
import { NextbestError } from '../../core/errors.js';
import type { AddedCounts } from '../store.js';

/** Any constant: the advisory lock that makes loads from several processes merge one at a time. */
export const INGEST_LOCK = 7_413_014;

const newRows = async (client: pg.PoolClient, insert: string): Promise<number> => {
  const r = await client.query<{ n: string }>(`WITH ins AS (${insert} RETURNING (xmax = 0) AS new) SELECT count(*) FILTER (WHERE new) AS n FROM ins`);
  return Number(r.rows[0].n);
};

export async function mergeStaged(client: pg.PoolClient): Promise<AddedCounts> {
  // Sorts and hashes over a whole load in memory rather than in temporary files (this transaction only).
  await client.query(`SET LOCAL work_mem = '256MB'`);
  const customers = await newRows(
    client,
    `INSERT INTO customers SELECT customer_id, attributes FROM s_customers
     ON CONFLICT (customer_id) DO UPDATE SET attributes = customers.attributes || excluded.attributes WHERE excluded.attributes <> '{}'::jsonb`,
  );
  let products = await newRows(
    client,
    `INSERT INTO products SELECT product_id, type, description, attributes FROM s_products
     ON CONFLICT (product_id) DO UPDATE SET type = coalesce(excluded.type, products.type),
       description = coalesce(excluded.description, products.description), attributes = products.attributes || excluded.attributes`,
  );
  products += await newRows(
    client,
    `INSERT INTO products SELECT product_id, type, description, '{}' FROM s_hints
     ON CONFLICT (product_id) DO UPDATE SET type = coalesce(nullif(products.type, ''), excluded.type),
       description = coalesce(nullif(products.description, ''), excluded.description)`,
  );
  products += (await client.query(`INSERT INTO products SELECT product_id, NULL, NULL, '{}' FROM s_bare_products ON CONFLICT DO NOTHING`)).rowCount ?? 0;

  await client.query(`UPDATE offers SET product_id = l.product_id, reward = coalesce(l.reward, offers.reward),
      reward_value = coalesce(l.reward_value, offers.reward_value), valid_from = coalesce(l.valid_from, offers.valid_from),
      valid_to = coalesce(l.valid_to, offers.valid_to), eligibility = coalesce(l.eligibility, offers.eligibility)
    FROM s_offers l WHERE offers.offer_id = l.offer_id`);
  await client.query(`INSERT INTO offers (offer_id, product_id, reward, reward_value, valid_from, valid_to, eligibility)
    SELECT offer_id, product_id, reward, reward_value, valid_from, valid_to, coalesce(eligibility, '{}') FROM s_offers
    ON CONFLICT DO NOTHING`);
  await refuseInvertedWindows(client);

  await client.query('ANALYZE s_events');
  const events = (
    await client.query(`INSERT INTO events (customer_id, product_id, ts, type, value, context)
      SELECT s.* FROM s_events s WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.customer_id = s.customer_id
        AND e.product_id = s.product_id AND e.ts = s.ts AND e.type = s.type AND e.value = s.value AND e.context = s.context)`)
  ).rowCount ?? 0;
  const holdings = (
    // In key order, so the primary key's index grows at its end instead of at random pages; a row
    // repeated within the load is skipped by ON CONFLICT like one the store held.
    await client.query(`INSERT INTO holdings SELECT x.customer::text COLLATE "C" AS customer_id, p.product_id, x.month
      FROM s_snapshots x JOIN s_snapshot_products p ON (x.mask >> p.bit) & 1 = 1 ORDER BY 1, 3, 2 ON CONFLICT DO NOTHING`)
  ).rowCount ?? 0;
  return { customers, products, events, holdings };
}

/** A load that would leave an offer's merged window ending before it starts is refused whole (see the DuckDB merge). */
async function refuseInvertedWindows(client: pg.PoolClient): Promise<void> {
  const r = await client.query<{ id: string; f: string; t: string }>(`SELECT o.offer_id AS id, to_char(o.valid_from, 'YYYY-MM-DD HH24:MI:SS') AS f,
      to_char(o.valid_to, 'YYYY-MM-DD HH24:MI:SS') AS t FROM offers o
    WHERE o.offer_id IN (SELECT offer_id FROM s_offers) AND o.valid_from > o.valid_to ORDER BY o.offer_id LIMIT 1`);
  const bad = r.rows[0];
  if (bad)
    throw new NextbestError(
      'UNSUITABLE_DATA',
      `offer ${bad.id} would run from ${bad.f} to ${bad.t} once merged with the window the store holds (valid_from after valid_to); give both valid_from and valid_to for it`,
    );
}
