// Test data for the model suites: a small deterministic synthetic bank (customers in three segments,
// each leaning to its own products), hand-built logs, and a dense reference ranking.
import { Rng } from '../../src/core/rng.js';
import {
  buildInteractions,
  buildSideFeatures,
  CsrMatrix,
  EventLogBuilder,
  type EventLog,
  type SideFeatureRow,
} from '../../src/matrix/index.js';
import { MonthlyHoldings } from '../../src/matrix/holdings.js';
import type { TrainingSet } from '../../src/models/contract.js';

export const DAY = 86_400;
export const SEGMENTS = ['retail', 'premium', 'business'] as const;

/**
 * 40 customers x 24 products. Customer c is in segment c % 3 and holds 3-8 products, 80 % of them from
 * its segment's eight; customer "idle" has no events (a cold-start row). Events span 60 days.
 */
export function syntheticBank(seed = 7): TrainingSet {
  const rng = new Rng(seed);
  const b = new EventLogBuilder();
  const products = 24;
  for (let p = 0; p < products; p++) b.addProduct(`p${String(p).padStart(2, '0')}`);
  const features: SideFeatureRow[] = [];
  for (let c = 0; c < 40; c++) {
    const id = `c${String(c).padStart(2, '0')}`;
    b.addCustomer(id);
    const segment = c % 3;
    features.push({ id, name: 'segment', num: null, str: SEGMENTS[segment] });
    features.push({ id, name: 'age', num: 20 + c, str: null });
    const count = 3 + rng.int(6);
    for (let e = 0; e < count; e++) {
      const p = rng.bernoulli(0.8) ? segment * 8 + rng.int(8) : rng.int(products);
      b.add(id, `p${String(p).padStart(2, '0')}`, 1_700_000_000 + rng.int(60 * DAY), rng.bernoulli(0.5) ? 'acquire' : 'click', 1);
    }
  }
  b.addCustomer('idle');
  const log = b.build();
  const interactions = buildInteractions(log, { binary: true });
  return { log, interactions, customerFeatures: buildSideFeatures(log.customers, features), holdings: holdingsBefore(log, interactions.userItem, rng) };
}

/**
 * Three months of holdings ending in `held` (customers x products, at most 32 products): each month
 * before holds one random product less, so every customer who holds something added in the months after.
 */
export function holdingsBefore(log: EventLog, held: CsrMatrix, rng: Rng): MonthlyHoldings {
  const last = Uint32Array.from({ length: held.rows }, (_, u) => held.row(u).indices.reduce((m, p) => (m | (1 << p)) >>> 0, 0));
  const dropOne = (masks: Uint32Array): Uint32Array =>
    masks.map((m) => {
      const bits = Array.from({ length: 32 }, (_, j) => j).filter((j) => (m >>> j) & 1);
      return bits.length ? (m & ~(1 << bits[rng.int(bits.length)])) >>> 0 : m;
    });
  const middle = dropOne(last);
  const months = Float64Array.of(1_690_000_000, 1_692_600_000, 1_695_200_000);
  return new MonthlyHoldings(months, log.customers, log.products, [dropOne(middle), middle, last], new Int32Array(held.rows));
}

/** A training set from customer -> products lists (binary, one rating event each, all at one time unless given). */
export function fromLists(lists: number[][], products: number, times?: number[][]): TrainingSet {
  const b = new EventLogBuilder();
  for (let p = 0; p < products; p++) b.addProduct(`p${p}`);
  lists.forEach((items, c) => {
    b.addCustomer(`c${c}`);
    items.forEach((p, k) => b.add(`c${c}`, `p${p}`, times?.[c]?.[k] ?? 1_000_000, 'rating', 1));
  });
  const log: EventLog = b.build();
  return { log, interactions: buildInteractions(log, { binary: true }) };
}

/** One history row from product indices (all weight 1). */
export const historyOf = (products: number[]) => ({
  indices: Int32Array.from([...products].sort((a, b) => a - b)),
  data: new Float32Array(products.length).fill(1),
});

/** The k best allowed products by brute force: score desc, ties by lower index, -Infinity left out. */
export function referenceTopK(scores: Float32Array, k: number, allowed: (p: number) => boolean): number[] {
  const items: number[] = [];
  for (let p = 0; p < scores.length; p++) if (allowed(p) && scores[p] > -Infinity) items.push(p);
  items.sort((a, b) => scores[b] - scores[a] || a - b);
  return items.slice(0, k);
}

/** Dense copy of a CSR matrix, for small hand checks. */
export const dense = (m: CsrMatrix): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.get(i, j)));

/** Inverse by Gauss-Jordan with partial pivoting: an independent reference for tiny matrices. */
export function gaussJordanInverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let best = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[best][c])) best = r;
    [m[c], m[best]] = [m[best], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}
