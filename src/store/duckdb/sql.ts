// Quoting for generated SQL: identifiers always double-quoted, literals single-quoted.
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;
