// Header checks shared by the CSV formats: which delimiter, and which required columns are missing.
import { NextbestError } from '../../core/errors.js';
import { readFirstLine, splitRecord } from '../delimited.js';

/** The delimiter of a header line: the most frequent of , ; tab and |. */
export function sniffDelimiter(header: string): string {
  let best = ',';
  let most = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = header.split(d).length - 1;
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}

export interface Header {
  delimiter: string;
  columns: string[];
  /** Position of each column name. */
  at: Map<string, number>;
}

export async function readHeader(path: string, what: string): Promise<Header> {
  const line = await readFirstLine(path);
  if (line.includes('\u0000')) {
    throw new NextbestError('WRONG_FORMAT', `${path} is a binary file, not ${what}; check --format`);
  }
  const delimiter = sniffDelimiter(line);
  const columns = splitRecord(line, delimiter).map((c) => c.trim().replace(/^\uFEFF/, ''));
  return { delimiter, columns, at: new Map(columns.map((c, i) => [c, i])) };
}

export function requireColumns(path: string, header: Header, required: readonly string[], what: string, hint: string): void {
  const missing = required.filter((c) => !header.at.has(c));
  if (missing.length) {
    const found = header.columns.slice(0, 12).join(',') + (header.columns.length > 12 ? ',...' : '');
    throw new NextbestError(
      'WRONG_COLUMNS',
      `${path} is not ${what}: missing column${missing.length > 1 ? 's' : ''} ${list(missing)} (found: ${found}); ${hint}`,
    );
  }
}

const list = (names: string[]): string =>
  names.length <= 5 ? names.join(', ') : `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`;
