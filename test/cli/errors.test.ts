import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './run-cli.js';

/** A user mistake: exit code 2 and exactly one line on stderr, no stack trace. */
function expectOneLineError(r: { code: number; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nextbest: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('CLI user errors', () => {
  const dir = scratchDir();

  it('missing file', () => {
    expectOneLineError(runCli(['ingest', '--format', 'events', 'nope.csv'], dir), /nope\.csv does not exist/);
  });

  it('unknown format', () => {
    writeFileSync(join(dir, 'a.csv'), 'x,y\n1,2\n');
    expectOneLineError(runCli(['ingest', '--format', 'parquet', 'a.csv'], dir), /unknown format "parquet"; use one of/);
  });

  it('undetectable format', () => {
    expectOneLineError(runCli(['ingest', 'a.csv'], dir), /cannot tell the format of a\.csv; pass --format/);
  });

  it('wrong columns', () => {
    writeFileSync(join(dir, 'u.data'), '196\t242\t3\t881250949\n');
    expectOneLineError(runCli(['ingest', '--format', 'events', 'u.data'], dir), /is not an event CSV: missing columns/);
  });

  it('unknown option and bad number', () => {
    expectOneLineError(runCli(['ingest', '--bogus', 'a.csv'], dir), /unknown option '--bogus'/);
    expectOneLineError(runCli(['generate', '--customers', 'lots'], dir), /--customers must be a whole number/);
  });

  it('a store file that is not DuckDB', () => {
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expectOneLineError(runCli(['stats', '--store', 'notes.txt'], dir), /not a \.duckdb file/);
  });
});
