// Every model's explain() against the same figures worked out here from the fitted state on tiny
// fixtures: the held product it names really adds most to the score, ALS's terms sum to the score,
// user-kNN counts the neighbours that hold the product, popularity counts holders, and the FM names the
// customer feature with the largest pairwise term.
import { describe, expect, it } from 'vitest';
import { AlsRecommender } from '../../src/models/als.js';
import { BprRecommender } from '../../src/models/bpr.js';
import type { Reason, Recommender } from '../../src/models/contract.js';
import { EaseRecommender } from '../../src/models/ease.js';
import { FmRecommender } from '../../src/models/fm-recommender.js';
import { ItemKnnRecommender } from '../../src/models/item-knn.js';
import { PopularityRecommender } from '../../src/models/popularity.js';
import { SimsRecommender } from '../../src/models/sims.js';
import { UserKnnRecommender } from '../../src/models/user-knn.js';
import { fromLists, gaussJordanInverse, syntheticBank } from './fixtures.js';

// Six customers over five products, with overlaps of different strengths.
const LISTS = [
  [0, 1, 2],
  [0, 1],
  [1, 2, 3],
  [2, 3, 4],
  [0, 3],
  [1, 4],
];
const DATA = fromLists(LISTS, 5);
const X = LISTS.map((l) => Array.from({ length: 5 }, (_, p) => (l.includes(p) ? 1 : 0)));
/** A history with unequal weights, so terms differ by weight as well as by similarity. */
const HISTORY = { indices: Int32Array.of(0, 2, 3), data: Float32Array.of(1, 2.5, 0.5) };
const ALL = Int32Array.of(0, 1, 2, 3, 4);

const col = (p: number): number[] => X.map((row) => row[p]);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, x, i) => s + x * b[i], 0);
const norm = (a: ArrayLike<number>): number => Math.sqrt(dot(a, a));

/** The history product with the largest positive term, and the sum of all terms. */
function top(terms: number[]): { product: number; weight: number; total: number } {
  let best = -1;
  terms.forEach((t, i) => {
    if (t > 0 && (best < 0 || t > terms[best])) best = i;
  });
  return { product: best < 0 ? -1 : HISTORY.indices[best], weight: terms[best], total: terms.reduce((s, t) => s + t, 0) };
}

function scores(m: Recommender, customer: number, history: typeof HISTORY, fromHistory = false): Float32Array {
  const out = new Float32Array(m.products);
  m.scoreInto(customer, history, out, fromHistory);
  return out;
}

/** Checks a held-product reason against terms worked out here, and the terms' sum against the score. */
function expectHeld(reason: Reason, terms: number[], score: number): void {
  const want = top(terms);
  expect(reason).toMatchObject({ kind: 'held-product', product: want.product, measure: 'contribution' });
  if (reason.kind !== 'held-product') return;
  expect(reason.weight).toBeCloseTo(want.weight, 5);
  expect(reason.total).toBeCloseTo(want.total, 5);
  expect(reason.total).toBeCloseTo(score, 5);
}

describe('explain: the held product that adds most', () => {
  it('item-knn: w_i cos(j, i) over the history', async () => {
    const m = new ItemKnnRecommender({ neighbours: 10, shrink: 0 });
    await m.fit(DATA);
    const reasons = m.explain(-1, HISTORY, ALL);
    const s = scores(m, -1, HISTORY);
    for (const j of ALL) {
      const terms = Array.from(HISTORY.indices, (i, t) => (i === j ? 0 : (HISTORY.data[t] * dot(col(i), col(j))) / (norm(col(i)) * norm(col(j)))));
      expectHeld(reasons[j], terms, s[j]);
    }
  });

  it('sims: w_i jaccard(i, j) over the history', async () => {
    const m = new SimsRecommender({ similarity: 'jaccard' });
    await m.fit(DATA);
    const reasons = m.explain(-1, HISTORY, ALL);
    const s = scores(m, -1, HISTORY);
    for (const j of ALL) {
      const terms = Array.from(HISTORY.indices, (i, t) => {
        if (i === j) return 0;
        const both = dot(col(i), col(j));
        return (HISTORY.data[t] * both) / (dot(col(i), col(i)) + dot(col(j), col(j)) - both);
      });
      expectHeld(reasons[j], terms, s[j]);
    }
  });

  it('ease: w_i B[i][j] with B = -P / diag(P), P = (XᵀX + λI)⁻¹', async () => {
    const lambda = 2;
    const m = new EaseRecommender({ lambda });
    await m.fit(DATA);
    const g = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => dot(col(i), col(j)) + (i === j ? lambda : 0)));
    const p = gaussJordanInverse(g);
    const reasons = m.explain(-1, HISTORY, ALL);
    const s = scores(m, -1, HISTORY);
    for (const j of ALL) {
      const terms = Array.from(HISTORY.indices, (i, t) => (i === j ? 0 : (HISTORY.data[t] * -p[i][j]) / p[j][j]));
      expectHeld(reasons[j], terms, s[j]);
    }
  });
});

describe('explain: ALS as implicit does it', () => {
  const alpha = 2;
  const reg = 0.5;

  /** c_i y_jᵀ A⁻¹ y_i with A = YᵀY + λI + Σ (c_i − 1) y_i y_iᵀ, from the saved product factors. */
  function terms(m: AlsRecommender, history: typeof HISTORY, j: number): number[] {
    const { arrays, json } = m.state();
    const k = json.factors as number;
    const y = (p: number): number[] => Array.from((arrays.item as Float32Array).subarray(p * k, (p + 1) * k));
    const conf = Array.from(history.data, (r) => 1 + alpha * r);
    const a = Array.from({ length: k }, (_, r) =>
      Array.from({ length: k }, (_, c) => {
        let s = r === c ? reg : 0;
        for (let p = 0; p < 5; p++) s += y(p)[r] * y(p)[c];
        history.indices.forEach((p, t) => (s += (conf[t] - 1) * y(p)[r] * y(p)[c]));
        return s;
      }),
    );
    const inv = gaussJordanInverse(a);
    const yj = y(j);
    const z = inv.map((row) => dot(row, yj));
    return Array.from(history.indices, (p, t) => conf[t] * dot(z, y(p)));
  }

  it('splits a folded-in score into one term per history product; the terms sum to the score', async () => {
    const m = new AlsRecommender({ factors: 4, iterations: 6, regularization: reg, alpha, solver: 'cholesky' });
    await m.fit(DATA);
    const s = scores(m, -1, HISTORY, true);
    const contributions = m.contributions(HISTORY, ALL);
    const reasons = m.explain(-1, HISTORY, ALL);
    for (const j of ALL) {
      const want = terms(m, HISTORY, j);
      Array.from(contributions[j]).forEach((c, t) => expect(c).toBeCloseTo(want[t], 5));
      const sum = contributions[j].reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - s[j])).toBeLessThan(1e-5 * Math.max(1, Math.abs(s[j])));
      expectHeld(reasons[j], want, s[j]);
    }
  });

  it('explains a training customer\'s served score exactly with the Cholesky solver, closely with CG', async () => {
    for (const solver of ['cholesky', 'cg'] as const) {
      const m = new AlsRecommender({ factors: 4, iterations: 10, regularization: reg, alpha, solver });
      await m.fit(DATA);
      const history = DATA.interactions.userItem.row(2);
      const s = scores(m, 2, history);
      m.contributions(history, ALL).forEach((c, j) => {
        const sum = c.reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - s[j]), `${solver} product ${j}`).toBeLessThan((solver === 'cholesky' ? 1e-5 : 2e-2) * Math.max(1, Math.abs(s[j])));
      });
    }
  });
});

describe('explain: the closest analogue for BPR and WARP', () => {
  it('names the history product whose factors are most like the scored product\'s (cosine)', async () => {
    const m = new BprRecommender({ factors: 4, epochs: 20 });
    await m.fit(DATA);
    const { arrays, json } = m.state();
    const k = json.factors as number;
    const y = (p: number) => (arrays.item as Float32Array).subarray(p * k, (p + 1) * k);
    const reasons = m.explain(-1, HISTORY, ALL);
    for (const j of ALL) {
      const cos = Array.from(HISTORY.indices, (i) => (i === j ? -Infinity : dot(y(i), y(j)) / (norm(y(i)) * norm(y(j)))));
      const best = cos.indexOf(Math.max(...cos));
      if (cos[best] <= 0) expect(reasons[j].kind).toBe('none');
      else {
        expect(reasons[j]).toMatchObject({ kind: 'held-product', product: HISTORY.indices[best], measure: 'similarity', total: null });
        expect((reasons[j] as { weight: number }).weight).toBeCloseTo(cos[best], 5);
      }
    }
  });
});

describe('explain: user-knn counts the similar customers who hold it', () => {
  it('for a training customer and for a new history', async () => {
    const neighbours = 3;
    const m = new UserKnnRecommender({ neighbours, shrink: 0 });
    await m.fit(DATA);
    /** The `neighbours` most similar other customers by cosine (ties to the lower index), positive only. */
    const nearest = (h: number[], self: number): number[] =>
      X.map((row, v) => ({ v, s: v === self ? -Infinity : dot(h, row) / (norm(h) * norm(row)) }))
        .filter((x) => x.s > 0)
        .sort((a, b) => b.s - a.s || a.v - b.v)
        .slice(0, neighbours)
        .map((x) => x.v);
    const cases: [number, number[], boolean][] = [
      [0, X[0], false],
      [-1, [1, 0, 1, 1, 0], true],
    ];
    for (const [customer, h, fromHistory] of cases) {
      const near = nearest(h, customer);
      const history = { indices: Int32Array.from(h.flatMap((x, p) => (x ? [p] : []))), data: Float32Array.from(h.filter((x) => x)) };
      const s = scores(m, customer, history, fromHistory);
      m.explain(customer, history, ALL, fromHistory).forEach((r, p) => {
        expect(r).toMatchObject({ kind: 'similar-customers', neighbours: near.length, customers: near.filter((v) => X[v][p]).length });
        expect((r as { weight: number }).weight).toBeCloseTo(s[p], 5);
      });
    }
  });
});

describe('explain: popularity', () => {
  it('counts the customers who have it, overall and in the customer\'s segment', async () => {
    const data = syntheticBank();
    const x = data.interactions.userItem;
    const products = Int32Array.from({ length: x.cols }, (_, p) => p);
    const global = new PopularityRecommender();
    await global.fit(data);
    global.explain(0, x.row(0), products).forEach((r, p) => {
      let have = 0;
      for (let u = 0; u < x.rows; u++) if (x.get(u, p) !== 0) have++;
      expect(r).toMatchObject({ kind: 'popular', basis: 'global', customers: have, segment: null });
    });
    const bySegment = new PopularityRecommender({ mode: 'segment' });
    await bySegment.fit(data);
    // Customer c is in segment c % 3 (fixtures.ts): c03 is "retail" like c00, c06, ...
    const u = data.log.customers.index('c03');
    bySegment.explain(u, x.row(u), products).forEach((r, p) => {
      let have = 0;
      for (let c = 0; c < 40; c += 3) if (x.get(data.log.customers.index(`c${String(c).padStart(2, '0')}`), p) !== 0) have++;
      expect(r).toMatchObject({ kind: 'popular', basis: 'segment', segment: 'retail', customers: have });
    });
  });
});

describe('explain: the ranking FM', () => {
  it('names the customer feature (id or attribute) with the largest pairwise term with the product', async () => {
    const data = syntheticBank();
    const m = new FmRecommender({ features: 'ids,customer', k: 4, iterations: 10 });
    await m.fit(data);
    const { arrays, json } = m.state();
    const k = 4;
    const C = json.customers as number;
    const P = json.products as number;
    const v = arrays['fm.v'] as Float64Array;
    const vec = (j: number) => v.subarray(j * k, (j + 1) * k);
    const side = data.customerFeatures!.matrix;
    const products = Int32Array.from({ length: P }, (_, p) => p);
    let named = 0;
    for (const id of ['c00', 'c01', 'c05']) {
      const u = data.log.customers.index(id);
      // The customer's features: its id (column u), then its attributes after both id blocks.
      const features: { column: number; group: string; at: number; x: number }[] = [{ column: u, group: 'ids', at: -1, x: 1 }];
      for (let q = side.indptr[u]; q < side.indptr[u + 1]; q++)
        features.push({ column: C + P + side.indices[q], group: 'customer', at: side.indices[q], x: side.data[q] });
      m.explain(u, data.interactions.userItem.row(u), products).forEach((r, p) => {
        const terms = features.map((f) => f.x * dot(vec(f.column), vec(C + p)));
        const best = terms.indexOf(Math.max(...terms));
        if (terms[best] <= 0) return expect(r.kind).toBe('none');
        named++;
        expect(r).toMatchObject({ kind: 'feature', group: features[best].group, column: features[best].at, value: features[best].x });
        expect((r as { weight: number }).weight).toBeCloseTo(terms[best], 6);
      });
    }
    expect(named).toBeGreaterThan(0);
  });
});
