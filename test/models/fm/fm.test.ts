import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { aucBinary } from '../../../src/eval/metrics/index.js';
import { CsrMatrix } from '../../../src/matrix/csr.js';
import { EventLogBuilder } from '../../../src/matrix/event-log.js';
import {
  buildDesign,
  FactorizationMachine,
  FmParams,
  formatLibfm,
  gamma,
  makeDesign,
  parseLibfm,
  readLibfmDesign,
  rmseOf,
  truncatedNormal,
  truncatedNormalMean,
  writeLibfmDesign,
  type Design,
  type FmSolver,
} from '../../../src/models/fm/index.js';

/** Random sparse rows: `perRow` distinct features out of n, values in (0.5, 1.5) or 1. */
function randomX(rng: Rng, rows: number, n: number, perRow: number, binary = false): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) {
    const used = new Set<number>();
    while (used.size < perRow) used.add(rng.int(n));
    for (const j of used) {
      r.push(i);
      c.push(j);
      v.push(binary ? 1 : 0.5 + rng.next());
    }
  }
  return CsrMatrix.fromCoo(rows, n, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v));
}

function randomParams(rng: Rng, n: number, k: number, scale = 0.5): FmParams {
  const p = new FmParams(n, k);
  p.w0 = 0.3;
  for (let j = 0; j < n; j++) p.w[j] = scale * rng.normal();
  for (let t = 0; t < n * k; t++) p.v[t] = scale * rng.normal();
  return p;
}

/** The definition: w0 + sum_j w_j x_j + sum_{j<l} <v_j, v_l> x_j x_l over the dense row. */
function naive(p: FmParams, x: CsrMatrix, i: number): number {
  const dense = new Float64Array(p.n);
  for (let t = x.indptr[i]; t < x.indptr[i + 1]; t++) dense[x.indices[t]] = x.data[t];
  let out = p.w0;
  for (let j = 0; j < p.n; j++) out += p.w[j] * dense[j];
  for (let j = 0; j < p.n; j++)
    for (let l = j + 1; l < p.n; l++) {
      let dot = 0;
      for (let f = 0; f < p.k; f++) dot += p.v[j * p.k + f] * p.v[l * p.k + f];
      out += dot * dense[j] * dense[l];
    }
  return out;
}

/**
 * Planted FM: a user-item-like design (one of U "users", one of I "items", one of A "attributes")
 * with targets from a known FM plus noise.
 */
function planted(seed: number, rows: number, noise: number, task: 'regression' | 'classification'): { train: Design; test: Design; truth: FmParams } {
  const rng = new Rng(seed);
  const U = 60;
  const I = 40;
  const A = 5;
  const n = U + I + A;
  const k = 3;
  const truth = new FmParams(n, k);
  truth.w0 = task === 'regression' ? 3 : 0;
  for (let j = 0; j < n; j++) truth.w[j] = 0.3 * rng.normal();
  for (let t = 0; t < n * k; t++) truth.v[t] = 0.5 * rng.normal();
  const make = (count: number): Design => {
    const r = new Int32Array(count * 3);
    const c = new Int32Array(count * 3);
    for (let i = 0; i < count; i++) {
      r.fill(i, 3 * i, 3 * i + 3);
      c[3 * i] = rng.int(U);
      c[3 * i + 1] = U + rng.int(I);
      c[3 * i + 2] = U + I + rng.int(A);
    }
    const x = CsrMatrix.fromCoo(count, n, r, c, new Float32Array(count * 3).fill(1));
    const y = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const raw = truth.predictRow(x, i);
      y[i] = task === 'regression' ? raw + noise * rng.normal() : rng.next() < 1 / (1 + Math.exp(-2 * raw)) ? 1 : 0;
    }
    const groups = new Int32Array(n);
    groups.fill(1, U, U + I);
    groups.fill(2, U + I);
    return makeDesign(x, y, { groups, groupNames: ['user', 'item', 'attr'] });
  };
  return { train: make(rows), test: make(2000), truth };
}

describe('FM prediction', () => {
  it('equals the naive pairwise sum', () => {
    const rng = new Rng(7);
    const x = randomX(rng, 30, 12, 5);
    const p = randomParams(rng, 12, 4);
    const raw = p.predictRaw(x);
    for (let i = 0; i < x.rows; i++) expect(raw[i]).toBeCloseTo(naive(p, x, i), 9);
    // factor sums handed back for SGD
    const sum = new Float64Array(4);
    p.predictRow(x, 3, sum);
    for (let f = 0; f < 4; f++) {
      let s = 0;
      for (let t = x.indptr[3]; t < x.indptr[4]; t++) s += p.v[x.indices[t] * 4 + f] * x.data[t];
      expect(sum[f]).toBeCloseTo(s, 12);
    }
  });

  it('ignores features beyond the model (cold features)', () => {
    const p = randomParams(new Rng(1), 3, 2);
    const x = CsrMatrix.fromCoo(1, 5, Int32Array.of(0, 0, 0), Int32Array.of(0, 2, 4), Float32Array.of(1, 1, 1));
    const y = CsrMatrix.fromCoo(1, 3, Int32Array.of(0, 0), Int32Array.of(0, 2), Float32Array.of(1, 1));
    expect(p.predictRow(x, 0)).toBeCloseTo(p.predictRow(y, 0), 12);
  });
});

describe('random draws', () => {
  it('gamma has the right mean and variance', () => {
    const rng = new Rng(3);
    for (const [shape, rate] of [
      [0.5, 2],
      [3, 0.5],
      [50, 10],
    ]) {
      let s = 0;
      let s2 = 0;
      const m = 20000;
      for (let i = 0; i < m; i++) {
        const g = gamma(rng, shape, rate);
        s += g;
        s2 += g * g;
      }
      const mean = s / m;
      expect(mean).toBeCloseTo(shape / rate, 1);
      expect(s2 / m - mean * mean).toBeGreaterThan(0.85 * (shape / rate ** 2));
      expect(s2 / m - mean * mean).toBeLessThan(1.15 * (shape / rate ** 2));
    }
  });

  it('truncated normal stays on its side with the analytic mean', () => {
    const rng = new Rng(5);
    for (const mean of [-3, -0.5, 0, 1, 4]) {
      for (const pos of [true, false]) {
        let s = 0;
        let wrongSide = 0;
        for (let i = 0; i < 5000; i++) {
          const z = truncatedNormal(rng, mean, pos);
          if (pos ? !(z > 0) : !(z < 0)) wrongSide++;
          s += z;
        }
        expect(wrongSide).toBe(0);
        expect(s / 5000).toBeCloseTo(truncatedNormalMean(mean, pos), 1);
      }
    }
    expect(truncatedNormalMean(-40, true)).toBeGreaterThan(0);
  });
});

describe('solvers recover a planted FM', () => {
  const noise = 0.1;
  const data = planted(11, 6000, noise, 'regression');
  const cases: { solver: FmSolver; opts: object; max: number }[] = [
    { solver: 'mcmc', opts: { iterations: 60 }, max: 0.16 },
    { solver: 'als', opts: { iterations: 40, reg: 1 }, max: 0.18 },
    { solver: 'sgd', opts: { iterations: 200, learnRate: 0.02, reg: 0.0005 }, max: 0.2 },
  ];
  for (const c of cases) {
    it(`${c.solver} reaches near-noise RMSE`, () => {
      const fm = new FactorizationMachine().fit(data.train, { solver: c.solver, k: 3, seed: 2, ...c.opts, test: data.test });
      const rmse = rmseOf(data.test.y, fm.predict(data.test));
      // The spread of the targets is about 1.2; the noise floor is 0.1.
      expect(rmse).toBeLessThan(c.max);
    });
  }

  it('regression predictions are clipped to the training range', () => {
    const fm = new FactorizationMachine().fit(data.train, { solver: 'als', k: 3, iterations: 5 });
    const p = fm.predict(data.test);
    let lo = Infinity;
    let hi = -Infinity;
    for (const y of data.train.y) (lo = Math.min(lo, y)), (hi = Math.max(hi, y));
    for (const v of p) expect(v >= lo && v <= hi).toBe(true);
  });

  it('MCMC predicts new designs from kept samples, close to the averaged test predictions', () => {
    const fm = new FactorizationMachine().fit(data.train, { solver: 'mcmc', k: 3, iterations: 40, seed: 4, test: data.test });
    const averaged = fm.predict(data.test);
    const copy: Design = { ...data.test };
    const fromSamples = fm.predict(copy);
    expect(rmseOf(averaged, fromSamples)).toBeLessThan(0.05);
    expect(fm.result!.samples.length).toBe(20);
  });

  it('state and restore give the same predictions', () => {
    for (const solver of ['sgd', 'mcmc'] as const) {
      const fm = new FactorizationMachine().fit(data.train, { solver, k: 3, iterations: 10 });
      const again = new FactorizationMachine();
      again.restore(fm.state());
      const other: Design = { ...data.test };
      expect(Array.from(again.predict(other))).toEqual(Array.from(fm.predict(other)));
    }
  });

  it('rejects an unfitted predict and bad options', () => {
    expect(() => new FactorizationMachine().predict(data.test)).toThrow(/not fitted/);
    expect(() => new FactorizationMachine().fit(data.train, { solver: 'x' as FmSolver })).toThrow(/solver/);
    expect(() => new FactorizationMachine().fit(data.train, { solver: 'als', reg: { v: [1, 2] } })).toThrow(/3 feature groups/);
  });
});

describe('classification', () => {
  const data = planted(21, 8000, 0, 'classification');
  const truthAuc = aucBinary(data.test.y, data.truth.predictRaw(data.test.x));
  for (const solver of ['mcmc', 'als', 'sgd'] as const) {
    it(`${solver} ranks a planted logistic problem (AUC > 0.8)`, () => {
      const opts = solver === 'sgd' ? { iterations: 60, learnRate: 0.05, reg: 0.001 } : solver === 'als' ? { iterations: 30, reg: 2 } : { iterations: 60 };
      const fm = new FactorizationMachine().fit(data.train, { solver, task: 'classification', k: 3, seed: 3, ...opts, test: data.test });
      const p = fm.predict(data.test);
      for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
      const auc = aucBinary(data.test.y, p);
      expect(auc).toBeGreaterThan(0.8);
      expect(auc).toBeGreaterThan(truthAuc - 0.05);
    });
  }
});

describe('design', () => {
  it('lays out ids, side features and context in blocks with groups', () => {
    const b = new EventLogBuilder();
    b.add('u1', 'p1', 0, 'rating', 4, { channel: 'web' });
    b.add('u2', 'p2', 1, 'rating', 2, { channel: 'branch' });
    b.add('u1', 'p2', 2, 'rating', 5);
    const log = b.build();
    const cust = CsrMatrix.fromCoo(2, 2, Int32Array.of(0, 1), Int32Array.of(0, 1), Float32Array.of(1, 1));
    const prod = CsrMatrix.fromCoo(2, 1, Int32Array.of(1), Int32Array.of(0), Float32Array.of(0.5));
    const d = buildDesign(log, {
      customerFeatures: { matrix: cust, features: ['segment=retail', 'segment=private'] },
      productFeatures: prod,
      context: true,
    });
    expect(d.featureNames).toEqual([
      'customer:u1',
      'customer:u2',
      'product:p1',
      'product:p2',
      'customer.segment=retail',
      'customer.segment=private',
      'product.0',
      'context:channel=web',
      'context:channel=branch',
    ]);
    expect(d.groupNames).toEqual(['customer', 'product', 'customer.segment', 'product.features', 'context.channel']);
    expect(Array.from(d.groups)).toEqual([0, 0, 1, 1, 2, 2, 3, 4, 4]);
    expect(Array.from(d.y)).toEqual([4, 2, 5]);
    const row = (i: number): [number, number][] => Array.from(d.x.row(i).indices, (j, t) => [j, d.x.row(i).data[t]]);
    expect(row(0)).toEqual([[0, 1], [2, 1], [4, 1], [7, 1]]);
    expect(row(1)).toEqual([[1, 1], [3, 1], [5, 1], [6, 0.5], [8, 1]]);
    expect(row(2)).toEqual([[0, 1], [3, 1], [4, 1], [6, 0.5]]);
    const noIds = buildDesign(log, { ids: false, productFeatures: prod });
    expect(noIds.x.cols).toBe(1);
    expect(noIds.x.nnz).toBe(2);
  });
});

describe('libFM text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fm-libfm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a design with names and groups', () => {
    const rng = new Rng(9);
    const x = randomX(rng, 25, 10, 3);
    const y = Float64Array.from({ length: 25 }, () => Math.round(rng.next() * 40) / 8);
    const groups = Int32Array.from({ length: 10 }, (_, j) => (j < 4 ? 0 : 1));
    const d = makeDesign(x, y, { groups, groupNames: ['a', 'b'], featureNames: Array.from({ length: 10 }, (_, j) => `feat ${j}`) });
    const path = join(dir, 'train.libfm');
    writeLibfmDesign(path, d);
    const back = readLibfmDesign(path);
    expect(Array.from(back.y)).toEqual(Array.from(d.y));
    expect(Array.from(back.x.indptr)).toEqual(Array.from(d.x.indptr));
    expect(Array.from(back.x.indices)).toEqual(Array.from(d.x.indices));
    expect(Array.from(back.x.data)).toEqual(Array.from(d.x.data));
    expect(back.featureNames).toEqual(d.featureNames);
    expect(back.groupNames).toEqual(['a', 'b']);
    expect(Array.from(back.groups)).toEqual(Array.from(groups));
  });

  it('parses plain libFM text', () => {
    const text = '5 0:1 3:1 10:0.25\n\n1 1:1\t2:1 \n';
    const { x, y } = parseLibfm(text);
    expect(Array.from(y)).toEqual([5, 1]);
    expect(x.cols).toBe(11);
    expect(Array.from(x.indices)).toEqual([0, 3, 10, 1, 2]);
    expect(formatLibfm({ x, y })).toBe('5 0:1 3:1 10:0.25\n1 1:1 2:1\n');
    expect(() => parseLibfm('3 0:1 x:2')).toThrow(/line 1/);
    expect(() => parseLibfm('a 0:1')).toThrow(/target/);
  });
});
