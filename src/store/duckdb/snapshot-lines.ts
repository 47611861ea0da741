// A second read of a snapshot file, for the rare checks that need line numbers of rows DuckDB's CSV
// reader accepted (it gives lines only for the rows it rejects): each row with its month as read by
// DuckDB's own date cast, skipping the lines the reader already rejected.
import type { DuckDBConnection } from '@duckdb/node-api';
import { readDelimited } from '../../data/delimited.js';
import type { SnapshotSpec } from '../../data/sink.js';
import { literal } from './sql.js';

export interface SnapshotLine {
  line: number;
  raw: string;
  customer: string;
  monthText: string;
  /** The month as epoch milliseconds, null when DuckDB cannot read it as a date. */
  monthMs: number | null;
}

/** Every data row the reader accepted (table snapshot_rejects must still hold its rejects). */
export async function* snapshotLines(conn: DuckDBConnection, spec: SnapshotSpec): AsyncGenerator<SnapshotLine> {
  const rejected = new Set((await conn.runAndReadAll(`SELECT DISTINCT line FROM snapshot_rejects`)).getRows().map(([line]) => Number(line)));
  // Month texts are few (one per month in the file): each is cast once.
  const monthMs = new Map<string, number | null>();
  let monthAt = -1;
  let customerAt = -1;
  for await (const batch of readDelimited(spec.path, { delimiter: spec.delimiter })) {
    for (const rec of batch) {
      if (rec.line === 1) {
        monthAt = rec.fields.findIndex((c) => c.trim() === spec.monthColumn);
        customerAt = rec.fields.findIndex((c) => c.trim() === spec.customerColumn);
        continue;
      }
      const monthText = rec.fields[monthAt];
      if (monthText === undefined || rejected.has(rec.line)) continue;
      if (!monthMs.has(monthText)) {
        const ms = (await conn.runAndReadAll(`SELECT epoch(TRY_CAST(${literal(monthText)} AS DATE)) * 1000`)).getRows()[0][0];
        monthMs.set(monthText, ms === null ? null : Number(ms));
      }
      const customer = String(Number((rec.fields[customerAt] ?? '').trim()));
      yield { line: rec.line, raw: rec.raw, customer, monthText, monthMs: monthMs.get(monthText) as number | null };
    }
  }
}
