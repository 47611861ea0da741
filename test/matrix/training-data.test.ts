import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getLoader } from '../../src/data/formats/index.js';
import { buildContextFeatures, buildInteractions, buildSequences, loadEventLog, loadSideFeatures } from '../../src/matrix/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { sharedData } from '../helpers/shared-data.js';

let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

describe('training views from the store', () => {
  it('indexes cold-start customers, weights event types, orders sequences and keeps context', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-views-'));
    writeFileSync(join(dir, 'customers.csv'), 'customer_id,age,segment\nA,30,MASS\nB,61,AFFLUENT\nCOLD,45,NA\n');
    writeFileSync(
      join(dir, 'events.csv'),
      [
        'Idcol,interaction,int_date,item,page,tod',
        'A,DISPLAY,2016-01-01 10:00:00,P1,home,morning',
        'A,CLICK,2016-01-01 10:00:05,P1,home,morning',
        'A,CHECKOUT,2016-01-01 10:01:00,P1,home,morning',
        'B,DISPLAY,2016-01-02 20:00:00,P2,offers,evening',
        'A,DISPLAY,2016-01-03 20:00:00,P2,offers,evening',
      ].join('\n'),
    );
    store = await openStore(join(dir, 'store.duckdb'));
    await store.ingest(getLoader('bundle'), dir);
    const log = await loadEventLog(store);
    expect(log.length).toBe(5);
    expect(log.customers.ids()).toEqual(['A', 'B', 'COLD']);
    const { userItem } = buildInteractions(log, { weights: { display: 0.1, click: 1, checkout: 3 } });
    const a = log.customers.index('A');
    expect(userItem.get(a, log.products.index('P1'))).toBeCloseTo(4.1, 5);
    expect(userItem.get(a, log.products.index('P2'))).toBeCloseTo(0.1, 5);
    expect(userItem.row(log.customers.index('COLD')).indices.length).toBe(0);
    const seq = buildSequences(log);
    const aSeq = Array.from(seq.products.subarray(seq.offsets[a], seq.offsets[a + 1])).map((p) => log.products.id(p));
    expect(aSeq).toEqual(['P1', 'P1', 'P1', 'P2']);
    const ctx = buildContextFeatures(log);
    expect(ctx.rows).toBe(5);
    expect(log.contexts.has('tod=evening') && log.contexts.has('page=offers')).toBe(true);
    const cf = await loadSideFeatures(store, 'customer', log.customers);
    expect(cf.features.has('segment=MASS')).toBe(true);
    expect(cf.matrix.get(log.customers.index('B'), cf.features.index('age'))).toBeCloseTo(1, 5);
    // The cold customer's missing segment gives no feature, its age still does.
    expect(cf.matrix.row(log.customers.index('COLD')).indices.length).toBe(1);
  });
});

const ml = sharedData('ml-100k');

describe('training views on MovieLens 100K', () => {
  it.skipIf(!ml.present)('gives a 943 x 1682 matrix with 100,000 ratings and side features', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-mlviews-'));
    store = await openStore(join(dir, 'store.duckdb'));
    await store.ingest(getLoader('movielens'), ml.path);
    const log = await loadEventLog(store);
    expect([log.length, log.customers.size, log.products.size]).toEqual([100000, 943, 1682]);
    const { userItem, itemUser } = buildInteractions(log, { useValue: true });
    expect(userItem.nnz).toBe(100000);
    expect(itemUser.rows).toBe(1682);
    let sum = 0;
    for (let i = 0; i < userItem.nnz; i++) sum += userItem.data[i];
    expect(sum).toBe(352986); // the sum of all 100,000 ratings in u.data
    const cf = await loadSideFeatures(store, 'customer', log.customers);
    expect(cf.features.has('gender=M') && cf.features.has('occupation=engineer')).toBe(true);
    const pf = await loadSideFeatures(store, 'product', log.products);
    expect(pf.features.has('genre:Comedy')).toBe(true);
  });
});
