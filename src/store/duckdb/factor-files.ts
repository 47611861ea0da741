// Factor tables trained elsewhere, read with DuckDB: Parquet with one row per id and its factors as a
// list of numbers, as Spark MLlib's ALS writes userFactors and itemFactors (columns `id`, `features`;
// `factors` is accepted for the list too). Ids of any type are read as text.
import { DuckDBInstance, DuckDBListValue } from '@duckdb/node-api';
import { errorMessage, NextbestError } from '../../core/errors.js';
import { literal } from './sql.js';

export interface FactorTable {
  ids: string[];
  /** ids.length x dim, row-major. */
  factors: Float32Array;
  dim: number;
}

const FORMAT = 'a Parquet file with columns id and features (a list of numbers), as Spark ALS writes userFactors / itemFactors';

export async function readFactorTable(path: string): Promise<FactorTable> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    // DuckDB's own errors (not Parquet, a list that is not numbers, ...) become one line naming the file.
    const read = async (sql: string): Promise<unknown[][]> => {
      try {
        return (await conn.runAndReadAll(sql)).getRows();
      } catch (e) {
        throw new NextbestError('BAD_OPTION', `cannot read factors from ${path} (${errorMessage(e).split('\n')[0]}); give ${FORMAT}`);
      }
    };
    const columns = (await read(`DESCRIBE SELECT * FROM read_parquet(${literal(path)})`)).map((r) => String(r[0]));
    const list = columns.includes('features') ? 'features' : columns.includes('factors') ? 'factors' : null;
    if (!columns.includes('id') || !list) throw new NextbestError('BAD_OPTION', `${path} has columns ${columns.join(', ')}; give ${FORMAT}`);
    const rows = await read(`SELECT CAST(id AS VARCHAR), CAST("${list}" AS DOUBLE[]) FROM read_parquet(${literal(path)}) ORDER BY 1`);
    if (rows.length === 0) throw new NextbestError('BAD_OPTION', `${path} holds no factors; give ${FORMAT}`);
    const first = rows[0][1];
    const dim = first instanceof DuckDBListValue ? first.items.length : 0;
    if (dim === 0) throw new NextbestError('BAD_OPTION', `${path}: the factors of id ${String(rows[0][0])} are empty; give ${FORMAT}`);
    const factors = new Float32Array(rows.length * dim);
    const ids: string[] = [];
    const seen = new Set<string>();
    rows.forEach(([id, value], r) => {
      const name = String(id);
      if (id === null || seen.has(name)) throw new NextbestError('BAD_OPTION', `${path}: id ${String(id)} is ${id === null ? 'missing' : 'given twice'}; each row needs its own id`);
      seen.add(name);
      const items = value instanceof DuckDBListValue ? value.items : [];
      if (items.length !== dim) throw new NextbestError('BAD_OPTION', `${path}: id ${name} has ${items.length} factors, the first row ${dim}; every row needs the same number`);
      items.forEach((x, j) => {
        const v = Number(x);
        if (!Number.isFinite(v)) throw new NextbestError('BAD_OPTION', `${path}: id ${name} has a factor that is not a finite number; fix or drop the row`);
        factors[r * dim + j] = v;
      });
      ids.push(name);
    });
    return { ids, factors, dim };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
