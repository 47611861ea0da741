// A PostgreSQL load whose COMMIT went through but whose closing count fails: the rows stay loaded and
// the error is a failed read ("did not answer"), never "nothing was stored", and no ROLLBACK follows the COMMIT.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { getLoader } from '../../../src/data/formats/index.js';
import { openStore } from '../../../src/store/index.js';
import { databases, testPostgres } from '../../helpers/postgres.js';

const server = testPostgres('the PostgreSQL ingest tests');

describe.runIf(server !== null)('PostgreSQL ingest', () => {
  const fresh = databases(server ?? '', 'ingest');

  it('a count failing after the COMMIT is STORE_UNAVAILABLE for a read, outside the transaction; the load stays committed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-pg-ingest-'));
    const customers = join(dir, 'customers.csv');
    writeFileSync(customers, 'customer_id,age\nC1,30\nC2,40\n');
    const url = fresh();
    const store = await openStore(url);
    const pool = (store as unknown as { pool: pg.Pool }).pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    vi.spyOn(pool, 'query').mockImplementation(((...args: unknown[]) =>
      typeof args[0] === 'string' && args[0].includes('count(*) FROM customers')
        ? Promise.reject(new Error('Connection terminated unexpectedly'))
        : query(...args)) as typeof pool.query);
    // The load's own connection: what it sends after the COMMIT.
    const sent: string[] = [];
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    vi.spyOn(pool, 'connect').mockImplementation((async () => {
      const client = await connect();
      const clientQuery = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      vi.spyOn(client, 'query').mockImplementation(((...args: unknown[]) => {
        if (typeof args[0] === 'string') sent.push(args[0]);
        return clientQuery(...args);
      }) as typeof client.query);
      return client;
    }) as typeof pool.connect);
    await expect(store.ingest(getLoader('customers'), customers, { rejectsPath: join(dir, 'rejects.csv') })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/ did not answer \(Connection terminated unexpectedly\); retry when PostgreSQL is back$/),
    });
    vi.restoreAllMocks();
    expect(sent.slice(sent.indexOf('COMMIT'))).toEqual(['COMMIT']);
    expect((await store.counts()).customers).toBe(2);
    await store.close();
  });
});
