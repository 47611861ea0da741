import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLE, type ErrorCode } from '../../src/core/errors.js';
import { runCli, scratchDir } from './run-cli.js';

/** A user mistake: exit code 2 (or the error table's exit code for `code`) and exactly one line on stderr, no stack trace. */
function expectOneLineError(r: { code: number; stderr: string }, pattern: RegExp, code?: ErrorCode): void {
  expect(r.code).toBe(code ? ERROR_TABLE[code].exit : 2);
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
    expectOneLineError(runCli(['stats', '--store', 'notes.txt'], dir), /neither a \.duckdb file nor a PostgreSQL URL/);
  });
});

describe('CLI exit codes come from the error table', () => {
  const dir = scratchDir();

  it('a model that is not found', () => {
    expectOneLineError(runCli(['recommend', '--model', 'nope.nbm', '--customer', 'c1'], dir), /^nextbest: no model at nope\.nbm; train one/, 'MODEL_NOT_FOUND');
    expectOneLineError(runCli(['similar', '--model', 'nope', '--product', 'p1'], dir), /no model at .*nope\.nbm; train one/, 'MODEL_NOT_FOUND');
  });

  it('a model file that is not a model', () => {
    writeFileSync(join(dir, 'broken.nbm'), 'not a model at all, just some text that is long enough');
    expectOneLineError(runCli(['recommend', '--model', 'broken.nbm', '--customer', 'c1'], dir), /broken\.nbm is not a usable nextbest model/, 'CORRUPT_MODEL');
  });

  it('a store that does not exist, and a .duckdb file that is not DuckDB', () => {
    expectOneLineError(runCli(['stats', '--store', 'none.duckdb'], dir), /the store none\.duckdb does not exist/, 'STORE_MISSING');
    writeFileSync(join(dir, 'text.duckdb'), 'hello');
    expectOneLineError(runCli(['stats', '--store', 'text.duckdb'], dir), /cannot open the store text\.duckdb: .*not a valid DuckDB database/, 'BAD_STORE');
  });
});
