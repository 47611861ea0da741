// The two-tower model on small synthetic data: the TypeScript forward pass equals TensorFlow.js's on the
// same weights, fit is deterministic for a seed and leaks no tensors, state round-trips, the index
// serves the same lists, and the customer tower's attention goes to the one attribute that decides.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { buildInteractions, buildSideFeatures, EventLogBuilder, type SideFeatureRow } from '../../src/matrix/index.js';
import type { TrainingSet } from '../../src/models/contract.js';
import { makeBatch } from '../../src/models/neural/two-tower-batch.js';
import { logPopularity, positivePairs } from '../../src/models/neural/two-tower-fit.js';
import { addWideScores, customerPass, productPass } from '../../src/models/neural/two-tower-forward.js';
import { TwoTowerGraph } from '../../src/models/neural/two-tower-graph.js';
import { loadTf } from '../../src/models/neural/tf.js';
import { TwoTowerRecommender } from '../../src/models/neural/two-tower.js';
import { featureFields } from '../../src/models/neural/feature-fields.js';

const PLANS = 4;

/**
 * `customers` customers, 16 products in 4 groups: a customer's "plan" (one of 4) alone decides its group,
 * and it holds 3 of that group's 4 products; "colour" and "pet" are random, "age" a random number.
 */
function planted(customers: number, seed = 3): TrainingSet {
  const rng = new Rng(seed);
  const b = new EventLogBuilder();
  for (let p = 0; p < 16; p++) b.addProduct(`p${p}`);
  const rows: SideFeatureRow[] = [];
  const productRows: SideFeatureRow[] = [];
  for (let p = 0; p < 16; p++) productRows.push({ id: `p${p}`, name: 'kind', num: null, str: `k${p >> 2}` });
  for (let c = 0; c < customers; c++) {
    const id = `c${c}`;
    b.addCustomer(id);
    const plan = rng.int(PLANS);
    rows.push({ id, name: 'plan', num: null, str: `plan${plan}` });
    rows.push({ id, name: 'colour', num: null, str: `colour${rng.int(4)}` });
    rows.push({ id, name: 'pet', num: null, str: `pet${rng.int(4)}` });
    rows.push({ id, name: 'age', num: 18 + rng.int(60), str: null });
    const skip = rng.int(4);
    for (let k = 0; k < 4; k++) if (k !== skip) b.add(id, `p${plan * 4 + k}`, 1_700_000_000 + c * 10 + k, 'acquire', 1);
  }
  const log = b.build();
  return {
    log,
    interactions: buildInteractions(log, { binary: true }),
    customerFeatures: buildSideFeatures(log.customers, rows, { numeric: 'bucket', buckets: 4 }),
    productFeatures: buildSideFeatures(log.products, productRows),
  };
}

/** The restored model scores as the fitted one, and the fitted one lists the same top 5 from its product index. */
function expectSameScoresAndIndexedLists(a: TwoTowerRecommender, restored: TwoTowerRecommender, data: TrainingSet): void {
  const history = data.interactions.userItem;
  const s1 = new Float32Array(16);
  const s2 = new Float32Array(16);
  for (const c of [0, 5, 33]) {
    a.scoreInto(c, history.row(c), s1);
    restored.scoreInto(c, history.row(c), s2);
    expect(s2).toEqual(s1);
  }
  const customers = Int32Array.from({ length: history.rows }, (_, i) => i);
  const plain = a.recommend(customers, { k: 5, history });
  a.indexProducts();
  expect(a.recommend(customers, { k: 5, history }).map((l) => [...l.items])).toEqual(plain.map((l) => [...l.items]));
}

const small = { factors: 8, hidden: 8, epochs: 3, batchSize: 32, patience: 0, customerAttributes: '*', productAttributes: '*' };

describe('two-tower', () => {
  it('groups side-feature columns into fields by attribute', () => {
    const f = featureFields(['segment=MASS', 'age#0', 'segment=AFFLUENT', 'genre:Action=1', 'genre:Drama=1', 'age#1'], 'attr');
    expect(f.names).toEqual(['attr:segment', 'attr:age', 'attr:genre']);
    expect([...f.fieldOf]).toEqual([0, 1, 0, 2, 2, 1]);
  });

  it('the TypeScript forward pass equals the TensorFlow.js one on the same weights', async () => {
    const tf = await loadTf();
    const data = planted(40);
    const model = new TwoTowerRecommender(small);
    await model.fit(data);
    // Same layout as the model's: rebuild the graph on random weights and compare both passes.
    const cf = featureFields(data.customerFeatures!.features.ids(), 'attr');
    const pf = featureFields(data.productFeatures!.features.ids(), 'attr');
    const layout = {
      customerAttr: Int32Array.from(cf.fieldOf, (f) => f + 2),
      context: new Int32Array(0),
      productAttr: Int32Array.from(pf.fieldOf, (f) => f + 1),
      customerFields: 2 + cf.names.length,
      productFields: 1 + pf.names.length,
    };
    const { history } = positivePairs(data.interactions.userItem);
    const side = (m: typeof data.customerFeatures) => m!.matrix;
    const towerData = {
      layout, history, customerAttr: side(data.customerFeatures), productAttr: side(data.productFeatures), context: null, wide: side(data.customerFeatures),
      customerAttrColumns: cf.fieldOf.length, contextColumns: 0, productAttrColumns: pf.fieldOf.length, logQ: logPopularity(history),
    };
    // A wide part (held fixed in training) on the attribute columns, with weights from a seeded draw.
    const wideRng = new Rng(3);
    const wideWeights = Float32Array.from({ length: 16 * cf.fieldOf.length }, () => wideRng.normal());
    const graph = new TwoTowerGraph(tf, { customers: 40, products: 16, factors: 6, hidden: 5, customerAttrColumns: cf.fieldOf.length, contextColumns: 0, productAttrColumns: pf.fieldOf.length, layout, catalogue: { attr: new Float32Array(16 * pf.fieldOf.length), fields: new Float32Array(16 * layout.productFields) }, productBias: new Float32Array(16), wide: { weights: wideWeights, columns: cf.fieldOf.length } }, new Rng(1), { loss: 'softmax', negatives: 'batch', temperature: 1, l2: 0, learningRate: 0.05 });
    try {
      const owners = new Int32Array(history.nnz);
      for (let u = 0; u < 40; u++) owners.fill(u, history.indptr[u], history.indptr[u + 1]);
      const rng = new Rng(2);
      // Two steps so the biases and MLP leave their start, then a batch with whole histories.
      for (let s = 0; s < 2; s++) graph.step(makeBatch(towerData, Int32Array.from({ length: 32 }, (_, i) => i), owners, { historyLength: 2, leaveOut: true, dropout: 0.3, productDropout: 0.3, rng }));
      const pairs = Int32Array.from({ length: 24 }, (_, i) => i * 3);
      const batch = makeBatch(towerData, pairs, owners, { historyLength: 0, leaveOut: false, dropout: 0, productDropout: 0, rng });
      const [u, v] = tf.tidy(() => {
        const out = graph.forward(batch);
        return [out.customers.arraySync(), out.products.arraySync()];
      });
      const scores = tf.tidy(() => graph.scores(batch).arraySync());
      const w = graph.weights();
      // The wide part stays as given; the towers' share left its start at 0.
      expect([...w.wide]).toEqual([...wideWeights]);
      expect(w.deepScale).not.toBe(0);
      const vectors = Array.from(pairs, (q) => productPass(w, layout, { id: history.indices[q], attributes: data.productFeatures!.matrix.row(history.indices[q]) }).vector);
      pairs.forEach((q, b) => {
        const c = owners[q];
        const mine = customerPass(w, layout, { id: c, history: history.row(c).indices, attributes: data.customerFeatures!.matrix.row(c), context: { indices: new Int32Array(0), data: new Float32Array(0) } });
        const p = history.indices[q];
        const theirs = productPass(w, layout, { id: p, attributes: data.productFeatures!.matrix.row(p) });
        for (let k = 0; k < 6; k++) {
          expect(Math.abs(mine.vector[k] - u[b][k])).toBeLessThan(1e-4);
          expect(Math.abs(theirs.vector[k] - v[b][k])).toBeLessThan(1e-4);
        }
        // The whole score, the wide part's included, against every product of the batch.
        const wide = new Float64Array(16);
        addWideScores(w, cf.fieldOf.length, data.customerFeatures!.matrix.row(c), wide);
        pairs.forEach((r, j) => {
          const product = history.indices[r];
          let s = w.productBias[product] + wide[product];
          for (let k = 0; k < 6; k++) s += mine.vector[k] * vectors[j][k];
          expect(Math.abs(s - scores[b][j])).toBeLessThan(1e-4);
        });
      });
    } finally {
      graph.dispose();
    }
  });

  it('fits deterministically for a seed, frees its tensors, and restores to the same scores', async () => {
    const tf = await loadTf();
    const data = planted(60);
    const before = tf.memory().numTensors;
    const a = new TwoTowerRecommender({ ...small, patience: 1 });
    const losses: number[] = [];
    await a.fit(data, { onProgress: (p) => losses.push(p.loss ?? NaN) });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.length).toBeGreaterThan(0);
    expect(losses.every(Number.isFinite)).toBe(true);
    const b = new TwoTowerRecommender({ ...small, patience: 1 });
    await b.fit(data);
    const sa = a.state();
    const sb = b.state();
    for (const key of Object.keys(sa.arrays)) expect(sb.arrays[key], key).toEqual(sa.arrays[key]);
    const other = new TwoTowerRecommender({ ...small, patience: 1, seed: 7 });
    await other.fit(data);
    expect(other.state().arrays.customerId).not.toEqual(sa.arrays.customerId);

    const restored = new TwoTowerRecommender({ ...small, patience: 1 });
    restored.restore(sa);
    expectSameScoresAndIndexedLists(a, restored, data);
    expect(a.indexed).toBe(true);
    expect(a.similarItems(Int32Array.of(0), 3)[0].items.length).toBe(3);
  });

  it('with the wide part and a cross: restores to the same scores, and lists are the same with the product index', async () => {
    const data = planted(60);
    const params = { ...small, wide: true, wideCrosses: 'plan*colour' };
    const a = new TwoTowerRecommender(params);
    await a.fit(data);
    const state = a.state();
    // 4 plans x 4 colours crossed after the attribute columns.
    const columns = data.customerFeatures!.matrix.cols + 16;
    expect((state.arrays.wide as Float32Array).length).toBe(16 * columns);
    expect((state.arrays.wide as Float32Array).some((x) => x !== 0)).toBe(true);
    expect(typeof state.json.deepScale).toBe('number');
    const restored = new TwoTowerRecommender(params);
    restored.restore(state);
    expectSameScoresAndIndexedLists(a, restored, data);
  });

  it('with the wide part, a new customer is scored and explained from the attribute that decides', async () => {
    const data = planted(400);
    const model = new TwoTowerRecommender({ ...small, epochs: 4, patience: 1, idDropout: 1, wide: true });
    await model.fit(data);
    const features = data.customerFeatures!;
    const history = data.interactions.userItem;
    const none = { indices: new Int32Array(0), data: new Float32Array(0) };
    let right = 0;
    let named = 0;
    for (let c = 0; c < 100; c++) {
      const request = { customerFeatures: features.matrix.row(c) };
      const scores = new Float32Array(16);
      model.scoreInto(-1, none, scores, false, request);
      const top = scores.indexOf(Math.max(...scores));
      if (top >> 2 === history.row(c).indices[0] >> 2) right++;
      const [reason] = model.explain(-1, none, Int32Array.of(top), false, request);
      if (reason.kind === 'feature' && /^plan=/.test(features.features.id(reason.column))) named++;
    }
    expect(right).toBeGreaterThan(95);
    expect(named).toBeGreaterThan(95);
  }, 60_000);

  it('refuses wideCrosses without the wide part, or naming an attribute it does not read, in one line', async () => {
    const data = planted(40);
    for (const [params, says] of [
      [{ wideCrosses: 'plan*colour' }, 'add two-tower.wide=true'],
      [{ wide: true, wideCrosses: 'plan*zip' }, 'names attribute "zip"'],
    ] as const)
      await expect(new TwoTowerRecommender({ ...small, ...params }).fit(data)).rejects.toThrow(says);
  });

  const losses = async (params: object): Promise<number[]> => {
    const out: number[] = [];
    await new TwoTowerRecommender({ ...small, ...params }).fit(planted(100), { onProgress: (p) => out.push(p.loss ?? NaN) });
    return out;
  };

  it.each([{ loss: 'bpr' }, { negatives: 'all' }])('trains with %o too', async (params) => {
    const l = await losses(params);
    expect(l.length).toBe(3);
    expect(l[2]).toBeLessThan(l[0]);
  });

  it.each([{}, { loss: 'bpr' }, { negatives: 'all' }])('with the wide part and %o, training starts from its fit: the first epoch loses less than without', async (params) => {
    // The plan decides the product: the exact wide fit already ranks it, the towers alone must learn it.
    const [wide, plain] = [await losses({ ...params, wide: true }), await losses(params)];
    expect(wide.every(Number.isFinite)).toBe(true);
    expect(wide[0]).toBeLessThan(plain[0] * 0.8);
  });

  it('learns which attribute decides: the plan gets the largest attention, and new customers are scored from it', async () => {
    const data = planted(400);
    const model = new TwoTowerRecommender({ factors: 16, hidden: 16, epochs: 30, batchSize: 64, patience: 0, idDropout: 0.5, customerAttributes: '*', productAttributes: '*' });
    await model.fit(data);
    const features = data.customerFeatures!;
    const history = data.interactions.userItem;
    const fields = ['attr:plan', 'attr:colour', 'attr:pet', 'attr:age'];
    const sums = Object.fromEntries(fields.map((f) => [f, 0]));
    let right = 0;
    const none = { indices: new Int32Array(0), data: new Float32Array(0) };
    for (let c = 0; c < 100; c++) {
      // As a new customer: no id, no history, its attributes from the request.
      const request = { customerFeatures: features.matrix.row(c) };
      const [{ customer: weights }] = model.attention(-1, none, Int32Array.of(0), request);
      for (const f of fields) sums[f] += weights[f] / 100;
      const scores = new Float32Array(16);
      model.scoreInto(-1, none, scores, false, request);
      const top = scores.indexOf(Math.max(...scores));
      if (history.row(c).indices.includes(top) || (top >> 2) === (history.row(c).indices[0] >> 2)) right++;
    }
    const ranked = fields.slice().sort((a, b) => sums[b] - sums[a]);
    expect(ranked[0]).toBe('attr:plan');
    expect(sums['attr:plan']).toBeGreaterThan(0.4);
    expect(right).toBeGreaterThan(90);
    // The reason names the plan column for a new customer.
    const [reason] = model.explain(-1, none, Int32Array.of(history.row(0).indices[0]), false, { customerFeatures: features.matrix.row(0) });
    expect(reason.kind).toBe('feature');
    if (reason.kind === 'feature') expect(features.features.id(reason.column)).toMatch(/^plan=/);
  }, 120_000);
});
