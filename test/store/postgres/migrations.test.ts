// The PostgreSQL store's schema migrations: several processes opening a new database at once apply each
// migration exactly once (advisory lock), a store of an earlier version gains the later migrations at
// a writer's open, and a reader refuses a database that is not a nextbest store.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { MIGRATIONS } from '../../../src/store/postgres/migrations.js';
import { openStore } from '../../../src/store/index.js';
import { databases, testPostgres } from '../../helpers/postgres.js';

const server = testPostgres('the PostgreSQL migration tests');

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe.runIf(server !== null)('PostgreSQL store migrations', () => {
  const fresh = databases(server ?? '', 'migrations');

  it('five writers opening one new database at once create it and apply each migration once', async () => {
    const url = fresh();
    const stores = await Promise.all(Array.from({ length: 5 }, () => openStore(url)));
    const applied = await query<{ version: number }>(url, 'SELECT version FROM nextbest_migrations ORDER BY version');
    expect(applied.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect((await stores[0].counts()).events).toBe(0);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('twenty writers opening each of four new databases at once all open it (the catalog races of CREATE TABLE IF NOT EXISTS are not errors)', async () => {
    for (const url of [fresh(), fresh(), fresh(), fresh()]) {
      const opened = await Promise.allSettled(Array.from({ length: 20 }, () => openStore(url)));
      const failed = opened.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      await Promise.all(opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
      expect(failed).toEqual([]);
    }
  });

  it('a store of an earlier version gains the later migrations when a writer opens it; a reader leaves it as it is', async () => {
    const url = fresh();
    await (await openStore(url)).close();
    await query(url, `DROP TABLE active_model; DELETE FROM nextbest_migrations WHERE version = 2`);
    const reader = await openStore(url, { mode: 'read' });
    await expect(reader.activeModel()).rejects.toThrow(/active_model/);
    await reader.close();
    const writer = await openStore(url);
    expect(await writer.activeModel()).toBeNull();
    await writer.setActiveModel('ease');
    await writer.close();
    expect((await query<{ n: string }>(url, 'SELECT count(*) AS n FROM nextbest_migrations'))[0].n).toBe(String(MIGRATIONS.length));
  });

  it('a reader refuses a database that is not a nextbest store', async () => {
    const url = fresh();
    const admin = new URL(url);
    const db = admin.pathname.slice(1);
    admin.pathname = '/postgres';
    await query(admin.toString(), `CREATE DATABASE ${db}`);
    await expect(openStore(url, { mode: 'read' })).rejects.toMatchObject({ code: 'BAD_STORE', message: expect.stringMatching(/is not a nextbest store/) });
  });
});
