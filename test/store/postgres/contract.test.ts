// The store contract (store-contract.ts) run against the PostgreSQL backend, through openStore, each
// store a database of its own on the test server (NEXTBEST_TEST_POSTGRES).
import { describe, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { databases, testPostgres } from '../../helpers/postgres.js';
import { storeContract } from '../store-contract.js';

const server = testPostgres('the store contract on PostgreSQL');
if (server) {
  const fresh = databases(server, 'contract');
  storeContract('PostgreSQL', () => {
    const url = fresh();
    return (opts) => openStore(url, opts);
  });
} else {
  describe.skip('the store contract: PostgreSQL', () => it('needs NEXTBEST_TEST_POSTGRES', () => undefined));
}
