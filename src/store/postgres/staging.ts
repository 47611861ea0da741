// A PostgreSQL store's load, first half: the loader writes into DuckDB staging tables in memory (the
// same StagingSink and bulk snapshot reader as the embedded store, so parsing, rejects and the
// Santander path are one code), DuckDB folds each entity's rows of the load into one, and each folded
// table goes, as CSV spilled to a temporary folder, into a PostgreSQL temporary table with COPY FROM
// STDIN. merge.ts then merges those into the store in one transaction.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RejectsFile } from '../../data/rejects.js';
import type { Loader, LoadCounts, LoadOptions } from '../../data/sink.js';
import { latestStaged, stagedCounts, ts } from '../duckdb/merge.js';
import { literal } from '../duckdb/sql.js';
import { StagingSink } from '../duckdb/staging-sink.js';
import type { StagedCounts } from '../store.js';

/** A folded table: the PostgreSQL temporary table it becomes, and the DuckDB query that gives its rows. */
interface Folded {
  table: string;
  columns: string;
  query: string;
}

const FOLDED: Folded[] = [
  {
    table: 's_customers',
    columns: 'customer_id text COLLATE "C", attributes jsonb',
    query: `SELECT customer_id, CAST(attributes AS VARCHAR) FROM latest UNION ALL
      SELECT DISTINCT s.customer_id, '{}' FROM stage_events s ANTI JOIN latest l ON l.customer_id = s.customer_id`,
  },
  {
    table: 's_products',
    columns: 'product_id text COLLATE "C", type text, description text, attributes jsonb',
    query: `SELECT product_id, type, description, CAST(attributes AS VARCHAR) FROM latest_products`,
  },
  {
    table: 's_hints',
    columns: 'product_id text COLLATE "C", type text, description text',
    query: `SELECT product_id, arg_min(nullif(type, ''), seq), arg_min(nullif(description, ''), seq) FROM stage_product_hints GROUP BY product_id`,
  },
  {
    table: 's_bare_products',
    columns: 'product_id text COLLATE "C"',
    query: `SELECT product_id FROM stage_events UNION SELECT product_id FROM stage_offers`,
  },
  {
    table: 's_offers',
    columns: 'offer_id text COLLATE "C", product_id text COLLATE "C", reward text, reward_value double precision, valid_from timestamp, valid_to timestamp, eligibility text',
    query: `SELECT offer_id, arg_max(product_id, seq), arg_max(nullif(reward, ''), seq), arg_max(reward_value, seq),
      ${ts('arg_max(valid_from, seq)')}, ${ts('arg_max(valid_to, seq)')}, arg_max(nullif(eligibility, '{}'), seq)
      FROM stage_offers GROUP BY offer_id`,
  },
  {
    table: 's_events',
    columns: 'customer_id text COLLATE "C", product_id text COLLATE "C", ts timestamp, type text COLLATE "C", value double precision, context text COLLATE "C"',
    query: `SELECT DISTINCT customer_id, product_id, ${ts('ts')}, type, value, context FROM stage_events`,
  },
  { table: 's_snapshots', columns: 'customer bigint, month date, mask bigint', query: `SELECT customer, month, mask FROM stage_snapshots` },
  { table: 's_snapshot_products', columns: 'bit integer, product_id text COLLATE "C"', query: `SELECT bit, product_id FROM stage_snapshot_products` },
];

/** A load staged: what it held, in PostgreSQL temporary tables of `client`'s session. */
export interface Staged {
  loaded: LoadCounts;
  staged: StagedCounts;
}

/**
 * Runs the loader into DuckDB staging in memory (spilling to a temporary folder past `memoryLimit`),
 * then copies the folded tables into temporary tables of `client` (dropped at the end of its transaction).
 */
export async function stageLoad(
  client: pg.PoolClient,
  loader: Loader,
  input: string,
  opts: LoadOptions,
  rejects: RejectsFile,
  memoryLimit: string,
): Promise<Staged> {
  const dir = mkdtempSync(join(tmpdir(), 'nextbest-pg-stage-'));
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: memoryLimit, temp_directory: join(dir, 'spill') });
  let conn: DuckDBConnection | null = null;
  try {
    conn = await instance.connect();
    await conn.run('SET preserve_insertion_order = false;');
    const sink = await StagingSink.open(conn, rejects);
    let loaded: LoadCounts;
    try {
      loaded = await loader.load(input, sink, opts);
    } finally {
      sink.close();
    }
    const staged = await stagedCounts(conn);
    await conn.run(`${latestStaged('stage_products', 'product_id', ['type', 'description'])}
      ALTER TABLE latest RENAME TO latest_products;
      ${latestStaged('stage_customers', 'customer_id')}`);
    for (const f of FOLDED) {
      const file = join(dir, `${f.table}.csv`);
      await conn.run(`COPY (${f.query}) TO ${literal(file)} (FORMAT csv, HEADER false, NULLSTR '\\N')`);
      await client.query(`CREATE TEMP TABLE ${f.table} (${f.columns}) ON COMMIT DROP`);
      await pipeline(createReadStream(file), client.query(copyFrom(`COPY ${f.table} FROM STDIN (FORMAT csv, NULL '\\N')`)));
      rmSync(file);
    }
    return { loaded, staged };
  } finally {
    conn?.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}
