// Reading and writing table files (Parquet) without a store open: the store module owns the one engine
// that handles them (DuckDB, in duckdb/table-writer.ts and duckdb/factor-files.ts).
export type ColumnType = 'text' | 'integer' | 'float' | 'double' | 'timestamp';

/** Writes a CSV file with a header row as a Parquet file, the columns typed as given (in file order). */
export { csvToParquet } from './duckdb/table-writer.js';

/** Factors trained elsewhere (Parquet id, features[] as Spark ALS writes them). */
export { readFactorTable, type FactorTable } from './duckdb/factor-files.js';
