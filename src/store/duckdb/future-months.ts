// Snapshot months after the load time (src/data/load-time.ts) are rejected rows. DuckDB's CSV reader
// gives no line numbers for rows it accepts, so when (and only when) such months were staged, the file
// is read again (snapshot-lines.ts) to name their lines; then they leave the staging table.
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterLoadTime, latestEventTime } from '../../data/load-time.js';
import type { RejectsFile } from '../../data/rejects.js';
import type { SnapshotSpec } from '../../data/sink.js';
import { snapshotLines } from './snapshot-lines.js';

/**
 * Moves the staged snapshot rows dated after the load time to the rejects file and returns how many.
 * Runs before the reader's own rejects (table snapshot_rejects) are written, to skip the lines they hold.
 */
export async function rejectFutureMonths(conn: DuckDBConnection, spec: SnapshotSpec, rejects: RejectsFile): Promise<number> {
  const latest = latestEventTime();
  const late = `epoch(month) * 1000 > ${latest}`;
  const staged = Number((await conn.runAndReadAll(`SELECT count(*) FROM stage_snapshots WHERE ${late}`)).getRows()[0][0]);
  if (staged === 0) return 0;
  let found = 0;
  for await (const row of snapshotLines(conn, spec)) {
    const reason = row.monthMs === null ? null : afterLoadTime(`${spec.monthColumn} ${JSON.stringify(row.monthText.trim())}`, row.monthMs, latest);
    if (reason) {
      rejects.add(row.line, reason, row.raw);
      found++;
    }
  }
  await conn.run(`DELETE FROM stage_snapshots WHERE ${late}`);
  return found;
}
