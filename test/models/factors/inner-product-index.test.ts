// The inner-product index a server uses for factor models over large catalogues (usearch candidates,
// then the norm-bounded check): its top-k (after leaving out held products) equals the exact top-k of
// scoring every product, items and scores, on a 20,000-product catalogue of clustered factors with
// product biases, and an ALS model's lists are unchanged once indexed (bench/serve.ts checks the same
// on a trained ALS model of 20,000 products).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { CsrMatrix, topK } from '../../../src/matrix/index.js';
import { AlsRecommender } from '../../../src/models/als.js';
import { InnerProductIndex } from '../../../src/models/factors/inner-product-index.js';
import { scoreAll } from '../../../src/models/mf-common.js';

const PRODUCTS = 20_000;
const FACTORS = 16;

/** Rows around 40 centres, as trained product (or customer) factors cluster. */
function clustered(rng: Rng, rows: number, centres: number[][]): Float32Array {
  const x = new Float32Array(rows * FACTORS);
  for (let i = 0; i < rows; i++) {
    const c = centres[Math.floor(rng.next() * centres.length)];
    for (let d = 0; d < FACTORS; d++) x[i * FACTORS + d] = c[d] + rng.normal() * 0.3;
  }
  return x;
}

const rng = new Rng(3);
const centres = Array.from({ length: 40 }, () => Array.from({ length: FACTORS }, () => rng.normal()));
const item = clustered(rng, PRODUCTS, centres);
const bias = Float32Array.from({ length: PRODUCTS }, () => rng.normal() * 0.2);
const customers = 300;
const user = clustered(rng, customers, centres);

function exact(x: Float32Array, k: number, skip: Uint8Array, b: Float32Array): { items: number[]; scores: number[] } {
  const acc = new Float64Array(PRODUCTS);
  scoreAll(x, item, b, PRODUCTS, FACTORS, acc);
  const l = topK(Float32Array.from(acc), k, skip);
  return { items: [...l.items], scores: [...l.scores] };
}

describe('InnerProductIndex', () => {
  it('gives the exact top-10 for every customer, with held products left out', () => {
    const index = new InnerProductIndex(item, bias, PRODUCTS, FACTORS);
    let equal = 0;
    for (let u = 0; u < customers; u++) {
      const x = user.subarray(u * FACTORS, (u + 1) * FACTORS);
      const skip = new Uint8Array(PRODUCTS);
      const held = exact(x, 5, new Uint8Array(PRODUCTS), bias).items.slice(0, 1 + (u % 5)); // some of its best products are held
      for (const p of held) skip[p] = 1;
      const got = index.topK(x, 10, skip, held.length);
      const want = exact(x, 10, skip, bias);
      expect(got.items.some((p) => skip[p])).toBe(false);
      if (JSON.stringify([...got.items]) === JSON.stringify(want.items) && JSON.stringify([...got.scores]) === JSON.stringify(want.scores)) equal++;
    }
    expect(equal).toBe(customers);
  });

  it('serves an ALS model\'s lists unchanged once its products are indexed', async () => {
    const model = new AlsRecommender({ factors: FACTORS });
    const state = {
      arrays: { user, item, itemBias: new Float32Array(0), known: new Uint8Array(customers).fill(1), cold: new Float32Array(FACTORS) },
      json: { params: model.params, customers, products: PRODUCTS, factors: FACTORS },
    };
    model.restore(state);
    // Each customer holds three products.
    const indptr = Int32Array.from({ length: customers + 1 }, (_, u) => 3 * u);
    const indices = Int32Array.from({ length: 3 * customers }, (_, t) => (t * 7919) % PRODUCTS);
    const history = new CsrMatrix(customers, PRODUCTS, indptr, indices, new Float32Array(3 * customers).fill(1));
    const all = Int32Array.from({ length: customers }, (_, u) => u);
    const scanned = model.recommend(all, { k: 10, history });
    model.indexProducts();
    expect(model.indexed).toBe(true);
    const indexed = model.recommend(all, { k: 10, history });
    expect(indexed.map((l) => [...l.items])).toEqual(scanned.map((l) => [...l.items]));
    expect(indexed.map((l) => [...l.scores])).toEqual(scanned.map((l) => [...l.scores]));
    model.restore(state);
    expect(model.indexed).toBe(false);
  });
});
