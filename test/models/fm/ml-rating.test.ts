// ML-RATING quality (../shared/BENCHMARKS.md): ml-100k u1.base -> u1.test RMSE, k = 8. libFM 1.4.4
// figures to beat: MCMC +side 0.9039, ALS +side 0.9152, MCMC ids only 0.9239, SGD ids only 0.9286; the
// issue's targets: MCMC +side <= 0.900, ALS +side <= 0.915 (both met with the held-products group,
// "+side +held"). Each case asserts the figure measured when it was written (`measured`, seed 1) and
// its bound.
import { beforeAll, describe, expect, it } from 'vitest';
import { FactorizationMachine, rmseOf, type FmFitOptions } from '../../../src/models/fm/index.js';
import { sharedData } from '../../helpers/shared-data.js';
import { loadMlRating, type MlRating } from './ml-rating.js';

const data = sharedData('ml-100k');

type Layout = 'ids' | 'side' | 'held';

interface Case {
  label: string;
  /** ids only, +side, or +side and the user's u1.base movies (held products, as a relation block). */
  layout: Layout;
  opts: FmFitOptions;
  /** Measured with these options (seed 1). */
  measured: number;
  max: number;
}

const CASES: Case[] = [
  { label: 'MCMC +side +held products, 100 samples', layout: 'held', opts: { solver: 'mcmc', iterations: 100 }, measured: 0.8981, max: 0.9 },
  { label: 'MCMC +side, 100 samples', layout: 'side', opts: { solver: 'mcmc', iterations: 100 }, measured: 0.9018, max: 0.9039 },
  { label: 'MCMC ids only, 100 samples', layout: 'ids', opts: { solver: 'mcmc', iterations: 100 }, measured: 0.9111, max: 0.924 },
  {
    // reg per group: customer, product ids 10, side attributes 30 (age, gender, occupation, genre).
    label: 'ALS +side +held products, 30 sweeps, reg 10 ids / 30 side and held, init 0.05',
    layout: 'held',
    opts: { solver: 'als', iterations: 30, initStdev: 0.05, reg: { w: 10, v: [10, 10, 30, 30, 30, 30, 30] } },
    measured: 0.9108,
    max: 0.915,
  },
  {
    label: 'ALS +side, 30 sweeps, reg 10 ids / 30 side, init 0.05',
    layout: 'side',
    opts: { solver: 'als', iterations: 30, initStdev: 0.05, reg: { w: 10, v: [10, 10, 30, 30, 30, 30] } },
    measured: 0.9177,
    max: 0.919,
  },
  {
    label: 'SGD +side, 60 epochs, lr 0.003, reg 0.05',
    layout: 'side',
    opts: { solver: 'sgd', iterations: 60, learnRate: 0.003, reg: 0.05 },
    // Seeds 1-3: 0.9274, 0.9201, 0.9254.
    measured: 0.9274,
    max: 0.93,
  },
  {
    label: 'SGD ids only, 100 epochs, lr 0.01, reg 0.12',
    layout: 'ids',
    opts: { solver: 'sgd', iterations: 100, learnRate: 0.01, reg: 0.12 },
    // Seeds 1-3: 0.9286, 0.9267, 0.9272 (libFM SGD user+item: 0.9286).
    measured: 0.9286,
    max: 0.929,
  },
];

describe.skipIf(!data.present)('ML-RATING (ml-100k u1, k = 8)', () => {
  let sideDesign: MlRating;
  let idsDesign: MlRating;
  let heldDesign: MlRating;
  beforeAll(async () => {
    sideDesign = await loadMlRating(data.path, { side: true });
    idsDesign = await loadMlRating(data.path, { side: false });
    heldDesign = await loadMlRating(data.path, { side: true, held: true });
  }, 60_000);

  it('builds the u1 designs with the benchmark side features', () => {
    expect(sideDesign.train.x.rows).toBe(80_000);
    expect(sideDesign.test.x.rows).toBe(20_000);
    // 943 users + 1682 items + 7 age buckets + 2 genders + 21 occupations + 19 genres
    expect(sideDesign.train.x.cols).toBe(943 + 1682 + 7 + 2 + 21 + 19);
    expect(sideDesign.train.groupNames).toEqual([
      'customer',
      'product',
      'customer.age',
      'customer.gender',
      'customer.occupation',
      'product.genre',
    ]);
    expect(idsDesign.train.x.nnz).toBe(160_000);
    // Held products: 1,650 more columns (one per u1.base movie) in one group, kept as a block of the
    // 943 users' 80,000 (user, movie) pairs instead of ~13.4 M row entries.
    expect(heldDesign.train.x.cols).toBe(sideDesign.train.x.cols + 1682);
    expect(heldDesign.train.x.nnz).toBe(sideDesign.train.x.nnz);
    expect(heldDesign.train.relation?.matrix.nnz).toBe(80_000);
    expect(heldDesign.train.groupNames.at(-1)).toBe('held');
  });

  for (const c of CASES) {
    it(
      `${c.label}: RMSE <= ${c.max}`,
      () => {
        const d = { ids: idsDesign, side: sideDesign, held: heldDesign }[c.layout];
        const started = performance.now();
        const fm = new FactorizationMachine().fit(d.train, { k: 8, seed: 1, ...c.opts, test: d.test });
        const rmse = rmseOf(d.test.y, fm.predict(d.test));
        console.log(`ML-RATING ${c.label}: RMSE ${rmse.toFixed(4)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        expect(rmse).toBeLessThanOrEqual(c.max);
        expect(rmse).toBeCloseTo(c.measured, 3);
      },
      180_000,
    );
  }
});
