// Snapshot months after the load time (src/data/load-time.ts) are rejected rows. DuckDB's CSV reader
// gives no line numbers for rows it accepts, so when (and only when) such months were staged, the file
// is read again here to name their lines; then they leave the staging table.
import type { DuckDBConnection } from '@duckdb/node-api';
import { readDelimited } from '../data/delimited.js';
import { afterLoadTime, latestEventTime } from '../data/load-time.js';
import type { RejectsFile } from '../data/rejects.js';
import type { SnapshotSpec } from '../data/sink.js';
import { literal } from './sql.js';

/**
 * Moves the staged snapshot rows dated after the load time to the rejects file and returns how many.
 * Runs before the reader's own rejects (table snapshot_rejects) are written, to skip the lines they hold.
 */
export async function rejectFutureMonths(conn: DuckDBConnection, spec: SnapshotSpec, rejects: RejectsFile): Promise<number> {
  const latest = latestEventTime();
  const late = `epoch(month) * 1000 > ${latest}`;
  const staged = Number((await conn.runAndReadAll(`SELECT count(*) FROM stage_snapshots WHERE ${late}`)).getRows()[0][0]);
  if (staged === 0) return 0;
  const rejectedLines = new Set(
    (await conn.runAndReadAll(`SELECT DISTINCT line FROM snapshot_rejects`)).getRows().map(([line]) => Number(line)),
  );
  // Month texts are few (one per month in the file): each is read as a date once, by DuckDB's own cast.
  const monthMs = new Map<string, number | null>();
  const timeOf = async (text: string): Promise<number | null> => {
    if (!monthMs.has(text)) {
      const r = await conn.runAndReadAll(`SELECT epoch(TRY_CAST(${literal(text)} AS DATE)) * 1000`);
      const ms = r.getRows()[0][0];
      monthMs.set(text, ms === null ? null : Number(ms));
    }
    return monthMs.get(text) as number | null;
  };
  let monthAt = -1;
  let found = 0;
  for await (const batch of readDelimited(spec.path, { delimiter: spec.delimiter })) {
    for (const rec of batch) {
      if (rec.line === 1) {
        monthAt = rec.fields.findIndex((c) => c.trim() === spec.monthColumn);
        continue;
      }
      const text = rec.fields[monthAt];
      if (text === undefined || rejectedLines.has(rec.line)) continue;
      const time = await timeOf(text);
      const reason = time === null ? null : afterLoadTime(`${spec.monthColumn} ${JSON.stringify(text.trim())}`, time, latest);
      if (reason) {
        rejects.add(rec.line, reason, rec.raw);
        found++;
      }
    }
  }
  await conn.run(`DELETE FROM stage_snapshots WHERE ${late}`);
  return found;
}
