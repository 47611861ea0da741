// The PostgreSQL store's schema, as numbered migrations. A writer applies the missing ones at open,
// each in its own transaction under a transaction-scoped advisory lock, and records it in
// nextbest_migrations: two processes opening a new store at once apply each migration exactly once
// (the second waits for the lock, then sees it recorded). Text columns sort bytewise (COLLATE "C"),
// as DuckDB sorts, so ids come out in the same order from both backends.
import type pg from 'pg';

/** Any constant: the advisory lock key nextbest's migrations take. */
const MIGRATION_LOCK = 7_413_013;

export const MIGRATIONS: readonly string[] = [
  // 1: the store's tables, keyed, with the indexes the server's per-customer queries use.
  `CREATE TABLE customers (customer_id text COLLATE "C" PRIMARY KEY, attributes jsonb NOT NULL);
   CREATE TABLE products (product_id text COLLATE "C" PRIMARY KEY, type text, description text, attributes jsonb NOT NULL);
   CREATE TABLE offers (offer_id text COLLATE "C" PRIMARY KEY, product_id text COLLATE "C" NOT NULL, reward text, reward_value double precision,
     valid_from timestamp, valid_to timestamp, eligibility text, retired_at timestamp);
   CREATE TABLE events (customer_id text COLLATE "C" NOT NULL, product_id text COLLATE "C" NOT NULL, ts timestamp NOT NULL,
     type text COLLATE "C" NOT NULL, value double precision NOT NULL, context text COLLATE "C" NOT NULL, event_id text UNIQUE, received timestamp);
   CREATE INDEX events_customer_ts ON events (customer_id, ts);
   CREATE INDEX events_ts ON events (ts);
   CREATE INDEX events_received ON events (received) WHERE received IS NOT NULL;
   CREATE TABLE holdings (customer_id text COLLATE "C" NOT NULL, product_id text COLLATE "C" NOT NULL, month date NOT NULL,
     PRIMARY KEY (customer_id, month, product_id));
   CREATE INDEX holdings_month ON holdings (month);
   CREATE TABLE ingests (loaded_at timestamp NOT NULL, format text, source text, accepted bigint, rejected bigint, rejects_file text);`,
  // 2: the model every replica serves, set by whichever activates one (see src/server/shared-model.ts).
  `CREATE TABLE active_model (one boolean PRIMARY KEY DEFAULT true CHECK (one), model text NOT NULL, activated_at timestamp NOT NULL);`,
];

/** Applies the migrations a database lacks; returns the store's schema version. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS nextbest_migrations (version integer PRIMARY KEY, applied_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))`).catch(async (e: { code?: string }) => {
      // Two processes creating the table at once: one wins, the other's CREATE fails on the catalog
      // (a unique index 23505, the table 42P07, or its row type 42710).
      if (e.code !== '23505' && e.code !== '42P07' && e.code !== '42710') throw e;
    });
    for (let v = 1; v <= MIGRATIONS.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        const done = await client.query('SELECT 1 FROM nextbest_migrations WHERE version = $1', [v]);
        if (done.rowCount === 0) {
          await client.query(MIGRATIONS[v - 1]);
          await client.query('INSERT INTO nextbest_migrations (version) VALUES ($1)', [v]);
        }
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    }
    return MIGRATIONS.length;
  } finally {
    client.release();
  }
}

/** The schema version a database holds (0 when it is not a nextbest store). */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const r = await pool.query<{ v: number | null }>(
    `SELECT CASE WHEN to_regclass('nextbest_migrations') IS NULL THEN 0 END AS v`,
  );
  if (r.rows[0].v === 0) return 0;
  const m = await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM nextbest_migrations');
  return m.rows[0].v ?? 0;
}
