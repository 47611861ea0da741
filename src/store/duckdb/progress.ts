// Runs a long SQL statement while polling DuckDB's query progress, so the CLI can draw a bar.
import type { DuckDBConnection } from '@duckdb/node-api';

export async function runWithProgress(
  conn: DuckDBConnection,
  sql: string,
  onProgress: ((fraction: number) => void) | undefined,
  span: [number, number] = [0, 1],
): Promise<number> {
  const [from, to] = span;
  const timer = onProgress
    ? setInterval(() => {
        const p = conn.progress.percentage;
        if (p >= 0) onProgress(from + ((to - from) * Math.min(p, 100)) / 100);
      }, 200)
    : undefined;
  try {
    const r = await conn.run(sql);
    return Number(r.rowsChanged);
  } finally {
    if (timer) clearInterval(timer);
    onProgress?.(to);
  }
}
