// The store contract (store-contract.ts) run against the embedded DuckDB backend, through openStore.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { storeContract } from './store-contract.js';

const tmp = mkdtempSync(join(tmpdir(), 'nextbest-duckdb-contract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let stores = 0;

storeContract('DuckDB', () => {
  const path = join(tmp, `s${++stores}.duckdb`);
  return (opts) => openStore(path, opts);
});
