// One suite for every registered model (after implicit's recommender_base_test): each case only says
// how to build the model; the checks are the Recommender contract.
import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../src/core/errors.js';
import { CsrMatrix, type TopK } from '../../src/matrix/index.js';
import type { Recommender } from '../../src/models/contract.js';
import { createModel, MODEL_NAMES } from '../../src/models/registry.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFactorParquet } from '../helpers/factor-parquet.js';
import { referenceTopK, syntheticBank } from './fixtures.js';

interface Case {
  label: string;
  name: string;
  params: Record<string, string | number | boolean>;
}

const data = syntheticBank();

/** Factors "trained elsewhere": an ALS fitted here, written as Spark writes its factor tables. */
async function importedFactors(): Promise<Record<string, string>> {
  const als = createModel('als', { factors: 8 });
  await als.fit(data);
  const { user, item } = als.state().arrays as { user: Float32Array; item: Float32Array };
  const dir = mkdtempSync(join(tmpdir(), 'nextbest-factors-'));
  const files = { customers: join(dir, 'users.parquet'), products: join(dir, 'items.parquet') };
  await writeFactorParquet(files.customers, data.log.customers.ids(), user, 8);
  await writeFactorParquet(files.products, data.log.products.ids(), item, 8);
  return files;
}

const CASES: Case[] = [
  // Factors trained elsewhere need their files: their case is below.
  ...MODEL_NAMES.filter((name) => name !== 'factors').map((name) => ({ label: `${name} (defaults)`, name, params: {} })),
  { label: 'factors (imported from Parquet)', name: 'factors', params: await importedFactors() },
  { label: 'popularity segment', name: 'popularity', params: { mode: 'segment', segmentAttribute: 'segment' } },
  { label: 'popularity trending', name: 'popularity', params: { mode: 'trending', halfLifeDays: 7 } },
  { label: 'fm with customer features', name: 'fm', params: { features: 'ids,customer', iterations: 5 } },
  { label: 'sims count, threshold 2', name: 'sims', params: { similarity: 'count', threshold: 2 } },
  { label: 'sims lift', name: 'sims', params: { similarity: 'lift' } },
  { label: 'sims cosine', name: 'sims', params: { similarity: 'cosine' } },
  { label: 'sims jaccard, decayed', name: 'sims', params: { similarity: 'jaccard', halfLifeDays: 10, useValue: true } },
  { label: 'item-knn 3 neighbours', name: 'item-knn', params: { neighbours: 3, shrink: 1 } },
  { label: 'user-knn 5 neighbours', name: 'user-knn', params: { neighbours: 5, shrink: 2 } },
  { label: 'ease via products', name: 'ease', params: { lambda: 5, solver: 'products' } },
  { label: 'ease via customers', name: 'ease', params: { lambda: 5, solver: 'customers' } },
];

const history = data.interactions.userItem;
const customers = history.rows;
const products = history.cols;
/** Every customer, plus the unknown indices -1 and `customers` (cold start: empty history). */
const everyone = Int32Array.from({ length: customers + 2 }, (_, i) => (i === customers + 1 ? -1 : i));
const K = 5;

async function fitted(c: Case): Promise<Recommender> {
  const model = createModel(c.name, c.params);
  await model.fit(data);
  return model;
}

function expectOrdered(list: TopK): void {
  for (let r = 1; r < list.items.length; r++) {
    const before = list.scores[r - 1];
    const after = list.scores[r];
    expect(before > after || (before === after && list.items[r - 1] < list.items[r])).toBe(true);
  }
}

const rowSet = (m: CsrMatrix, c: number): Set<number> => (c >= 0 && c < m.rows ? new Set(m.row(c).indices) : new Set());

it('the contract suite covers every registered model', () => {
  expect(new Set(CASES.map((c) => c.name))).toEqual(new Set(MODEL_NAMES));
});

describe.each(CASES)('$label', (c) => {
  it('recommends k unseen products per customer, best first, exactly the top k of scoreInto', async () => {
    const model = await fitted(c);
    expect(model.products).toBe(products);
    const lists = model.recommend(everyone, { k: K, history });
    expect(lists).toHaveLength(everyone.length);
    const scores = new Float32Array(products);
    everyone.forEach((customer, n) => {
      const list = lists[n];
      const seen = rowSet(history, customer);
      expect(list.items).toHaveLength(K);
      for (const p of list.items) expect(seen.has(p)).toBe(false);
      expectOrdered(list);
      const row = customer >= 0 && customer < customers ? history.row(customer) : { indices: new Int32Array(0), data: new Float32Array(0) };
      model.scoreInto(customer, row, scores);
      expect(Array.from(list.items)).toEqual(referenceTopK(scores, K, (p) => !seen.has(p)));
      expect(Array.from(list.scores)).toEqual(Array.from(list.items, (p) => scores[p]));
    });
  });

  it('honours exclude, candidates and filter', async () => {
    const model = await fitted(c);
    const some = Int32Array.from([0, 1, 2, 3, 39]);
    // exclude: null lets held products back in; a custom exclusion replaces the history.
    const open = model.recommend(some, { k: products, history, exclude: null });
    for (const list of open) expect(list.items).toHaveLength(products);
    const blocked = CsrMatrix.fromCoo(customers, products, Int32Array.from(some), new Int32Array(some.length).fill(4), new Float32Array(some.length).fill(1));
    for (const list of model.recommend(some, { k: products, history, exclude: blocked })) {
      expect(list.items).toHaveLength(products - 1);
      expect(Array.from(list.items)).not.toContain(4);
    }
    const candidates = Int32Array.from({ length: products / 2 }, (_, i) => 2 * i);
    model.recommend(some, { k: K, history, candidates }).forEach((list) => {
      expect(list.items.length).toBeGreaterThan(0);
      for (const p of list.items) expect(p % 2).toBe(0);
    });
    const filter = (customer: number, product: number) => (customer + product) % 3 !== 0;
    model.recommend(some, { k: K, history, filter }).forEach((list, n) => {
      expect(list.items).toHaveLength(K);
      for (const p of list.items) expect(filter(some[n], p)).toBe(true);
    });
  });

  it('lists similar items without the item itself', async () => {
    const model = await fitted(c);
    const all = Int32Array.from({ length: products }, (_, p) => p);
    const lists = model.similarItems(all, 4);
    expect(lists).toHaveLength(products);
    lists.forEach((list, p) => {
      expect(list.items.length).toBeLessThanOrEqual(4);
      expect(Array.from(list.items)).not.toContain(p);
      expectOrdered(list);
    });
    expect(lists.some((l) => l.items.length > 0)).toBe(true);
    expect(() => model.similarItems(Int32Array.of(products), 3)).toThrow(NextbestError);
  });

  it('restores from state() to identical recommendations and similar items', async () => {
    const model = await fitted(c);
    const state = model.state();
    for (const a of Object.values(state.arrays)) expect(ArrayBuffer.isView(a)).toBe(true);
    expect(JSON.parse(JSON.stringify(state.json))).toEqual(state.json);
    const copy = createModel(c.name, c.params);
    copy.restore({
      arrays: Object.fromEntries(Object.entries(state.arrays).map(([k, a]) => [k, a.slice()])),
      json: JSON.parse(JSON.stringify(state.json)),
    });
    expect(copy.products).toBe(products);
    expect(copy.recommend(everyone, { k: K, history })).toEqual(model.recommend(everyone, { k: K, history }));
    const all = Int32Array.from({ length: products }, (_, p) => p);
    expect(copy.similarItems(all, 3)).toEqual(model.similarItems(all, 3));
  });

  it('explains each recommended product from the history it was scored from, the same after restore', async () => {
    const model = await fitted(c);
    if (!model.explain) return; // explain is optional in the contract; every model registered now has it
    const copy = createModel(c.name, c.params);
    copy.restore(model.state());
    const lists = model.recommend(everyone, { k: K, history });
    const scores = new Float32Array(products);
    everyone.forEach((customer, n) => {
      const row = customer >= 0 && customer < customers ? history.row(customer) : { indices: new Int32Array(0), data: new Float32Array(0) };
      const reasons = model.explain!(customer, row, lists[n].items);
      expect(reasons).toHaveLength(lists[n].items.length);
      expect(copy.explain!(customer, row, lists[n].items)).toEqual(reasons);
      model.scoreInto(customer, row, scores);
      reasons.forEach((r, i) => {
        const score = scores[lists[n].items[i]];
        if (r.kind === 'held-product') {
          expect(rowSet(history, customer).has(r.product)).toBe(true);
          // A sum of terms adds up to the score (ALS: the fold-in's, which CG's training factors approach).
          if (r.measure === 'contribution') expect(Math.abs((r.total as number) - score)).toBeLessThan((c.name === 'als' ? 0.05 : 1e-4) * Math.max(1, Math.abs(score)));
        } else if (r.kind === 'similar-customers') {
          expect(r.customers).toBeLessThanOrEqual(r.neighbours);
          expect(r.weight).toBeCloseTo(score, 4);
        } else if (r.kind === 'popular') expect(r.weight).toBeCloseTo(score, 4);
      });
    });
  });

  it('refuses state saved with other parameters', async () => {
    const model = await fitted(c);
    const state = model.state();
    const other = { ...state, json: { ...state.json, params: { ...(state.json.params as object), bogus: 1 } } };
    expect(() => createModel(c.name, c.params).restore(other)).toThrow(/fitted with parameters/);
  });

  it('says clearly when used before fit', () => {
    const model = createModel(c.name, c.params);
    const row = { indices: new Int32Array(0), data: new Float32Array(0) };
    expect(() => model.recommend(Int32Array.of(0), { k: 3, history })).toThrow(/not fitted; fit or load it first/);
    expect(() => model.scoreInto(0, row, new Float32Array(products))).toThrow(/not fitted/);
    expect(() => model.similarItems(Int32Array.of(0), 3)).toThrow(/not fitted/);
    expect(() => model.state()).toThrow(/not fitted/);
  });

  it('reports progress and stops when aborted', async () => {
    const model = createModel(c.name, c.params);
    const seen: number[] = [];
    await model.fit(data, { onProgress: (p) => seen.push(p.iteration) });
    expect(seen.length).toBeGreaterThan(0);
    const controller = new AbortController();
    controller.abort();
    await expect(createModel(c.name, c.params).fit(data, { signal: controller.signal })).rejects.toThrow();
  });
});
