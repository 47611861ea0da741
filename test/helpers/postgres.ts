// The PostgreSQL server the tests that need one use: NEXTBEST_TEST_POSTGRES (a postgres:// URL; .ci/run
// starts a throwaway server and sets it). Absent, those tests skip with a visible SKIPPED: line, and
// fail under CI. Each test file gets databases of its own (named after the file and the process), so
// files run in parallel; they are dropped when the file ends.
import { afterAll } from 'vitest';
import { databaseUrl, dropDatabase } from '../../bench/pg-databases.js';

const URL_VAR = 'NEXTBEST_TEST_POSTGRES';

/** The server's URL, or null (after a SKIPPED: line) when the tests that need it must skip. */
export function testPostgres(what: string): string | null {
  const url = process.env[URL_VAR];
  if (url) return url;
  if (process.env.CI) throw new Error(`CI is set but ${URL_VAR} is not: .ci/run starts PostgreSQL and sets it`);
  console.warn(`SKIPPED: ${what}, as ${URL_VAR} is not set (.ci/postgres.sh start, then export ${URL_VAR}=postgres://postgres@127.0.0.1:54329/postgres)`);
  return null;
}

/** URLs of new databases (created by the first store that opens them for writing), dropped after the file's tests. */
export function databases(server: string, prefix: string): () => string {
  const made: string[] = [];
  // Each DROP DATABASE waits for a checkpoint; run together, they share them.
  afterAll(() => Promise.all(made.map((db) => dropDatabase(server, db))), 60_000);
  return () => {
    const db = `nb_${prefix}_${process.pid}_${made.length + 1}`;
    made.push(db);
    return databaseUrl(server, db);
  };
}
