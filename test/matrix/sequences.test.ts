import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/data/model.js';
import { EventLogBuilder, buildSequences, type Sequences } from '../../src/matrix/index.js';

const seqOf = (s: Sequences, u: number, products: readonly string[]) =>
  Array.from(s.products.subarray(s.offsets[u], s.offsets[u + 1])).map((p) => products[p]);

describe('buildSequences', () => {
  const b = new EventLogBuilder();
  b.addCustomer('cold');
  b.add('a', 'p3', 30, 'click', 1); // row 0
  b.add('b', 'p1', 5, 'display', 1); // row 1
  b.add('a', 'p1', 10, 'display', 1); // row 2
  b.add('a', 'p2', 20, 'acquire', 1); // row 3
  b.add('a', 'p4', 20, 'click', 1); // row 4, ties with row 3
  b.add('b', 'p2', 5, 'click', 1); // row 5, ties with row 1
  b.add('a', 'p5', 20, 'display', 1); // row 6, ties again
  const log = b.build();
  const products = log.products.ids();

  it('orders each customer by time, stable on ties, with empty cold-start ranges', () => {
    const s = buildSequences(log);
    expect(Array.from(s.offsets)).toEqual([0, 0, 5, 7]);
    expect(seqOf(s, 0, products)).toEqual([]);
    expect(seqOf(s, 1, products)).toEqual(['p1', 'p2', 'p4', 'p5', 'p3']);
    expect(seqOf(s, 2, products)).toEqual(['p1', 'p2']);
    expect(Array.from(s.times)).toEqual([10, 20, 20, 20, 30, 5, 5]);
    expect(Array.from(s.rows)).toEqual([2, 3, 4, 6, 0, 1, 5]);
    expect(Array.from(s.types).map((t) => EVENT_TYPES[t])).toEqual([
      'display',
      'acquire',
      'click',
      'display',
      'click',
      'display',
      'click',
    ]);
  });

  it('filters by event type', () => {
    const s = buildSequences(log, { types: ['click', 'acquire'] });
    expect(Array.from(s.offsets)).toEqual([0, 0, 3, 4]);
    expect(seqOf(s, 1, products)).toEqual(['p2', 'p4', 'p3']);
    expect(seqOf(s, 2, products)).toEqual(['p2']);
    expect(Array.from(s.rows)).toEqual([3, 4, 0, 5]);
    expect(buildSequences(log, { types: [] }).products.length).toBe(0);
  });
});
