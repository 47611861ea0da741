// Streaming reader for delimited text (CSV, TSV, '|', ';'): quoted fields with embedded delimiters,
// doubled quotes and newlines, CRLF endings, latin-1 or UTF-8. Yields records in batches with the
// 1-based file line where each record starts, so rejects can name their line.
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export interface DelimitedRecord {
  /** 1-based line number in the file where the record starts. */
  line: number;
  fields: string[];
  /** The record's text as read (without the line ending), for rejects files. */
  raw: string;
}

export interface DelimitedOptions {
  delimiter: string;
  encoding?: 'utf8' | 'latin1';
  /** Quote character; pass '' for formats without quoting (MovieLens). */
  quote?: string;
  /** Called after each chunk with bytes consumed so far. */
  onBytes?: (bytes: number) => void;
  chunkBytes?: number;
}

const countChar = (s: string, c: string): number => {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
};

/** Splits one record into fields. Fast path when the record holds no quote character. */
export function splitRecord(text: string, delimiter: string, quote = '"'): string[] {
  const parts = text.split(delimiter);
  if (!quote || text.indexOf(quote) < 0) return parts;
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    let f = parts[i];
    if (f.startsWith(quote)) {
      // A quoted field ends at a part whose quote count closes it; the delimiters inside were split away.
      while (countChar(f, quote) % 2 === 1 && i + 1 < parts.length) f += delimiter + parts[++i];
      const end = f.lastIndexOf(quote);
      f = f.slice(1, end > 0 ? end : f.length).replaceAll(quote + quote, quote);
    }
    out.push(f);
  }
  return out;
}

export async function* readDelimited(path: string, opts: DelimitedOptions): AsyncGenerator<DelimitedRecord[]> {
  const quote = opts.quote ?? '"';
  const file = await open(path, 'r');
  const buf = Buffer.allocUnsafe(opts.chunkBytes ?? 1 << 22);
  // StringDecoder holds back a multi-byte character split across two chunks.
  const decoder = new StringDecoder(opts.encoding ?? 'utf8');
  let carry = '';
  let line = 1;
  let bytes = 0;
  let pending: { start: number; text: string } | null = null;
  try {
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, null);
      const last = bytesRead === 0;
      bytes += bytesRead;
      const text = carry + (last ? decoder.end() : decoder.write(buf.subarray(0, bytesRead)));
      const lines = text.split('\n');
      carry = last ? '' : (lines.pop() as string);
      const batch: DelimitedRecord[] = [];
      for (let l of lines) {
        if (l.endsWith('\r')) l = l.slice(0, -1);
        if (pending) pending.text += '\n' + l;
        else pending = { start: line, text: l };
        line++;
        if (quote && countChar(pending.text, quote) % 2 === 1) continue; // a quoted newline: the record goes on
        const rec = pending;
        pending = null;
        if (rec.text.length === 0) continue;
        batch.push({ line: rec.start, fields: splitRecord(rec.text, opts.delimiter, quote), raw: rec.text });
      }
      if (last && pending && pending.text.length > 0) {
        batch.push({ line: pending.start, fields: splitRecord(pending.text, opts.delimiter, quote), raw: pending.text });
      }
      if (batch.length) yield batch;
      opts.onBytes?.(bytes);
      if (last) break;
    }
  } finally {
    await file.close();
  }
}

/** The first line of a file (the header), without reading the rest. */
export async function readFirstLine(path: string, encoding: 'utf8' | 'latin1' = 'utf8'): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(buf, 0, buf.length, 0);
    const text = buf.toString(encoding, 0, bytesRead);
    const nl = text.indexOf('\n');
    return (nl >= 0 ? text.slice(0, nl) : text).replace(/\r$/, '');
  } finally {
    await file.close();
  }
}
