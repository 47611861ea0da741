// Reading the reports folder back: newest first with ties by name, files that are not JSON passed over,
// and no number that is not finite (JSON.parse reads 1e999 as Infinity; the routes' schemas refuse it).
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readReports } from '../../src/app/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'nextbest-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readReports', () => {
  it('reads the JSON files newest first, passes over one that is not JSON, and reads an overflowing number as null', () => {
    const write = (file: string, text: string, seconds: number) => {
      writeFileSync(join(dir, file), text);
      utimesSync(join(dir, file), seconds, seconds);
    };
    write('old.json', '{"k": 10}', 1_000);
    write('b.json', '{"metrics": {"ndcg@10": 1e999, "hr@10": 0.5}}', 2_000);
    write('a.json', '{"metrics": {"ndcg@10": -1e999}}', 2_000);
    write('broken.json', '{"k": ', 3_000);
    write('notes.md', '# not a report', 4_000);
    const read = [...readReports(dir)];
    expect(read.map((r) => r.file)).toEqual(['b.json', 'a.json', 'old.json']);
    expect(read.map((r) => r.report)).toEqual([{ metrics: { 'ndcg@10': null, 'hr@10': 0.5 } }, { metrics: { 'ndcg@10': null } }, { k: 10 }]);
    expect(read[2].mtime.getTime()).toBe(1_000_000);
  });

  it('reads nothing without the folder', () => {
    expect([...readReports(join(dir, 'missing'))]).toEqual([]);
  });
});
