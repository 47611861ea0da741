// Writes factor tables as Spark MLlib's ALS does (Parquet: id, features as a list of floats), for the
// tests of factors trained elsewhere. Written through DuckDB from a CSV of the rows.
import { writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

export async function writeFactorParquet(path: string, ids: readonly (string | number)[], factors: Float32Array, dim: number): Promise<void> {
  const csv = `${path}.csv`;
  const lines = ids.map((id, r) => `${id}\t[${Array.from(factors.subarray(r * dim, (r + 1) * dim)).join(', ')}]`);
  writeFileSync(csv, `id\tfeatures\n${lines.join('\n')}\n`);
  const numeric = ids.every((id) => typeof id === 'number');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(
      `COPY (SELECT CAST(id AS ${numeric ? 'INTEGER' : 'VARCHAR'}) AS id, CAST(features AS FLOAT[]) AS features
             FROM read_csv('${csv}', delim = '\t', header = true, columns = {'id': 'VARCHAR', 'features': 'VARCHAR'}))
       TO '${path}' (FORMAT parquet)`,
    );
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
