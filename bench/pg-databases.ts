// Throwaway databases on a PostgreSQL server, for the benches and the tests that need one (no vitest
// here, so both can import it): the URL of a database by name, dropping one, and running work on a
// database that is dropped afterwards, whatever the work's outcome.
import pg from 'pg';

/** The URL of database `name` on the server (created by the first store that opens it for writing). */
export function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops database `name` (if it exists), closing its connections. */
export async function dropDatabase(server: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Runs `use` on the URL of database `name`, then drops the database, also when `use` fails. */
export async function withDatabase<T>(server: string, name: string, use: (url: string) => T | Promise<T>): Promise<T> {
  try {
    return await use(databaseUrl(server, name));
  } finally {
    await dropDatabase(server, name);
  }
}
