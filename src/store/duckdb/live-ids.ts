// The event ids a DuckDB store's live logs have stored, for idempotent appends. One writer process
// holds a DuckDB store, so the ids it holds are known in full: read once from the store at the first
// commit (they survive restarts in the events table), then kept up to date as batches commit. Commits
// of a store's logs run one at a time through `exclusive`, so an id is checked and stored atomically.
// Memory: one string per live event with an id (~100 bytes each, ~100 MB per million).
import type { DuckDBConnection } from '@duckdb/node-api';

const noop = (): void => undefined;

export class LiveIds {
  private known: Set<string> | null = null;
  private chain: Promise<void> = Promise.resolve();

  /** Runs `work` after every earlier one has settled, with the ids the store holds. */
  exclusive<T>(conn: DuckDBConnection, work: (known: Set<string>) => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => work((this.known ??= await storedIds(conn))));
    this.chain = run.then(noop, noop);
    return run;
  }
}

async function storedIds(conn: DuckDBConnection): Promise<Set<string>> {
  const ids = new Set<string>();
  const result = await conn.stream('SELECT event_id FROM events WHERE event_id IS NOT NULL');
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return ids;
    const v = chunk.getColumnVector(0);
    for (let i = 0; i < chunk.rowCount; i++) ids.add(v.getItem(i) as string);
  }
}
