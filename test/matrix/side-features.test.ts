import { describe, expect, it } from 'vitest';
import {
  EventLogBuilder,
  IdMap,
  buildContextFeatures,
  buildSideFeatures,
  type CsrMatrix,
  type SideFeatureRow,
} from '../../src/matrix/index.js';

const named = (m: CsrMatrix, features: IdMap, i: number): Record<string, number> => {
  const { indices, data } = m.row(i);
  return Object.fromEntries(Array.from(indices, (j, k) => [features.id(j), data[k]]));
};

const customers = IdMap.from(['c1', 'c2', 'c3', 'c4']);
const rows: SideFeatureRow[] = [
  { id: 'c1', name: 'segment', num: null, str: 'YOUTH' },
  { id: 'c1', name: 'age', num: 20, str: null },
  { id: 'c2', name: 'segment', num: null, str: 'RETAIL' },
  { id: 'c2', name: 'age', num: 60, str: null },
  { id: 'c3', name: 'age', num: 30, str: null },
  { id: 'c3', name: 'segment', num: null, str: null }, // missing
  { id: 'ghost', name: 'segment', num: null, str: 'VIP' }, // not in the map
  { id: 'c1', name: 'income', num: 5, str: null }, // constant attribute
  // c4 has no rows at all
];

describe('buildSideFeatures', () => {
  it('one-hots categories and min-max scales numbers', () => {
    const { matrix, features } = buildSideFeatures(customers, rows);
    expect(features.ids()).toEqual(['segment=YOUTH', 'age', 'segment=RETAIL', 'income']);
    expect([matrix.rows, matrix.cols]).toEqual([4, 4]);
    expect(named(matrix, features, 0)).toEqual({ 'segment=YOUTH': 1, age: 0, income: 1 });
    expect(named(matrix, features, 1)).toEqual({ 'segment=RETAIL': 1, age: 1 });
    expect(named(matrix, features, 2)).toEqual({ age: 0.25 });
    expect(named(matrix, features, 3)).toEqual({});
    expect(features.has('segment=VIP')).toBe(false);
  });

  it('buckets numbers by quantile', () => {
    const ids = IdMap.from(['a', 'b', 'c', 'd', 'e', 'f']);
    const ages = [18, 25, 25, 40, 70, 90];
    const r = ids.ids().map((id, i) => ({ id, name: 'age', num: ages[i], str: null }));
    const { matrix, features } = buildSideFeatures(ids, r, { numeric: 'bucket', buckets: 3 });
    // Cuts at sorted[2] = 25 and sorted[4] = 70.
    expect(features.ids()).toEqual(['age#0', 'age#1', 'age#2']);
    expect(ids.ids().map((_, i) => named(matrix, features, i))).toEqual([
      { 'age#0': 1 },
      { 'age#1': 1 },
      { 'age#1': 1 },
      { 'age#1': 1 },
      { 'age#2': 1 },
      { 'age#2': 1 },
    ]);
  });

  it("reports its cuts, and buckets other data at a trained model's cuts instead of its own", () => {
    const ids = IdMap.from(['a', 'b', 'c', 'd', 'e', 'f']);
    const ages = [18, 25, 25, 40, 70, 90];
    const r = ids.ids().map((id, i) => ({ id, name: 'age', num: ages[i], str: null }));
    const trained = buildSideFeatures(ids, r, { numeric: 'bucket', buckets: 3 });
    expect(Object.fromEntries(trained.cuts!)).toEqual({ age: [25, 70] });
    // One new customer aged 30: on its own it would make a single bucket; with the cuts it is in age#1.
    const one = IdMap.from(['z']);
    const again = buildSideFeatures(one, [{ id: 'z', name: 'age', num: 30, str: null }], { numeric: 'bucket', buckets: 3, cuts: trained.cuts });
    expect(named(again.matrix, again.features, 0)).toEqual({ 'age#1': 1 });
  });

  it('drops repeated cut points instead of making empty buckets', () => {
    const ids = IdMap.from(['a', 'b', 'c', 'd']);
    const r = ids.ids().map((id, i) => ({ id, name: 'n', num: i < 3 ? 1 : 2, str: null }));
    const { matrix, features } = buildSideFeatures(ids, r, { numeric: 'bucket', buckets: 4 });
    expect(features.ids()).toEqual(['n#0', 'n#1']);
    expect(Array.from(matrix.indices)).toEqual([0, 0, 0, 1]);
  });

  it('adds identity features at the entity index and normalizes rows', () => {
    const { matrix, features } = buildSideFeatures(customers, rows, { identity: true, normalize: true });
    expect(features.ids().slice(0, 4)).toEqual(['id:c1', 'id:c2', 'id:c3', 'id:c4']);
    expect(features.size).toBe(8);
    const c1 = named(matrix, features, 0);
    expect(Object.keys(c1).sort()).toEqual(['age', 'id:c1', 'income', 'segment=YOUTH']);
    expect(c1['id:c1']).toBeCloseTo(1 / 3, 6);
    expect(c1.age).toBe(0);
    const c3 = named(matrix, features, 2);
    expect(Object.keys(c3)).toEqual(['id:c3', 'age']);
    expect(c3['id:c3']).toBeCloseTo(0.8, 6);
    expect(c3.age).toBeCloseTo(0.2, 6);
    expect(named(matrix, features, 3)).toEqual({ 'id:c4': 1 });
    const sums = matrix.rowSums();
    for (const s of sums) expect(s).toBeCloseTo(1, 6);
  });

  it('identity alone is the pure collaborative-filtering case', () => {
    const { matrix, features } = buildSideFeatures(customers, [], { identity: true });
    expect(features.size).toBe(4);
    expect(Array.from(matrix.indices)).toEqual([0, 1, 2, 3]);
    expect(Array.from(matrix.data)).toEqual([1, 1, 1, 1]);
  });

  it('rejects bad options', () => {
    expect(() => buildSideFeatures(customers, rows, { buckets: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => buildSideFeatures(customers, rows, { numeric: 'log' as never })).toThrow(/numeric/);
  });
});

describe('buildContextFeatures', () => {
  it('makes an events x context matrix', () => {
    const b = new EventLogBuilder();
    b.add('c', 'p', 1, 'click', 1, { page: 'home', hour: '9' });
    b.add('c', 'p', 2, 'click', 1);
    b.add('c', 'p', 3, 'click', 1, { hour: '9' });
    const log = b.build();
    const m = buildContextFeatures(log);
    expect([m.rows, m.cols]).toEqual([3, 2]);
    expect(log.contexts.ids()).toEqual(['page=home', 'hour=9']);
    expect(Array.from(m.indptr)).toEqual([0, 2, 2, 3]);
    expect(Array.from(m.indices)).toEqual([0, 1, 1]);
    expect(Array.from(m.data)).toEqual([1, 1, 1]);
  });
});
