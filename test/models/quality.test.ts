// Quality on ML-TOPN (../shared/BENCHMARKS.md), K = 10: each model must reach its target, and stays
// within a small tolerance of the figures measured when it was written (a regression guard both ways).
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../src/models/registry.js';
import { sharedData } from '../helpers/shared-data.js';
import { evaluateTopN, loadMlTopn, type MlTopn, type TopNMetrics } from './ml-topn.js';

const split = sharedData('ml-100k/splits/random-75-25');

type Figures = Omit<TopNMetrics, 'users'>;

interface QualityCase {
  label: string;
  name: string;
  params: Record<string, string | number | boolean>;
  /** Measured with these params; asserted to within TOLERANCE. */
  measured: Figures;
  /** The target from the issue / the peer figure to reach. */
  atLeast: Partial<Figures>;
}

const TOLERANCE = 0.003;

const CASES: QualityCase[] = [
  {
    // The SAR row: Jaccard, 30-day decay, rating-weighted affinities.
    label: 'sims (SAR config)',
    name: 'sims',
    params: { similarity: 'jaccard', halfLifeDays: 30, useValue: true },
    measured: { precision: 0.3165, recall: 0.1767, ndcg: 0.3661, map: 0.2315 },
    atLeast: { precision: 0.316 },
  },
  {
    label: 'sims jaccard',
    name: 'sims',
    params: { similarity: 'jaccard' },
    measured: { precision: 0.3179, recall: 0.1776, ndcg: 0.368, map: 0.2339 },
    atLeast: { precision: 0.316 },
  },
  {
    label: 'item-knn',
    name: 'item-knn',
    params: { neighbours: 200, shrink: 10 },
    measured: { precision: 0.3732, recall: 0.2042, ndcg: 0.4295, map: 0.2883 },
    atLeast: { ndcg: 0.38 },
  },
  {
    label: 'user-knn',
    name: 'user-knn',
    params: { neighbours: 70, shrink: 0 },
    measured: { precision: 0.3624, recall: 0.1961, ndcg: 0.4226, map: 0.282 },
    atLeast: { ndcg: 0.41 },
  },
  {
    label: 'ease',
    name: 'ease',
    params: { lambda: 500 },
    measured: { precision: 0.4056, recall: 0.2185, ndcg: 0.4724, map: 0.33 },
    atLeast: { ndcg: 0.46 },
  },
  {
    // The same model through the products-side Cholesky inverse (1682 x 1682) instead of Woodbury.
    label: 'ease (products solver)',
    name: 'ease',
    params: { lambda: 500, solver: 'products' },
    measured: { precision: 0.4056, recall: 0.2185, ndcg: 0.4724, map: 0.33 },
    atLeast: { ndcg: 0.46 },
  },
];

describe('ML-TOPN quality (K = 10)', () => {
  let data: MlTopn;
  beforeAll(() => {
    if (split.present) data = loadMlTopn(split.path);
  });

  it.skipIf(!split.present)('popularity reproduces the benchmark row to 4 decimals', async () => {
    const model = createModel('popularity');
    await model.fit(data.train);
    const m = evaluateTopN(model, data);
    expect(m.users).toBe(943);
    expect(m.precision).toBeCloseTo(0.219, 4);
    expect(m.recall).toBeCloseTo(0.1098, 4);
    expect(m.ndcg).toBeCloseTo(0.2447, 4);
    expect(m.map).toBeCloseTo(0.1316, 4);
  });

  it.skipIf(!split.present).each(CASES)('$label reaches its target', async (c) => {
    const model = createModel(c.name, c.params);
    await model.fit(data.train);
    const m = evaluateTopN(model, data);
    for (const [key, min] of Object.entries(c.atLeast)) expect(m[key as keyof Figures], key).toBeGreaterThanOrEqual(min);
    for (const [key, value] of Object.entries(c.measured))
      expect(Math.abs(m[key as keyof Figures] - value), `${key} = ${m[key as keyof Figures].toFixed(4)}`).toBeLessThan(TOLERANCE);
  });
});
