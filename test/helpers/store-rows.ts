// Rows of a SQL query on a store file, opened read-only after the CLI has closed it: what tests read
// to check what a command really stored (or, with ':memory:', on files DuckDB reads, such as Parquet).
import { DuckDBInstance } from '@duckdb/node-api';

export async function storeRows(store: string, sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(store, store === ':memory:' ? {} : { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
