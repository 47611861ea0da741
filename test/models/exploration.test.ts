// Exploration of cold products: the slots young products get, the lists it makes (young products in
// their slots in the model's order, the rest in theirs), and which products count as young.
import { describe, expect, it } from 'vitest';
import { EventLogBuilder } from '../../src/matrix/index.js';
import { explorationSlots, exploreTopK, lastEventTime, productFirstSeen, youngProducts, youngShare } from '../../src/models/exploration.js';

describe('exploration slots', () => {
  it('gives round(weight * k) slots spread through the list, never the first while weight < 1', () => {
    expect(explorationSlots(10, 0)).toEqual([]);
    expect(explorationSlots(10, 0.1)).toEqual([5]);
    expect(explorationSlots(10, 0.2)).toEqual([3, 6]);
    expect(explorationSlots(10, 0.3)).toEqual([2, 5, 7]);
    expect(explorationSlots(10, 1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let k = 1; k <= 20; k++)
      for (const w of [0.05, 0.25, 0.5, 0.75, 0.95]) {
        const s = explorationSlots(k, w);
        expect(s.length).toBe(Math.min(k, Math.round(w * k)));
        expect(new Set(s).size).toBe(s.length);
        if (s.length < k) expect(s).not.toContain(0);
        for (const p of s) expect(p).toBeLessThan(k);
      }
  });
});

describe('exploreTopK', () => {
  // Products 0..9 score 9..0; products 7, 8 and 9 (the worst) are young.
  const scores = Float32Array.from({ length: 10 }, (_, p) => 9 - p);
  const young = Uint8Array.from({ length: 10 }, (_, p) => (p >= 7 ? 1 : 0));

  it('puts the best young products in the exploration slots and the others in order around them', () => {
    const list = exploreTopK(scores, 5, new Uint8Array(10), { weight: 0.4, young });
    // k 5, weight 0.4: two slots, at positions 1 and 3.
    expect([...list.items]).toEqual([0, 7, 1, 8, 2]);
    expect([...list.scores]).toEqual([9, 2, 8, 1, 7]);
    expect(youngShare([list], young, 5)).toBeCloseTo(0.4, 10);
  });

  it('leaves the list as topK makes it with weight 0, and skips excluded products on both sides', () => {
    expect([...exploreTopK(scores, 4, new Uint8Array(10), { weight: 0, young }).items]).toEqual([0, 1, 2, 3]);
    const skip = new Uint8Array(10);
    skip[7] = 1;
    skip[0] = 1;
    expect([...exploreTopK(scores, 5, skip, { weight: 0.4, young }).items]).toEqual([1, 8, 2, 9, 3]);
  });

  it('fills from the other side when one runs short, so the list keeps its length', () => {
    const list = exploreTopK(scores, 10, new Uint8Array(10), { weight: 0.6, young });
    expect(list.items.length).toBe(10);
    expect(new Set(list.items).size).toBe(10);
    expect(youngShare([list], young, 10)).toBeCloseTo(0.3, 10);
  });
});

describe('young products', () => {
  it('are those first seen within the cut-off of the last event, or never seen', () => {
    const b = new EventLogBuilder();
    for (const id of ['old', 'recent', 'unseen']) b.addProduct(id);
    const day = 86_400;
    b.add('c1', 'old', 0, 'click', 1);
    b.add('c1', 'recent', 50 * day, 'click', 1);
    b.add('c2', 'old', 60 * day, 'click', 1);
    const log = b.build();
    const first = productFirstSeen(log);
    expect(first[log.products.index('old')]).toBe(0);
    expect(first[log.products.index('recent')]).toBe(50 * day);
    expect(Number.isNaN(first[log.products.index('unseen')])).toBe(true);
    expect(lastEventTime(log)).toBe(60 * day);
    const young = youngProducts(first, 30, lastEventTime(log));
    expect(young[log.products.index('old')]).toBe(0);
    expect(young[log.products.index('recent')]).toBe(1);
    expect(young[log.products.index('unseen')]).toBe(1);
    expect(youngProducts(first, 5, lastEventTime(log))[log.products.index('recent')]).toBe(0);
  });
});
