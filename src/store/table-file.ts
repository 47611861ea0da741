// Writing table files (Parquet) for commands that export, without a store open: the store module
// owns the one engine that writes them (DuckDB, in duckdb/table-writer.ts).
export type ColumnType = 'text' | 'integer' | 'float' | 'double';

/** Writes a CSV file with a header row as a Parquet file, the columns typed as given (in file order). */
export { csvToParquet } from './duckdb/table-writer.js';
