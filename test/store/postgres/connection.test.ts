// PostgreSQL's refusals as nextbest errors: a login or right the server refuses (28xxx, 42501) is
// BAD_STORE in one line naming what to check, an unreachable server STORE_UNAVAILABLE worded for a write
// or a read; on a real server, a role that does not exist and a role without CREATEDB.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { NextbestError } from '../../../src/core/errors.js';
import { storeError } from '../../../src/store/postgres/connection.js';
import { openStore } from '../../../src/store/index.js';
import { databases, testPostgres } from '../../helpers/postgres.js';

const pgError = (code: string, message: string): Error => Object.assign(new Error(message), { code });
const AT = 'postgres://bank:***@db:5432/nb';

describe('storeError', () => {
  it.each([
    ['28P01', 'password authentication failed for user "bank"'],
    ['28000', 'no pg_hba.conf entry for host "10.0.0.7", user "bank", database "nb"'],
    ['42501', 'permission denied to create database'],
  ])('SQLSTATE %s is BAD_STORE, one line saying to check --store', (code, message) => {
    const e = storeError(AT, pgError(code, message));
    expect(e).toBeInstanceOf(NextbestError);
    expect(e).toMatchObject({
      code: 'BAD_STORE',
      message: `PostgreSQL refuses the store ${AT} (${message}); check the user, password and rights in --store`,
    });
  });

  it('an unreachable server: nothing was stored for a write, did not answer for a read; other failures stay as they are', () => {
    const down = pgError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.7:5432');
    expect(storeError(AT, down).message).toBe(`the store ${AT} is unreachable (connect ECONNREFUSED 10.0.0.7:5432); nothing was stored, retry when PostgreSQL is back`);
    expect(storeError(AT, down, 'read').message).toBe(`the store ${AT} did not answer (connect ECONNREFUSED 10.0.0.7:5432); retry when PostgreSQL is back`);
    const other = pgError('42P01', 'relation "x" does not exist');
    expect(storeError(AT, other)).toBe(other);
  });
});

const server = testPostgres('the PostgreSQL login refusal tests');

describe.runIf(server !== null)('a PostgreSQL server that refuses the user', () => {
  const fresh = databases(server ?? '', 'connection');
  const role = `nb_no_createdb_${process.pid}`;
  const admin = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: server ?? '' });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  afterAll(() => admin(`DROP ROLE IF EXISTS ${role}`));

  const as = (user: string, url: string): string => {
    const u = new URL(url);
    u.username = user;
    return u.toString();
  };

  it('a role that does not exist, and a role without CREATEDB naming a new database, are BAD_STORE', async () => {
    const url = fresh();
    await expect(openStore(as('nb_nobody', url))).rejects.toMatchObject({
      code: 'BAD_STORE',
      message: expect.stringMatching(/^PostgreSQL refuses the store postgres:\/\/nb_nobody@[^ ]+ \(role "nb_nobody" does not exist\); check the user, password and rights in --store$/),
    });
    await admin(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
    await expect(openStore(as(role, url))).rejects.toMatchObject({
      code: 'BAD_STORE',
      message: expect.stringMatching(/\(permission denied to create database\); check the user, password and rights in --store$/),
    });
  });
});
