import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../src/core/errors.js';
import { buildInteractions, EventLogBuilder } from '../../src/matrix/index.js';
import { UserKnnRecommender } from '../../src/models/user-knn.js';
import { fromLists, historyOf } from './fixtures.js';

// c0 {p0, p1}, c1 {p0, p1, p2}, c2 {p2, p3}: dots c0·c1 = 2, c1·c2 = 1, c0·c2 = 0.
const DATA = fromLists(
  [
    [0, 1],
    [0, 1, 2],
    [2, 3],
  ],
  4,
);

describe('UserKnnRecommender', () => {
  it('scores a training customer from its precomputed neighbours: sum of sim(u, v) x_vp', async () => {
    const m = new UserKnnRecommender({ neighbours: 1, shrink: 0 });
    await m.fit(DATA);
    const out = new Float32Array(4);
    // c0's one neighbour is c1, sim 2 / (√2 √3); the history passed does not change a known customer's neighbours.
    m.scoreInto(0, historyOf([3]), out);
    const s01 = 2 / Math.sqrt(6);
    [s01, s01, s01, 0].forEach((v, p) => expect(out[p]).toBeCloseTo(v, 6));
    // c1 has two candidates: c0 (2 / √6) beats c2 (1 / √6).
    m.scoreInto(1, historyOf([]), out);
    [s01, s01, 0, 0].forEach((v, p) => expect(out[p]).toBeCloseTo(v, 6));
  });

  it('finds neighbours on the fly for a new history, with shrinkage', async () => {
    const m = new UserKnnRecommender({ neighbours: 2, shrink: 1 });
    await m.fit(DATA);
    const out = new Float32Array(4);
    // {p2}: dot 1 with c1 (|c1| = √3) and c2 (|c2| = √2); nothing in common with c0.
    m.scoreInto(-1, historyOf([2]), out);
    const s1 = 1 / (Math.sqrt(3) + 1);
    const s2 = 1 / (Math.sqrt(2) + 1);
    [s1, s1, s1 + s2, s2].forEach((v, p) => expect(out[p]).toBeCloseTo(v, 6));
    m.scoreInto(-1, historyOf([]), out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('lists similar products by cosine over customers', async () => {
    const m = new UserKnnRecommender();
    await m.fit(DATA);
    const [list] = m.similarItems(Int32Array.of(3), 5);
    expect(Array.from(list.items)).toEqual([2]);
    expect(list.scores[0]).toBeCloseTo(1 / Math.sqrt(2), 6);
  });

  it('refuses, in one line, a customer base whose pairwise work is out of reach', async () => {
    // One product held by 45,000 customers: 2.0e9 customer pairs.
    const b = new EventLogBuilder();
    for (let c = 0; c < 45_000; c++) b.add(`c${c}`, 'current-account', 0, 'acquire', 1);
    const log = b.build();
    const err = await new UserKnnRecommender().fit({ log, interactions: buildInteractions(log) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NextbestError);
    expect((err as Error).message).toMatch(/^model user-knn would need 2\.0e\+9 pair updates/);
  });
});
