import { describe, expect, it } from 'vitest';
import { activeCustomers, assertNoLeakage, coldStartSplit } from '../../../src/matrix/splits/index.js';
import { countByCustomer, eventsOf, gridLog, logOf } from './fixtures.js';

describe('coldStartSplit', () => {
  const log = gridLog(10, (c) => c + 1);

  it('holds out round(ratio * customers) whole customers, disjoint from train', () => {
    const s = coldStartSplit(log, { ratio: 0.3, seed: 5 });
    const train = countByCustomer(s.train);
    const test = countByCustomer(s.test);
    expect(test.size).toBe(3);
    expect(train.size).toBe(7);
    for (const id of test.keys()) {
      expect(train.has(id)).toBe(false);
      expect(test.get(id)).toBe(Number(id.slice(1)) + 1); // every event of a held-out customer
    }
    expect(s.train.length + s.test.length).toBe(log.length);
    expect(s.name).toBe('cold-start:0.3:5');
    expect(() => assertNoLeakage(s, { what: 'customers' })).not.toThrow();
  });

  it('is reproducible with a seed and differs with another', () => {
    const ids = (seed: number): string[] => [...countByCustomer(coldStartSplit(log, { ratio: 0.3, seed }).test).keys()].sort();
    expect(ids(11)).toEqual(ids(11));
    const others = [12, 13, 14, 15].map(ids);
    expect(others.some((o) => o.join() !== ids(11).join())).toBe(true);
  });

  it('keeps at least one customer on each side', () => {
    const two = logOf([
      ['a', 'x', 1],
      ['b', 'x', 2],
    ]);
    const small = coldStartSplit(two, { ratio: 0.1, seed: 1 });
    const large = coldStartSplit(two, { ratio: 0.9, seed: 1 });
    for (const s of [small, large]) {
      expect(activeCustomers(s.train)).toBe(1);
      expect(activeCustomers(s.test)).toBe(1);
    }
    const one = coldStartSplit(logOf([['a', 'x', 1]]), { ratio: 0.5 });
    expect(eventsOf(one.train)).toEqual(['a/x@1']);
    expect(one.test.length).toBe(0);
  });

  it('ignores customers without events', () => {
    const s = coldStartSplit(gridLog(4, (c) => (c % 2 === 0 ? 2 : 0)), { ratio: 0.5, seed: 2 });
    expect(activeCustomers(s.train)).toBe(1);
    expect(activeCustomers(s.test)).toBe(1);
  });
});
