// The context of each interaction pair: the share of the pair's positive events that carried each
// context feature, excluded keys and non-positive events left out; and a ranking FM that learns from it.
import { describe, expect, it } from 'vitest';
import { buildInteractions, buildPairContexts, EventLogBuilder } from '../../src/matrix/index.js';
import { FmRecommender } from '../../src/models/fm-recommender.js';

describe('buildPairContexts', () => {
  it('averages the context over the positive events of each pair', () => {
    const b = new EventLogBuilder();
    b.add('a', 'p', 1, 'click', 1, { tod: 'morning', page: 'home' });
    b.add('a', 'p', 2, 'click', 1, { tod: 'evening', page: 'home' });
    b.add('a', 'q', 3, 'checkout', 1, { tod: 'evening', page: 'offers' });
    b.add('b', 'q', 4, 'decline', 1, { tod: 'night' }); // weight 0: not a pair, not counted
    b.add('b', 'p', 5, 'click', 1, { tod: 'night', page: 'search' });
    const log = b.build();
    const { userItem } = buildInteractions(log);
    const pc = buildPairContexts(log, userItem, {}, (key) => key !== 'page');
    expect(pc.matrix.rows).toBe(userItem.nnz);
    const row = (customer: string, product: string): Record<string, number> => {
      const u = log.customers.index(customer);
      const q = userItem.indptr[u] + Array.from(userItem.row(u).indices).indexOf(log.products.index(product));
      const r = pc.matrix.row(q);
      return Object.fromEntries(Array.from(r.indices, (j, t) => [pc.features.id(j), r.data[t]]));
    };
    expect(row('a', 'p')).toEqual({ 'tod=morning': 0.5, 'tod=evening': 0.5 });
    expect(row('a', 'q')).toEqual({ 'tod=evening': 1 });
    expect(row('b', 'p')).toEqual({ 'tod=night': 1 });
    expect(pc.mean[pc.features.index('tod=evening')]).toBeCloseTo(1.5 / 3, 6);
    expect(pc.mean[pc.features.index('page=home')]).toBe(0);
  });

  it('weighs each event by its type\'s weight, and keeps every customer\'s exposures (displays too)', () => {
    const b = new EventLogBuilder();
    for (let t = 0; t < 10; t++) b.add('a', 'p', t, 'display', 1, { tod: 'morning' });
    b.add('a', 'p', 20, 'click', 1, { tod: 'evening' });
    b.add('a', 'q', 21, 'display', 1, { tod: 'evening' });
    b.add('b', 'p', 22, 'display', 1, { tod: 'night' });
    const log = b.build();
    const { userItem } = buildInteractions(log);
    const pc = buildPairContexts(log, userItem);
    const a = log.customers.index('a');
    const q = userItem.indptr[a] + Array.from(userItem.row(a).indices).indexOf(log.products.index('p'));
    const r = pc.matrix.row(q);
    const row = Object.fromEntries(Array.from(r.indices, (j, t) => [pc.features.id(j), r.data[t]]));
    // ten displays at 0.1 and one click at 1: half the pair's context is the click's
    expect(row['tod=morning']).toBeCloseTo(0.5, 6);
    expect(row['tod=evening']).toBeCloseTo(0.5, 6);
    const exposures = (customer: string) => {
      const u = log.customers.index(customer);
      const ex = pc.exposures;
      const out: Record<string, number> = {};
      for (let e = ex.customerPtr[u]; e < ex.customerPtr[u + 1]; e++) out[Array.from(ex.matrix.row(ex.context[e]).indices, (j) => pc.features.id(j)).join(',')] = ex.events[e];
      return out;
    };
    expect(exposures('a')).toEqual({ 'tod=morning': 10, 'tod=evening': 2 });
    expect(exposures('b')).toEqual({ 'tod=night': 1 });
  });
});

describe('ranking fm with context', () => {
  /** 40 customers, each clicking half the products: products 0-2 in the morning, 3-5 in the evening. */
  function data() {
    const b = new EventLogBuilder();
    for (let p = 0; p < 6; p++) b.addProduct(`p${p}`);
    for (let c = 0; c < 40; c++)
      for (let p = 0; p < 6; p++) if ((c + p) % 2 === 0) b.add(`c${c}`, `p${p}`, c * 10 + p, 'click', 1, { tod: p < 3 ? 'morning' : 'evening' });
    const log = b.build();
    const interactions = buildInteractions(log);
    return { log, interactions, pairContexts: buildPairContexts(log, interactions.userItem) };
  }

  it.each(['warp', 'logistic'])('trains on the pairs\' context and scores with their mean, the same after a restore (%s)', async (loss) => {
    const d = data();
    const model = new FmRecommender({ k: 4, iterations: 30, loss, features: 'ids,context' });
    await model.fit(d);
    const state = model.state();
    expect(state.json.contextFeatures).toBe(2);
    Array.from(state.arrays.context as Float32Array).forEach((x) => expect(x).toBeCloseTo(0.5, 5));
    const restored = new FmRecommender({ k: 4, iterations: 30, loss, features: 'ids,context' });
    restored.restore(state);
    const a = new Float32Array(6);
    const b = new Float32Array(6);
    model.scoreInto(3, d.interactions.userItem.row(3), a);
    restored.scoreInto(3, d.interactions.userItem.row(3), b);
    expect(Array.from(b)).toEqual(Array.from(a));
    await expect(new FmRecommender({ features: 'ids,context' }).fit({ log: d.log, interactions: d.interactions })).rejects.toThrow(
      'model fm: features=ids,context needs context features, which the training data lacks',
    );
  });
});
