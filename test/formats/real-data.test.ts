// The loaders on the real MovieLens 100K and UCI Bank Marketing files in ../shared/data. Skipped with a
// visible warning when the data is absent; failing instead when NEXTBEST_REQUIRE_DATA=1.
import { describe, expect, it } from 'vitest';
import { bank } from '../../src/data/formats/bank.js';
import { movielens } from '../../src/data/formats/movielens.js';
import { sharedData } from '../helpers/shared-data.js';
import { MemorySink } from './memory-sink.js';

const ml = sharedData('ml-100k');
const bankCsv = sharedData('bank-marketing/bank.csv');

describe('real data', () => {
  it.skipIf(!ml.present)(`loads ${ml.path}`, async () => {
    const sink = new MemorySink();
    expect(await movielens.load(ml.path, sink, {})).toEqual({ accepted: 100_000 + 943 + 1682, rejected: 0 });
    expect(sink.events.length).toBe(100_000);
    expect(sink.rejects).toEqual([]);
    expect(sink.events[0]).toEqual({
      customerId: '196',
      productId: '242',
      timestamp: new Date(881250949 * 1000),
      type: 'rating',
      value: 3,
      context: {},
    });
    expect(new Set(sink.events.map((e) => e.customerId)).size).toBe(943);
    expect(new Set(sink.events.map((e) => e.productId)).size).toBe(1682);

    expect(sink.customers.length).toBe(943);
    for (const c of sink.customers) {
      expect(typeof c.attributes.age).toBe('number');
      expect(['M', 'F']).toContain(c.attributes.gender);
      expect(typeof c.attributes.occupation).toBe('string');
      expect(typeof c.attributes.zip).toBe('string');
    }

    expect(sink.products.length).toBe(1682);
    for (const p of sink.products) {
      expect(p.type).toBe('movie');
      expect(Object.keys(p.attributes).some((k) => k.startsWith('genre:'))).toBe(true);
    }
    const byId = new Map(sink.products.map((p) => [p.id, p]));
    expect(byId.get('1')).toEqual({
      id: '1',
      type: 'movie',
      description: 'Toy Story (1995)',
      attributes: { 'genre:Animation': 1, "genre:Children's": 1, 'genre:Comedy': 1, year: 1995 },
    });
    expect(byId.get('267')).toEqual({ id: '267', type: 'movie', description: 'unknown', attributes: { 'genre:unknown': 1 } });
    expect(byId.get('543')?.description).toBe('Misérables, Les (1995)');
  });

  it.skipIf(!bankCsv.present)(`loads ${bankCsv.path}`, async () => {
    const sink = new MemorySink();
    expect(await bank.load(bankCsv.path, sink, {})).toEqual({ accepted: 4521, rejected: 0 });
    expect(sink.customers.length).toBe(4521);
    expect(new Set(sink.customers.map((c) => c.id)).size).toBe(4521);
    expect(sink.events.filter((e) => e.type === 'accept').length).toBe(521);
    expect(sink.events.filter((e) => e.type === 'decline').length).toBe(4000);
    expect(sink.products.map((p) => p.id)).toEqual(['term_deposit']);
  });
});
