import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../src/core/errors.js';
import { EaseRecommender } from '../../src/models/ease.js';
import { fromLists, gaussJordanInverse, historyOf, syntheticBank } from './fixtures.js';

/** B = -P / diag(P), zero diagonal, P = (XᵀX + λI)⁻¹, straight from the definition. */
function referenceB(lists: number[][], n: number, lambda: number): number[][] {
  const g = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? lambda : 0)));
  for (const items of lists) for (const i of items) for (const j of items) g[i][j] += 1;
  const p = gaussJordanInverse(g);
  return p.map((row, i) => row.map((v, j) => (i === j ? 0 : -v / p[j][j])));
}

const LISTS = [[0, 1, 3], [1, 2], [0, 2, 3, 4], [4], [1, 3, 4], [0, 1]];

async function learnedB(lists: number[][], n: number, params: Record<string, unknown>): Promise<number[][]> {
  const m = new EaseRecommender(params);
  await m.fit(fromLists(lists, n));
  return Array.from({ length: n }, (_, i) => {
    const out = new Float32Array(n);
    m.scoreInto(0, historyOf([i]), out);
    return Array.from(out);
  });
}

describe('EaseRecommender', () => {
  it.each(['products', 'customers', 'auto'])('matches B = -P / diag(P) computed directly (solver %s)', async (solver) => {
    for (const lambda of [0.5, 3]) {
      const expected = referenceB(LISTS, 5, lambda);
      const actual = await learnedB(LISTS, 5, { lambda, solver });
      expected.forEach((row, i) => row.forEach((v, j) => expect(actual[i][j]).toBeCloseTo(v, 6)));
    }
  });

  it('gives the same weights from both sides of the Woodbury identity on a larger set', async () => {
    const data = syntheticBank();
    const a = new EaseRecommender({ lambda: 2, solver: 'products' });
    const b = new EaseRecommender({ lambda: 2, solver: 'customers' });
    await a.fit(data);
    await b.fit(data);
    const x = new Float32Array(a.products);
    const y = new Float32Array(a.products);
    for (let c = 0; c < data.interactions.userItem.rows; c++) {
      const row = data.interactions.userItem.row(c);
      a.scoreInto(c, row, x);
      b.scoreInto(c, row, y);
      for (let p = 0; p < x.length; p++) expect(Math.abs(x[p] - y[p])).toBeLessThan(1e-5);
    }
  });

  it('scores a history as the sum of its rows of B', async () => {
    const m = new EaseRecommender({ lambda: 1 });
    await m.fit(fromLists(LISTS, 5));
    const b = await learnedB(LISTS, 5, { lambda: 1 });
    const out = new Float32Array(5);
    m.scoreInto(0, { indices: Int32Array.of(1, 4), data: Float32Array.of(1, 2) }, out);
    for (let j = 0; j < 5; j++) expect(out[j]).toBeCloseTo(b[1][j] + 2 * b[4][j], 5);
  });

  it('refuses catalogues above maxProducts in one line', async () => {
    const m = new EaseRecommender({ maxProducts: 4 });
    const err = await m.fit(fromLists(LISTS, 5)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NextbestError);
    expect((err as NextbestError).code).toBe('TOO_LARGE');
    expect((err as NextbestError).message).toMatch(/at most 4 products .* has 5/);
    expect((err as NextbestError).message).not.toContain('\n');
  });
});
