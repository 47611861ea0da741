import { describe, expect, it } from 'vitest';
import { ItemKnnRecommender } from '../../src/models/item-knn.js';
import { fromLists, historyOf } from './fixtures.js';

// c0 {p0, p1}, c1 {p0, p1, p2}, c2 {p1, p2}: cos01 = cos12 = 2/√6, cos02 = 1/2.
const DATA = fromLists(
  [
    [0, 1],
    [0, 1, 2],
    [1, 2],
  ],
  3,
);
const R = 2 / Math.sqrt(6);

async function score(params: Record<string, unknown>, history: number[]): Promise<number[]> {
  const m = new ItemKnnRecommender(params);
  await m.fit(DATA);
  const out = new Float32Array(3);
  m.scoreInto(0, historyOf(history), out);
  return Array.from(out);
}

describe('ItemKnnRecommender', () => {
  it('scores with cosine similarity over all neighbours', async () => {
    const s = await score({ neighbours: 10, shrink: 0 }, [0]);
    expect(s[0]).toBe(0);
    expect(s[1]).toBeCloseTo(R, 6);
    expect(s[2]).toBeCloseTo(1 / 2, 6);
    const both = await score({ neighbours: 10, shrink: 0 }, [0, 1]);
    expect(both[2]).toBeCloseTo(1 / 2 + R, 6);
  });

  it('shrinks similarities: dot / (|a| |b| + shrink)', async () => {
    const s = await score({ neighbours: 10, shrink: 1 }, [0]);
    expect(s[1]).toBeCloseTo(2 / (Math.sqrt(6) + 1), 6);
    expect(s[2]).toBeCloseTo(1 / (2 + 1), 6);
  });

  it('keeps each product\'s closest neighbours and scores it only from those', async () => {
    // One neighbour each: N(p0) = {p1}, N(p1) = {p0} (a tie with p2 goes to the lower index), N(p2) = {p1}.
    const m = new ItemKnnRecommender({ neighbours: 1, shrink: 0 });
    await m.fit(DATA);
    const lists = m.similarItems(Int32Array.of(0, 1, 2), 5);
    expect(lists.map((l) => Array.from(l.items))).toEqual([[1], [0], [1]]);
    const out = new Float32Array(3);
    m.scoreInto(0, historyOf([0]), out);
    expect(Array.from(out).map((v) => +v.toFixed(6))).toEqual([0, +R.toFixed(6), 0]); // p0 is not among p2's neighbours
    m.scoreInto(0, historyOf([1]), out);
    expect(out[0]).toBeCloseTo(R, 6);
    expect(out[2]).toBeCloseTo(R, 6);
  });
});
