// Test helper: reads the generator's CSV output (RFC 4180 quoting, LF endings, no line breaks inside fields).
import { readFileSync } from 'node:fs';

export const parseCsvLine = (line: string): string[] => {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quote in: ${line}`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
    } else {
      const c = line.indexOf(',', i);
      fields.push(line.slice(i, c < 0 ? line.length : c));
      i = c < 0 ? line.length : c;
    }
    if (i >= line.length) return fields;
    if (line[i] !== ',') throw new Error(`expected a comma at ${i} in: ${line}`);
    i++;
    if (i === line.length) {
      fields.push('');
      return fields;
    }
  }
};

export interface Table {
  header: string;
  columns: string[];
  rows: string[][];
}

/** Whole file as header line, column names and parsed rows; fails on CRLF or a missing final newline. */
export const readCsv = (path: string): Table => {
  const text = readFileSync(path, 'latin1');
  if (text.includes('\r')) throw new Error(`${path} has CR characters`);
  if (!text.endsWith('\n')) throw new Error(`${path} does not end with a newline`);
  const lines = text.slice(0, -1).split('\n');
  return { header: lines[0], columns: parseCsvLine(lines[0]), rows: lines.slice(1).map(parseCsvLine) };
};

/** Rows as objects keyed by column name. */
export const records = (t: Table): Record<string, string>[] =>
  t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
