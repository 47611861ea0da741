import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDelimited, splitRecord } from '../../src/data/delimited.js';

const tmp = mkdtempSync(join(tmpdir(), 'nextbest-delim-'));

async function readAll(text: string | Buffer, opts: Parameters<typeof readDelimited>[1]) {
  const path = join(tmp, `f${Math.random()}.csv`);
  writeFileSync(path, text);
  const out = [];
  for await (const batch of readDelimited(path, opts)) out.push(...batch);
  return out;
}

describe('splitRecord', () => {
  it('splits plain and quoted fields', () => {
    expect(splitRecord('a,b,,c', ',')).toEqual(['a', 'b', '', 'c']);
    expect(splitRecord('1,"MALAGA",x', ',')).toEqual(['1', 'MALAGA', 'x']);
    expect(splitRecord('1,"CORUÑA, A","say ""hi"""', ',')).toEqual(['1', 'CORUÑA, A', 'say "hi"']);
    expect(splitRecord('"age";"job"', ';')).toEqual(['age', 'job']);
  });
});

describe('readDelimited', () => {
  it('gives each record the line it starts on, across quoted newlines and CRLF', async () => {
    const recs = await readAll('h1,h2\r\n1,"two\r\nlines"\r\n\r\n3,x\r\n4,y', { delimiter: ',' });
    expect(recs.map((r) => r.line)).toEqual([1, 2, 5, 6]);
    expect(recs[1].fields).toEqual(['1', 'two\nlines']);
    expect(recs[3].fields).toEqual(['4', 'y']);
  });

  it('decodes latin-1 and keeps UTF-8 characters split across chunks', async () => {
    const latin = await readAll(Buffer.from([0x31, 0x7c, 0xe9, 0x0a]), { delimiter: '|', encoding: 'latin1' });
    expect(latin[0].fields).toEqual(['1', 'é']);
    const text = 'ñ'.repeat(5000) + ',x\n' + 'y,ü\n';
    const utf = await readAll(text, { delimiter: ',', chunkBytes: 1001 });
    expect(utf[0].fields[0]).toBe('ñ'.repeat(5000));
    expect(utf[1].fields).toEqual(['y', 'ü']);
  });

  it('streams many chunks with the right line numbers', async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `${i},v${i}`).join('\n');
    const recs = await readAll(lines, { delimiter: ',', chunkBytes: 4096 });
    expect(recs.length).toBe(20000);
    expect(recs[12345]).toMatchObject({ line: 12346, fields: ['12345', 'v12345'] });
  });
});
