// Table files written by DuckDB: a CSV file turned into Parquet with typed columns.
import { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnType } from '../table-file.js';
import { literal } from './sql.js';

const DUCKDB_TYPE: Record<ColumnType, string> = { text: 'VARCHAR', integer: 'INTEGER', float: 'FLOAT', double: 'DOUBLE', timestamp: 'TIMESTAMP' };

export async function csvToParquet(csvPath: string, parquetPath: string, columns: Record<string, ColumnType>): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const types = Object.entries(columns).map(([name, type]) => `${literal(name)}: ${literal(DUCKDB_TYPE[type])}`);
    await conn.run(
      `COPY (SELECT * FROM read_csv(${literal(csvPath)}, header = true, columns = {${types.join(', ')}}))
       TO ${literal(parquetPath)} (FORMAT parquet)`,
    );
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
