// openStore picks the backend from the location: .duckdb / .db paths are DuckDB; a PostgreSQL URL
// is refused in one line (issue 13 brings that backend) without creating anything or echoing a password.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';

describe('openStore', () => {
  it('refuses PostgreSQL URLs for now, without their password, and creates nothing', async () => {
    await expect(openStore('postgresql://bank:s3cret@db:5432/nb', { mode: 'write' })).rejects.toMatchObject({
      code: 'BAD_STORE',
      message: '--store postgresql://bank:***@db:5432/nb: PostgreSQL stores are not supported yet; pass a path ending in .duckdb (or .db)',
    });
    await expect(openStore('postgres://db/nb')).rejects.toThrow(/^--store postgres:\/\/db\/nb: PostgreSQL stores are not supported yet; /);
    expect(existsSync('postgresql:')).toBe(false);
    expect(existsSync('postgres:')).toBe(false);
  });

  it('refuses any other location that is not a .duckdb or .db path', async () => {
    await expect(openStore('plain', { mode: 'read' })).rejects.toMatchObject({
      code: 'BAD_STORE',
      message: '--store plain is not a .duckdb file; pass a path ending in .duckdb (or .db)',
    });
    await expect(openStore('mysql://u:pw@h/db')).rejects.toThrow('--store mysql://u:***@h/db is not a .duckdb file');
  });
});
