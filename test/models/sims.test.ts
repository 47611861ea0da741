import { describe, expect, it } from 'vitest';
import { SimsRecommender } from '../../src/models/sims.js';
import { DAY, fromLists, historyOf } from './fixtures.js';

// c0 {p0, p1}, c1 {p0, p1, p2}, c2 {p1, p2}: C diagonal (2, 3, 2), C01 = 2, C02 = 1, C12 = 2.
const LISTS = [
  [0, 1],
  [0, 1, 2],
  [1, 2],
];

async function similarityRows(params: Record<string, unknown>): Promise<number[][]> {
  const m = new SimsRecommender(params);
  await m.fit(fromLists(LISTS, 3));
  return [0, 1, 2].map((p) => {
    const out = new Float32Array(3);
    m.scoreInto(-1, historyOf([p]), out);
    return Array.from(out);
  });
}

const close = (actual: number[][], expected: number[][]) =>
  expected.forEach((row, i) => row.forEach((v, j) => expect(actual[i][j]).toBeCloseTo(v, 6)));

describe('SimsRecommender', () => {
  it('jaccard: C_ij / (C_ii + C_jj - C_ij), no self-similarity', async () => {
    close(await similarityRows({ similarity: 'jaccard' }), [
      [0, 2 / 3, 1 / 3],
      [2 / 3, 0, 2 / 3],
      [1 / 3, 2 / 3, 0],
    ]);
  });

  it('count, lift and cosine', async () => {
    close(await similarityRows({ similarity: 'count' }), [
      [0, 2, 1],
      [2, 0, 2],
      [1, 2, 0],
    ]);
    close(await similarityRows({ similarity: 'lift' }), [
      [0, 1 / 3, 1 / 4],
      [1 / 3, 0, 1 / 3],
      [1 / 4, 1 / 3, 0],
    ]);
    const r = 2 / Math.sqrt(6);
    close(await similarityRows({ similarity: 'cosine' }), [
      [0, r, 1 / 2],
      [r, 0, r],
      [1 / 2, r, 0],
    ]);
  });

  it('threshold drops pairs seen together by too few customers', async () => {
    close(await similarityRows({ similarity: 'count', threshold: 2 }), [
      [0, 2, 0],
      [2, 0, 2],
      [0, 2, 0],
    ]);
  });

  it('scores a history as the affinity-weighted sum of similarity rows', async () => {
    const m = new SimsRecommender({ similarity: 'jaccard' });
    await m.fit(fromLists(LISTS, 3));
    const out = new Float32Array(3);
    m.scoreInto(-1, { indices: Int32Array.of(0, 1), data: Float32Array.of(2, 1) }, out);
    expect(out[2]).toBeCloseTo(2 * (1 / 3) + 2 / 3, 6);
    const [similar] = m.similarItems(Int32Array.of(1), 5);
    expect(Array.from(similar.items)).toEqual([0, 2]); // tie: lower index first
  });

  it('decays a training customer\'s affinities by 0.5^(age / halfLifeDays) from the latest event', async () => {
    const t = 1_000 * DAY;
    // c3 holds p0 from two days before the latest event and p1 from the latest.
    const data = fromLists([...LISTS, [0, 1]], 3, [[t, t], [t, t, t], [t, t], [t - 2 * DAY, t]]);
    const m = new SimsRecommender({ similarity: 'jaccard', halfLifeDays: 1 });
    await m.fit(data);
    const out = new Float32Array(3);
    m.scoreInto(3, data.interactions.userItem.row(3), out);
    // Co-occurrence now has C00 = 3, C11 = 4, C22 = 2, C01 = 3, C02 = 1, C12 = 2.
    expect(out[2]).toBeCloseTo(0.25 * (1 / 4) + 1 * (2 / 4), 6);
    // A history the model has not seen keeps its own weights.
    m.scoreInto(-1, data.interactions.userItem.row(3), out);
    expect(out[2]).toBeCloseTo(1 / 4 + 2 / 4, 6);
  });
});
