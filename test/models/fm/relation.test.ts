// The time and held-products feature groups, and the held-products relation block that ALS and MCMC
// sweep on per-customer sums: it must give exactly what writing the block into every row gives.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { EventLogBuilder, subset, type EventLog } from '../../../src/matrix/event-log.js';
import {
  buildDesign,
  FactorizationMachine,
  heldProducts,
  predictRawWithRelation,
  rmseOf,
  timeCuts,
  withRelationInRows,
  type BuildDesignOptions,
} from '../../../src/models/fm/index.js';
import { FmParams } from '../../../src/models/fm/model.js';

/** 40 customers rating 12 products; the rating depends on how many of products 0-3 the customer rated. */
function ratings(seed: number): EventLog {
  const rng = new Rng(seed);
  const b = new EventLogBuilder();
  for (let u = 0; u < 40; u++) {
    const products = [...Array(12).keys()].filter(() => rng.next() < 0.45);
    if (products.length === 0) products.push(u % 12);
    const taste = products.filter((p) => p < 4).length / products.length;
    for (const p of products) b.add(`u${u}`, `p${p}`, u * 100 + p, 'rating', Math.round(1 + 4 * (p < 6 ? taste : 1 - taste) + rng.normal() * 0.3));
  }
  return b.build();
}

describe('time and held-products groups', () => {
  const b = new EventLogBuilder();
  b.add('u1', 'p1', 10, 'rating', 4);
  b.add('u1', 'p2', 20, 'rating', 2);
  b.add('u2', 'p2', 30, 'rating', 5);
  b.add('u2', 'p3', 40, 'rating', 3);
  const log = b.build();

  it('normalises each customer held set by 1/sqrt(size) and buckets time at training quantiles', () => {
    const held = heldProducts(log);
    expect(Array.from(held.row(0).indices)).toEqual([0, 1]);
    expect(Array.from(held.row(0).data)).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]);
    expect(timeCuts(log, 2)).toEqual([30]);
  });

  it('adds one-hot time buckets and the held block after the other groups', () => {
    const opts: BuildDesignOptions = { timeCuts: [30], held: heldProducts(log), heldLayout: 'rows' };
    const d = buildDesign(log, opts);
    expect(d.featureNames).toEqual([
      'customer:u1', 'customer:u2', 'product:p1', 'product:p2', 'product:p3',
      'time#0', 'time#1', 'held:p1', 'held:p2', 'held:p3',
    ]);
    expect(d.groupNames).toEqual(['customer', 'product', 'time', 'held']);
    const h = Math.fround(Math.SQRT1_2);
    expect(Array.from(d.x.row(0).indices)).toEqual([0, 2, 5, 7, 8]);
    expect(Array.from(d.x.row(3).indices)).toEqual([1, 4, 6, 8, 9]);
    expect(Array.from(d.x.row(3).data)).toEqual([1, 1, 1, h, h]);
    // As a block: the rows keep only their own features; written back, they equal the rows layout.
    const block = buildDesign(log, { ...opts, heldLayout: 'block' });
    expect(block.x.nnz).toBe(12);
    expect(block.relation?.offset).toBe(7);
    expect(Array.from(block.relation!.rowEntity)).toEqual([0, 0, 1, 1]);
    const back = withRelationInRows(block).x;
    for (let i = 0; i < 4; i++) expect(Array.from(back.row(i).indices).sort((a, c) => a - c)).toEqual(Array.from(d.x.row(i).indices));
    expect(() => buildDesign(log, { timeCuts: [30, 30] })).toThrow('time cuts must be strictly ascending');
  });
});

describe('held-products relation block', () => {
  const train = ratings(1);
  const opts: BuildDesignOptions = { held: heldProducts(train) };
  const block = buildDesign(train, opts);
  const rows = buildDesign(train, { ...opts, heldLayout: 'rows' });

  it('predicts as the rows layout does', () => {
    const rng = new Rng(3);
    const p = new FmParams(block.x.cols, 4);
    p.w0 = 0.3;
    for (let j = 0; j < p.n; j++) p.w[j] = rng.normal() * 0.2;
    for (let t = 0; t < p.v.length; t++) p.v[t] = rng.normal() * 0.3;
    const a = predictRawWithRelation(p, block.x, block.relation!);
    const b = p.predictRaw(rows.x);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 10);
  });

  it.each(['regression', 'classification'] as const)('ALS (%s) reaches the same parameters on either layout', (task) => {
    const fit = (d: typeof block) =>
      new FactorizationMachine().fit(d, { solver: 'als', task, k: 3, iterations: 8, reg: 2, seed: 5 }).result!.params;
    const a = fit(block);
    const b = fit(rows);
    expect(a.w0).toBeCloseTo(b.w0, 8);
    for (let j = 0; j < a.n; j++) expect(a.w[j]).toBeCloseTo(b.w[j], 8);
    for (let t = 0; t < a.v.length; t++) expect(a.v[t]).toBeCloseTo(b.v[t], 8);
  });

  it('MCMC on the block predicts held-out ratings as well as on the rows', () => {
    // Every fourth rating held out; the held set comes from the training ratings.
    const all = ratings(7);
    const fit = subset(all, Int32Array.from({ length: all.length }, (_, i) => i).filter((i) => i % 4 !== 0));
    const test = subset(all, Int32Array.from({ length: all.length }, (_, i) => i).filter((i) => i % 4 === 0));
    const held = heldProducts(fit);
    const rmse = (layout: 'block' | 'rows') => {
      const d = buildDesign(fit, { held, heldLayout: layout });
      const t = buildDesign(test, { held, heldLayout: layout });
      const fm = new FactorizationMachine().fit(d, { solver: 'mcmc', k: 3, iterations: 100, seed: 2, test: t });
      return rmseOf(t.y, fm.predict(t));
    };
    const onBlock = rmse('block');
    const onRows = rmse('rows');
    let mean = 0;
    for (let i = 0; i < fit.length; i++) mean += fit.value[i] / fit.length;
    const baseline = rmseOf(Array.from(test.value), new Float64Array(test.length).fill(mean));
    expect(onBlock).toBeLessThan(baseline - 0.2);
    // Same sweep order and draws: the chains agree up to rounding.
    expect(onBlock).toBeCloseTo(onRows, 6);
  });
});
