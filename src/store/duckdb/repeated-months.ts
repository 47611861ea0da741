// A customer has one snapshot per month: when a file gives a (customer, month) twice, which row holds
// the customer's products that month is unknowable, so every row of that pair is rejected, naming the
// others' lines, and leaves the staging table. Checked in SQL; the file is read again for line
// numbers only when there are such pairs.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RejectsFile } from '../../data/rejects.js';
import type { SnapshotSpec } from '../../data/sink.js';
import { snapshotLines } from './snapshot-lines.js';

/** Rejects every row of a repeated (customer, month) and returns how many. Runs before the reader's rejects are written. */
export async function rejectRepeatedMonths(conn: DuckDBConnection, spec: SnapshotSpec, rejects: RejectsFile): Promise<number> {
  const repeated = await conn.runAndReadAll(
    `SELECT CAST(customer AS VARCHAR), epoch(month) * 1000 FROM stage_snapshots GROUP BY customer, month HAVING count(*) > 1`,
  );
  const keys = new Set(repeated.getRows().map(([customer, ms]) => `${String(customer)}@${Number(ms)}`));
  if (keys.size === 0) return 0;
  const lines = new Map<string, { line: number; raw: string; monthText: string }[]>();
  for await (const row of snapshotLines(conn, spec)) {
    const key = `${row.customer}@${row.monthMs}`;
    if (!keys.has(key)) continue;
    const at = lines.get(key) ?? [];
    at.push(row);
    lines.set(key, at);
  }
  let found = 0;
  for (const [key, rows] of lines) {
    const customer = key.slice(0, key.indexOf('@'));
    for (const row of rows) {
      const others = rows.filter((r) => r !== row).map((r) => r.line).join(', ');
      rejects.add(row.line, `customer ${customer} has another row for ${spec.monthColumn} ${row.monthText.trim()} (line ${others}); give each customer one row per month`, row.raw);
      found++;
    }
  }
  await conn.run(`DELETE FROM stage_snapshots WHERE (customer, month) IN (SELECT customer, month FROM stage_snapshots GROUP BY ALL HAVING count(*) > 1)`);
  return found;
}
