// Store statistics when events name customers the customers table does not hold (live events).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getLoader } from '../../src/data/formats/index.js';
import { LiveEventLog } from '../../src/store/live-log.js';
import { Store } from '../../src/store/store.js';

describe('store stats', () => {
  it('counts cold-start customers among those on file, whoever else has events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-stats-'));
    writeFileSync(join(dir, 'customers.csv'), 'customer_id,age\nA,30\nB,40\nC,50\n');
    const store = await Store.open(join(dir, 'store.duckdb'));
    try {
      await store.ingest(getLoader('customers'), join(dir, 'customers.csv'), { rejectsPath: join(dir, 'rejects.csv') });
      const log = new LiveEventLog(store);
      await log.appendMany(
        ['A', 'X', 'Y', 'Z'].map((customerId, i) => ({ customerId, productId: 'P1', timestamp: new Date(Date.UTC(2024, 0, 1, i)), type: 'click' as const, value: 1, context: {} })),
      );
      await log.close();
      const s = await store.stats();
      expect(s).toMatchObject({ customers: 3, customersWithEvents: 4, coldCustomers: 2 });
    } finally {
      store.close();
    }
  });
});
