// Bulk load of monthly product-holding snapshots (Santander layout) inside DuckDB: its parallel CSV
// reader parses the file, typed columns turn malformed rows into rejects with line numbers, and a
// window over each customer's months turns 0 -> 1 flag changes into acquire events and 1 -> 0 into drops.
import type { DuckDBConnection } from '@duckdb/node-api';
import { readFirstLine, splitRecord } from '../../data/delimited.js';
import type { RejectsFile } from '../../data/rejects.js';
import type { SnapshotCounts, SnapshotSpec } from '../../data/sink.js';
import { rejectFutureMonths } from './future-months.js';
import { rejectRepeatedMonths } from './repeated-months.js';
import { runWithProgress } from './progress.js';
import { ident, literal } from './sql.js';

async function readCsvCall(spec: SnapshotSpec, rejectTables: boolean): Promise<string> {
  const header = splitRecord(await readFirstLine(spec.path), spec.delimiter);
  const productColumns = new Set(spec.products.map((p) => p.column));
  const type = (c: string): string =>
    c === spec.monthColumn ? 'DATE' : c === spec.customerColumn ? 'BIGINT' : productColumns.has(c) ? 'INTEGER' : 'VARCHAR';
  const columns = header.map((c) => `${literal(c)}: ${literal(type(c))}`).join(', ');
  const nulls = spec.nullValues.map(literal).join(', ');
  const errors = rejectTables
    ? `store_rejects = true, rejects_table = 'snapshot_rejects', rejects_scan = 'snapshot_scans'`
    : 'ignore_errors = true';
  // force_not_null makes an empty month or customer a cast error (a reject with its line), not a NULL.
  return `read_csv(${literal(spec.path)}, header = true, delim = ${literal(spec.delimiter)}, quote = '"',
    columns = {${columns}}, nullstr = [${nulls}, ''],
    force_not_null = [${literal(spec.monthColumn)}, ${literal(spec.customerColumn)}], ${errors})`;
}

export async function loadSnapshots(
  conn: DuckDBConnection,
  spec: SnapshotSpec,
  rejects: RejectsFile,
  onProgress?: (fraction: number) => void,
): Promise<SnapshotCounts> {
  const bits = spec.products.map((p, i) => `(CAST(coalesce(${ident(p.column)}, 0) = 1 AS BIGINT) << ${i})`).join(' | ');
  const productList = spec.products.map((p, i) => `(${i}, ${literal(p.productId)})`).join(', ');

  // Pass 1: month, customer and a bitmask of held products for every row.
  await runWithProgress(
    conn,
    `INSERT INTO stage_snapshots BY NAME
       SELECT ${ident(spec.monthColumn)} AS month, ${ident(spec.customerColumn)} AS customer, ${bits} AS mask
       FROM ${await readCsvCall(spec, true)}`,
    onProgress,
    [0, 0.45],
  );
  const future = await rejectFutureMonths(conn, spec, rejects);
  const repeated = await rejectRepeatedMonths(conn, spec, rejects);
  const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM stage_snapshots`)).getRows()[0][0]);
  const rejected = future + repeated + (await writeRejects(conn, rejects));

  // Pass 2: each customer's attributes from their latest month, as one JSON object. The file is
  // read again but only those rows survive the semi-join, so nothing is aggregated over all rows.
  // The same typed columns skip the same bad rows; a malformed number is a missing value (TRY_CAST),
  // and so is one no double holds (1e400, NaN), which JSON cannot hold either.
  const asDouble = (c: string): string => `TRY_CAST(trim(r.${ident(c)}) AS DOUBLE)`;
  const value = (a: SnapshotSpec['attributes'][number]): string =>
    a.kind === 'num'
      ? `CASE WHEN isfinite(${asDouble(a.column)}) THEN ${asDouble(a.column)} END`
      : `nullif(trim(r.${ident(a.column)}), '')`;
  const struct = spec.attributes.map((a) => `${ident(a.name)}: ${value(a)}`).join(', ');
  // A file without attribute columns gives every customer no attributes (an empty struct is not SQL).
  const json = struct ? `CAST(json_merge_patch('{}', to_json({${struct}})) AS VARCHAR)` : `'{}'`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE snap_last AS SELECT customer, max(month) AS month FROM stage_snapshots GROUP BY customer`);
  await runWithProgress(
    conn,
    `INSERT INTO stage_customers
       SELECT 0, CAST(r.${ident(spec.customerColumn)} AS VARCHAR), ${json}
       FROM ${await readCsvCall(spec, false)} r
       SEMI JOIN snap_last l ON r.${ident(spec.customerColumn)} = l.customer AND r.${ident(spec.monthColumn)} = l.month`,
    onProgress,
    [0.45, 0.8],
  );
  await conn.run(`INSERT INTO stage_products SELECT 0, *, '{}' FROM (VALUES ${spec.products
    .map((p) => `(${literal(p.productId)}, ${literal(p.type)}, ${literal(p.description)})`)
    .join(', ')});`);

  await conn.run(`INSERT INTO stage_snapshot_products VALUES ${productList}`);
  const held = await conn.runAndReadAll(`SELECT coalesce(sum(bit_count(mask)), 0) FROM stage_snapshots`);
  const holdings = Number(held.getRows()[0][0]);
  await conn.run(`
    CREATE OR REPLACE TEMP TABLE snap_changes AS
      SELECT customer, month, mask & ~prev AS added, prev & ~mask AS dropped FROM (
        SELECT customer, month, mask, lag(mask) OVER (PARTITION BY customer ORDER BY month) AS prev FROM stage_snapshots)
      WHERE prev IS NOT NULL AND mask <> prev;`);
  const change = (col: string, type: string): string => `
    INSERT INTO stage_events
      SELECT CAST(c.customer AS VARCHAR), p.product_id, epoch(CAST(c.month AS TIMESTAMP)), '${type}', 1, '{}'
      FROM snap_changes c, stage_snapshot_products p WHERE (c.${col} >> p.bit) & 1 = 1`;
  const acquisitions = Number((await conn.run(change('added', 'acquire'))).rowsChanged);
  const drops = Number((await conn.run(change('dropped', 'drop'))).rowsChanged);
  const customers = Number((await conn.runAndReadAll(`SELECT count(*) FROM snap_last`)).getRows()[0][0]);
  await conn.run(`DROP TABLE snap_last; DROP TABLE snap_changes;`);
  onProgress?.(1);
  return { rows, rejected, customers, holdings, acquisitions, drops };
}

/** One rejects-file line per bad source line, with every reason DuckDB gave for it. */
async function writeRejects(conn: DuckDBConnection, rejects: RejectsFile): Promise<number> {
  const r = await conn.runAndReadAll(`
    SELECT line, string_agg(error_message, '; ' ORDER BY column_idx) AS reason, any_value(csv_line) AS record
    FROM snapshot_rejects GROUP BY line ORDER BY line`);
  const rows = r.getRows();
  for (const [line, reason, record] of rows) rejects.add(Number(line), String(reason), String(record ?? ''));
  await conn.run(`DROP TABLE IF EXISTS snapshot_rejects; DROP TABLE IF EXISTS snapshot_scans;`);
  return rows.length;
}
