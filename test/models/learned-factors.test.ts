// learnedFactors, what the dashboard's Clusters page projects: the rows of the customers trained on and
// of every product, as the model's saved state holds them (ALS: user / item; FM: the id features' factors).
import { describe, expect, it } from 'vitest';
import { AlsRecommender } from '../../src/models/als.js';
import { FmRecommender } from '../../src/models/fm-recommender.js';
import { fromLists } from './fixtures.js';

// Customers 0-3 with events, customer 4 without (not trained on).
const data = fromLists([[0, 1], [1, 2], [2, 3], [0, 3], []], 4);

describe('learnedFactors', () => {
  it('als: the known customers\' and every product\'s rows of its state', async () => {
    const model = new AlsRecommender({ factors: 3, iterations: 3 });
    await model.fit(data);
    const state = model.state();
    const customers = model.learnedFactors('customers');
    expect([...customers.index]).toEqual([0, 1, 2, 3]);
    expect([...customers.rows]).toEqual([...(state.arrays.user as Float32Array).subarray(0, 12)]);
    const products = model.learnedFactors('products');
    expect(products.dims).toBe(3);
    expect([...products.index]).toEqual([0, 1, 2, 3]);
    expect([...products.rows]).toEqual([...(state.arrays.item as Float32Array)]);
  });

  it('fm: the id features\' factors, customers first, then products', async () => {
    const model = new FmRecommender({ k: 2, iterations: 5, features: 'ids', seed: 1 });
    await model.fit(data);
    const v = model.state().arrays['fm.v'] as Float64Array;
    const customers = model.learnedFactors('customers');
    expect([...customers.index]).toEqual([0, 1, 2, 3]);
    expect([...customers.rows]).toEqual([...Float32Array.from(v.subarray(0, 8))]);
    const products = model.learnedFactors('products');
    expect([...products.index]).toEqual([0, 1, 2, 3]);
    // Products' id features follow the 5 customers' (customer 4 included, untrained).
    expect([...products.rows]).toEqual([...Float32Array.from(v.subarray(5 * 2, 9 * 2))]);
  });
});
