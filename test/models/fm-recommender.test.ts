import { beforeAll, describe, expect, it } from 'vitest';
import { buildSideFeatures, CsrMatrix, type SideFeatureRow } from '../../src/matrix/index.js';
import type { TrainingSet } from '../../src/models/contract.js';
import { FactorizationMachine, makeDesign } from '../../src/models/fm/index.js';
import { FmRecommender } from '../../src/models/fm-recommender.js';
import { createModel, resolveParams } from '../../src/models/registry.js';
import { sharedData } from '../helpers/shared-data.js';
import { fromLists } from './fixtures.js';
import { evaluateTopN, loadMlTopn, type MlTopn } from './ml-topn.js';

/**
 * 60 customers in two groups: group 0 holds four of products 0-5, group 1 four of products 6-11 (plus
 * one shared product 12 for everyone). Each customer's two unheld products of its own block are the
 * held-out ones. Customer 60 has no events, only its group as a side feature.
 */
function planted(): { data: TrainingSet; heldOut: number[][] } {
  const lists: number[][] = [];
  const heldOut: number[][] = [];
  for (let c = 0; c < 60; c++) {
    const block = c % 2 === 0 ? 0 : 6;
    const skip = [(c >> 1) % 6, ((c >> 1) + 3) % 6];
    const held = [0, 1, 2, 3, 4, 5].filter((j) => !skip.includes(j)).map((j) => block + j);
    lists.push([...held, 12]);
    heldOut.push(skip.map((j) => block + j).sort((a, b) => a - b));
  }
  lists.push([]);
  const data = fromLists(lists, 13);
  const rows: SideFeatureRow[] = lists.map((_, c) => ({ id: `c${c}`, name: 'group', num: null, str: c === 60 ? 'a' : c % 2 === 0 ? 'a' : 'b' }));
  return { data: { ...data, customerFeatures: buildSideFeatures(data.log.customers, rows) }, heldOut };
}

describe('fm recommender', () => {
  it('parses command-line strings and fills defaults', () => {
    expect(resolveParams('fm')).toEqual({ k: 32, iterations: 15, solver: 'sgd', loss: 'warp', maxSampled: 10, negatives: 4, seed: 42, features: ['ids'], buckets: 7 });
    expect(resolveParams('fm', { features: 'ids,customer,context' }).features).toEqual(['ids', 'customer', 'context']);
    expect(createModel('fm', { k: '8', solver: 'mcmc', loss: 'logistic', learnRate: '0.05', reg: '0' }).params).toMatchObject({
      k: 8,
      solver: 'mcmc',
      learnRate: 0.05,
      reg: 0,
    });
    expect(() => createModel('fm', { solver: 'adam' })).toThrow(/expected one of "sgd", "mcmc", "als"/);
    expect(() => createModel('fm', { loss: 'hinge' })).toThrow(/expected one of "logistic", "bpr", "warp"/);
  });

  it('trains the pairwise losses with SGD only', async () => {
    const model = new FmRecommender({ loss: 'warp', solver: 'als' });
    await expect(model.fit(planted().data)).rejects.toThrow('model fm: loss=warp trains with solver=sgd, not als; add loss=logistic to train with als');
  });

  describe.each([
    { solver: 'sgd', params: { k: 8, iterations: 60, learnRate: 0.05, loss: 'logistic' }, exact: 1 },
    { solver: 'als', params: { k: 8, iterations: 20, loss: 'logistic' }, exact: 1 },
    // Gibbs sampling fits each customer's sampled negatives (which include its held-out products) more
    // closely, so some customers get a product of the other block in their top 2.
    { solver: 'mcmc', params: { k: 4, iterations: 100, negatives: 2, loss: 'logistic' }, exact: 0.8 },
    { solver: 'sgd', params: { k: 8, iterations: 60, loss: 'bpr' }, exact: 1 },
    // WARP stops stepping once every held product clears the margin, so on this tiny example the
    // product factors keep much of their random start: the ranking is exact, cosine neighbours are not.
    { solver: 'sgd', params: { k: 8, iterations: 60, loss: 'warp' }, exact: 1, similar: false },
  ])('planted two-block example ($solver $params.loss)', ({ solver, params, exact, similar = true }) => {
    const { data, heldOut } = planted();
    const history = data.interactions.userItem;
    let model: FmRecommender;
    beforeAll(async () => {
      model = new FmRecommender({ ...params, solver, features: 'ids,customer' });
      await model.fit(data);
    });

    it("ranks each customer's held-out products of its own block first", () => {
      const customers = Int32Array.from({ length: 60 }, (_, c) => c);
      let right = 0;
      model.recommend(customers, { k: 2, history }).forEach((list, c) => {
        if ([...list.items].sort((a, b) => a - b).join() === heldOut[c].join()) right++;
      });
      expect(right / 60).toBeGreaterThanOrEqual(exact);
    });

    it('personalises a customer without events from its side features', () => {
      // Everyone holds product 12, so it may come anywhere; block a (0-5) must come before block b (6-11).
      const [list] = model.recommend(Int32Array.of(60), { k: 7, history });
      expect([...list.items].filter((p) => p !== 12).slice(0, 6).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    if (similar)
    it('finds similar items within the block (never the other block)', () => {
      const [list] = model.similarItems(Int32Array.of(0), 3);
      for (const p of list.items) expect(p < 6 || p === 12, `product ${p}`).toBe(true);
    });
  });

  it.each([
    { loss: 'logistic', link: (p: number) => Math.log(p / (1 - p)) },
    { loss: 'warp', link: (raw: number) => raw },
  ])('scores exactly as the factorization machine predicts the same rows ($loss)', async ({ loss, link }) => {
    const { data } = planted();
    const model = new FmRecommender({ k: 6, iterations: 10, loss, features: 'ids,customer' });
    await model.fit(data);
    const state = model.state();
    const fm = new FactorizationMachine();
    fm.restore({
      arrays: Object.fromEntries(Object.entries(state.arrays).filter(([k]) => k.startsWith('fm.')).map(([k, a]) => [k.slice(3), a])),
      json: state.json.fm as Record<string, unknown>,
    });
    const C = 61;
    const P = 13;
    const side = data.customerFeatures!.matrix;
    const cols = C + P + side.cols;
    // Customer 3 (trained): its id, the product id and its side features, one row per product.
    const u = 3;
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (let p = 0; p < P; p++) {
      r.push(p, p);
      c.push(u, C + p);
      v.push(1, 1);
      for (let t = side.indptr[u]; t < side.indptr[u + 1]; t++) (r.push(p), c.push(C + P + side.indices[t]), v.push(side.data[t]));
    }
    const x = CsrMatrix.fromCoo(P, cols, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v));
    const probs = fm.predict(makeDesign(x, new Float64Array(P)));
    const scores = new Float32Array(P);
    model.scoreInto(u, data.interactions.userItem.row(u), scores);
    for (let p = 0; p < P; p++) expect(scores[p]).toBeCloseTo(link(probs[p]), 4);
  });
});

const split = sharedData('ml-100k/splits/random-75-25');

describe('fm on ML-TOPN (K = 10)', () => {
  let data: MlTopn;
  beforeAll(() => {
    if (split.present) data = loadMlTopn(split.path);
  });

  // Measured with loss=logistic (k 32, 20 SGD epochs, 4 negatives): P@10 0.3467, NDCG@10 0.3933, ~4-12 s.
  it.skipIf(!split.present)('with the logistic loss beats popularity and holds its measured NDCG@10', async () => {
    const model = createModel('fm', { loss: 'logistic', iterations: '20' });
    await model.fit(data.train);
    const m = evaluateTopN(model, data);
    expect(m.ndcg).toBeGreaterThan(0.2447);
    expect(m.ndcg).toBeGreaterThanOrEqual(0.3933 - 0.01);
    expect(m.precision).toBeGreaterThan(0.219);
  }, 120_000);

  // Measured with the defaults (WARP, k 32, 15 epochs): P@10 0.3861, NDCG@10 0.4449 (LightFM WARP 0.3398 / 0.3942), ~1.4-4.5 s.
  it.skipIf(!split.present)('with the defaults (WARP) beats LightFM WARP and holds its measured figures', async () => {
    const model = createModel('fm');
    await model.fit(data.train);
    const m = evaluateTopN(model, data);
    expect(m.ndcg).toBeGreaterThanOrEqual(0.394);
    expect(m.ndcg).toBeCloseTo(0.4449, 2);
    expect(m.precision).toBeCloseTo(0.3861, 2);
  }, 120_000);
});
