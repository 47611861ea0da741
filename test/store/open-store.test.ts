// openStore picks the backend from the location: .duckdb / .db paths are DuckDB, postgres:// URLs
// PostgreSQL; anything else is refused in one line without creating anything or echoing a password.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';

describe('openStore', () => {
  it('takes a PostgreSQL URL; an unreachable server is STORE_UNAVAILABLE, without the password, and creates nothing', async () => {
    await expect(openStore('postgresql://bank:s3cret@127.0.0.1:1/nb', { mode: 'write' })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/^the store postgresql:\/\/bank:\*\*\*@127\.0\.0\.1:1\/nb is unreachable \(.*\); nothing was stored, retry when PostgreSQL is back$/),
    });
    await expect(openStore('postgres://bank:s3cret@[bad/nb')).rejects.toMatchObject({ code: 'BAD_STORE', message: expect.not.stringMatching(/s3cret/) });
    expect(existsSync('postgresql:')).toBe(false);
    expect(existsSync('postgres:')).toBe(false);
  });

  it('refuses any other location that is not a .duckdb or .db path', async () => {
    await expect(openStore('plain', { mode: 'read' })).rejects.toMatchObject({
      code: 'BAD_STORE',
      message: '--store plain is neither a .duckdb file nor a PostgreSQL URL; pass a path ending in .duckdb (or .db) or postgres://USER@HOST:PORT/DATABASE',
    });
    await expect(openStore('mysql://u:pw@h/db')).rejects.toThrow('--store mysql://u:***@h/db is neither a .duckdb file');
  });
});
