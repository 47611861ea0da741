// What the matrix-factorisation models (ALS, BPR, WARP) share: customer and product factors as flat
// row-major Float32Arrays, scores = customer · product (+ product bias), fold-in for customers the
// model was not trained on, similar items by cosine of product factors, and state for artifacts.
import { NextbestError } from '../core/errors.js';
import type { SparseRow, TopK } from '../matrix/index.js';
import { BaseRecommender } from './base.js';
import { Rng } from '../core/rng.js';
import { blockOrder } from './visit-order.js';
import { getKernels, KernelScope, tsKernels, type AdagradFactors, type Kernels, type PairEpoch } from '../kernels/index.js';
import { checkSameParams, notFitted, similarFromDense, stateArray, stateCount, trainingShape } from './common.js';
import type { FitOptions, LearnedFactors, ModelState, Reason, RecommendOptions, TrainingSet } from './contract.js';
import { InnerProductIndex } from './factors/inner-product-index.js';
import { indexServes, recommendFromIndex, type ProductIndexing } from './factors/indexed-recommend.js';

/** Factor state every factor model has after fit. */
export interface Factors {
  customers: number;
  products: number;
  factors: number;
  /** customers x factors. */
  user: Float32Array;
  /** products x factors. */
  item: Float32Array;
  /** One bias per product, or empty when the model has none. */
  itemBias: Float32Array;
  /** 1 where the customer had training interactions (their factors were learned). */
  known: Uint8Array;
  /** Factors for a customer with no history at all (the mean of the learned customers). */
  cold: Float32Array;
}

export abstract class FactorRecommender<P extends object> extends BaseRecommender<P> implements ProductIndexing {
  protected f: Factors | null = null;
  /** Unit-length product factors, built on first use by similarItems. */
  private unitItems: Float32Array | null = null;
  private acc = new Float64Array(0);
  /** Set by indexProducts(): recommend() takes top-k from it instead of scoring every product. */
  private index: InnerProductIndex | null = null;

  /** Factors for one customer from their history alone, without retraining. */
  abstract foldIn(history: SparseRow): Float32Array;

  /** Recomputes whatever the model derives from its factors (after fit and restore). */
  protected prepare(): void {}

  protected fitted(): Factors {
    if (!this.f) throw notFitted(this.name);
    return this.f;
  }

  /** Installs freshly learned factors: fills cold customers with the mean learned customer. */
  protected install(f: Omit<Factors, 'cold'>): void {
    const k = f.factors;
    const cold = new Float32Array(k);
    const sum = new Float64Array(k);
    let n = 0;
    for (let u = 0; u < f.customers; u++) {
      if (!f.known[u]) continue;
      n++;
      const o = u * k;
      for (let j = 0; j < k; j++) sum[j] += f.user[o + j];
    }
    if (n > 0) for (let j = 0; j < k; j++) cold[j] = sum[j] / n;
    for (let u = 0; u < f.customers; u++) if (!f.known[u]) f.user.set(cold, u * k);
    this.f = { ...f, cold };
    this.products = f.products;
    this.unitItems = null;
    this.index = null;
    this.prepare();
  }

  /** The factors scoreInto uses for a customer: learned, folded in from the history (always with fromHistory), or the cold mean. */
  customerFactors(customer: number, history: SparseRow, fromHistory = false): Float32Array {
    const f = this.fitted();
    if (!fromHistory && Number.isInteger(customer) && customer >= 0 && customer < f.customers && f.known[customer])
      return f.user.subarray(customer * f.factors, (customer + 1) * f.factors);
    let any = false;
    for (let t = 0; t < history.indices.length; t++)
      if (history.indices[t] < f.products && history.data[t] > 0) {
        any = true;
        break;
      }
    return any ? this.foldIn(history) : f.cold;
  }

  scoreInto(customer: number, history: SparseRow, out: Float32Array, fromHistory = false): void {
    const f = this.fitted();
    const x = this.customerFactors(customer, history, fromHistory);
    if (this.acc.length !== f.products) this.acc = new Float64Array(f.products);
    scoreAll(x, f.item, f.itemBias, f.products, f.factors, this.acc);
    out.set(this.acc);
  }

  /**
   * A score x_u · y_j (+ b_j) is no sum over history products, so the closest analogue: the history
   * product whose factors point most the same way as the scored product's (cosine, as similarItems).
   */
  explain(_customer: number, history: SparseRow, products: Int32Array): Reason[] {
    const f = this.fitted();
    const unit = this.units();
    const held = heldProducts(history, f.products);
    const k = f.factors;
    return Array.from(products, (j): Reason => {
      let best = -1;
      let weight = -Infinity;
      for (const i of held) {
        if (i === j) continue;
        let s = 0;
        for (let t = 0; t < k; t++) s += unit[i * k + t] * unit[j * k + t];
        if (s > weight) [best, weight] = [i, s];
      }
      return best >= 0 && weight > 0 ? { kind: 'held-product', product: best, weight, total: null, measure: 'similarity' } : { kind: 'none', weight: null };
    });
  }

  /** Unit-length product factors, built on first use. */
  private units(): Float32Array {
    const f = this.fitted();
    return (this.unitItems ??= unitRows(f.item, f.products, f.factors));
  }

  /**
   * From now on, recommend() takes each customer's top-k from an HNSW index of the product factors
   * (usearch, candidates scored exactly) instead of scoring every product: for serving a large
   * catalogue. Lists with a filter or a candidate list still score every product.
   */
  indexProducts(): void {
    const f = this.fitted();
    this.index = new InnerProductIndex(f.item, f.itemBias, f.products, f.factors);
  }

  get indexed(): boolean {
    return this.index !== null;
  }

  override recommend(customers: Int32Array, opts: RecommendOptions): TopK[] {
    const index = this.index;
    if (!index || !indexServes(opts)) return super.recommend(customers, opts);
    return recommendFromIndex(index, customers, opts, (c, history) => this.customerFactors(c, history, opts.fromHistory));
  }

  learnedFactors(entity: 'customers' | 'products'): LearnedFactors {
    const f = this.fitted();
    return entity === 'products' ? { dims: f.factors, rows: f.item, index: Int32Array.from({ length: f.products }, (_, j) => j) } : learnedRows(f.user, f.factors, f.known);
  }

  /** The products whose factors point the same way (cosine). */
  similarItems(products: Int32Array, k: number): TopK[] {
    const f = this.fitted();
    return cosineSimilarItems(this.units(), f.products, f.factors, products, k);
  }

  state(): ModelState {
    const f = this.fitted();
    return {
      arrays: { user: f.user, item: f.item, itemBias: f.itemBias, known: f.known, cold: f.cold },
      json: { params: this.params, customers: f.customers, products: f.products, factors: f.factors },
    };
  }

  restore(state: ModelState): void {
    checkSameParams(this.name, this.params, state);
    const customers = stateCount(this.name, state, 'customers');
    const products = stateCount(this.name, state, 'products');
    const factors = stateCount(this.name, state, 'factors');
    const itemBias = stateArray(this.name, state, 'itemBias', Float32Array);
    if (itemBias.length !== 0 && itemBias.length !== products)
      throw new NextbestError('CORRUPT_MODEL', `model ${this.name}: saved "itemBias" has ${itemBias.length} values, expected ${products}`);
    this.f = {
      customers,
      products,
      factors,
      user: stateArray(this.name, state, 'user', Float32Array, customers * factors),
      item: stateArray(this.name, state, 'item', Float32Array, products * factors),
      itemBias,
      known: stateArray(this.name, state, 'known', Uint8Array, customers),
      cold: stateArray(this.name, state, 'cold', Float32Array, factors),
    };
    this.products = products;
    this.unitItems = null;
    this.index = null;
    this.prepare();
  }
}

/** out[j] = x · rows[j] (+ bias[j] when bias is not empty), four rows per pass, in double precision. */
export function scoreAll(x: Float32Array, rows: Float32Array, bias: Float32Array, n: number, k: number, out: Float64Array): void {
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const o0 = j * k;
    const o1 = o0 + k;
    const o2 = o1 + k;
    const o3 = o2 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < k; t++) {
      const v = x[t];
      s0 += v * rows[o0 + t];
      s1 += v * rows[o1 + t];
      s2 += v * rows[o2 + t];
      s3 += v * rows[o3 + t];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < n; j++) {
    const o = j * k;
    let s = 0;
    for (let t = 0; t < k; t++) s += x[t] * rows[o + t];
    out[j] = s;
  }
  if (bias.length) for (let i = 0; i < n; i++) out[i] += bias[i];
}

/** Each row scaled to unit length (zero rows stay zero). */
export function unitRows(m: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let s = 0;
    for (let t = 0; t < k; t++) s += m[o + t] * m[o + t];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < k; t++) out[o + t] = m[o + t] * inv;
  }
  return out;
}

/** 1 per customer with at least one positive entry in their training row. */
export function knownRows(indptr: Int32Array, data: Float32Array, rows: number): Uint8Array {
  const known = new Uint8Array(rows);
  for (let u = 0; u < rows; u++)
    for (let q = indptr[u]; q < indptr[u + 1]; q++)
      if (data[q] > 0) {
        known[u] = 1;
        break;
      }
  return known;
}

/** Progress and abort handling shared by the iterative fits. */
export function reportProgress(
  opts: { signal?: AbortSignal; onProgress?: (p: { iteration: number; total: number; elapsedSeconds: number; loss?: number }) => void } | undefined,
  iteration: number,
  total: number,
  started: number,
  loss?: number,
): void {
  opts?.onProgress?.({ iteration, total, elapsedSeconds: (performance.now() - started) / 1000, ...(loss === undefined ? {} : { loss }) });
}

/** Yields to the event loop so an abort signal raised meanwhile is seen; throws if aborted. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  if (signal) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
  }
}

/**
 * Factors, product biases and their adagrad accumulators for the SGD-trained ranking models (BPR,
 * WARP), with LightFM's pairwise update: for a customer u, a product i that should rank above j, and a
 * loss weight L, gradients are −L·x_u for y_i, +L·x_u for y_j, L·(y_j − y_i) for x_u, and ∓L for the
 * biases; each parameter steps by learningRate / sqrt(1 + Σ past gradient²) (adagrad, accumulators
 * start at 1 as LightFM's do), with optional L2 decay. The epochs themselves are kernels (bprEpoch,
 * warpEpoch in src/kernels). LightFM's start: factors uniform in [-0.5, 0.5) / k, biases 0; all in
 * the kernel memory of `mem`.
 */
function randomFactors(mem: KernelScope, k: number, customers: number, products: number, params: SgdParams, next: () => number): AdagradFactors {
  const user = mem.f32(customers * k);
  const item = mem.f32(products * k);
  for (let t = 0; t < user.length; t++) user[t] = (next() - 0.5) / k;
  for (let t = 0; t < item.length; t++) item[t] = (next() - 0.5) / k;
  const ones = (n: number): Float32Array => mem.f32(n).fill(1);
  return {
    k,
    user,
    gUser: ones(customers * k),
    item,
    gItem: ones(products * k),
    bias: mem.f32(products),
    gBias: ones(products),
    learningRate: params.learningRate,
    regularization: params.regularization,
  };
}

/** A history's positive in-catalogue products, ascending and distinct. */
export function heldProducts(history: SparseRow, products: number): Int32Array {
  const set = new Set<number>();
  for (let t = 0; t < history.indices.length; t++) {
    const p = history.indices[t];
    if (p >= 0 && p < products && history.data[t] > 0) set.add(p);
  }
  return Int32Array.from([...set].sort((a, b) => a - b));
}

/** Parameters every SGD ranking model has. */
export interface SgdParams {
  factors: number;
  epochs: number;
  learningRate: number;
  regularization: number;
  seed: number;
}

/** One epoch of a model's kernel (bprEpoch or warpEpoch) over e. Returns the summed step loss. */
export type SgdEpoch = (kernels: Kernels, f: AdagradFactors, e: PairEpoch) => number;

/**
 * One pass: a fresh cache-friendly random order of steps (../visit-order) in e.order, then `epoch`,
 * which continues rng's stream for its draws. Returns its loss.
 */
function pass(kernels: Kernels, f: AdagradFactors, e: PairEpoch, rng: Rng, epoch: SgdEpoch, steps?: Int32Array): number {
  blockOrder(e.order, rng, steps);
  e.rng[0] = rng.position;
  const loss = epoch(kernels, f, e);
  rng.position = e.rng[0];
  return loss;
}

/** Passes over a folded-in customer's history (product factors fixed). */
export const FOLD_IN_EPOCHS = 40;

/**
 * Epochs of SGD over every held (customer, product) pair in a fresh random order each epoch,
 * reporting the mean step loss per epoch. Deterministic for a seed (one thread).
 */
export async function fitSgd(name: string, params: SgdParams, data: TrainingSet, opts: FitOptions | undefined, epoch: SgdEpoch): Promise<Omit<Factors, 'cold'>> {
  const started = performance.now();
  opts?.signal?.throwIfAborted();
  const { customers, products } = trainingShape(name, data);
  const { factors: k, epochs, seed } = params;
  const m = data.interactions.userItem;
  const rng = new Rng(seed);
  const kernels = getKernels(opts?.kernels);
  const mem = new KernelScope(kernels);
  try {
    const f = randomFactors(mem, k, customers, products, params, () => rng.next());
    // Every positive entry once per epoch, as (customer, entry) pairs.
    let n = 0;
    for (let q = 0; q < m.nnz; q++) if (m.data[q] > 0) n++;
    const pairs = new Int32Array(n);
    for (let q = 0, t = 0; q < m.nnz; q++) if (m.data[q] > 0) pairs[t++] = q;
    const owner = mem.i32(m.nnz);
    for (let u = 0; u < customers; u++) owner.fill(u, m.indptr[u], m.indptr[u + 1]);
    const e: PairEpoch = { order: mem.i32(pairs.length), owner, indptr: mem.copy(m.indptr), indices: mem.copy(m.indices), rng: mem.i32(1), updateItems: true };
    for (let t = 0; t < epochs; t++) {
      await checkpoint(opts?.signal);
      const loss = pass(kernels, f, e, rng, epoch, pairs);
      reportProgress(opts, t + 1, epochs, started, pairs.length ? loss / pairs.length : 0);
    }
    opts?.signal?.throwIfAborted();
    return { customers, products, factors: k, user: f.user.slice(), item: f.item.slice(), itemBias: f.bias.slice(), known: knownRows(m.indptr, m.data, customers) };
  } finally {
    mem.close();
  }
}

/**
 * A customer's factors from a history alone: the same steps with the product factors fixed, from the
 * mean learned customer, FOLD_IN_EPOCHS passes, seeded so the same history gives the same factors.
 * One small customer: the reference kernels, on the model's own arrays.
 */
export function foldInSgd(f: Factors, params: SgdParams, history: SparseRow, epoch: SgdEpoch): Float32Array {
  const held = heldProducts(history, f.products);
  const x = f.cold.slice();
  const none = new Float32Array(0);
  const factors: AdagradFactors = {
    k: f.factors, user: x, gUser: new Float32Array(f.factors).fill(1), item: f.item, gItem: none, bias: f.itemBias, gBias: none,
    learningRate: params.learningRate, regularization: params.regularization,
  };
  const e: PairEpoch = {
    order: Int32Array.from(held.keys()), owner: new Int32Array(held.length), indptr: Int32Array.of(0, held.length), indices: held,
    rng: new Int32Array(1), updateItems: false,
  };
  const rng = new Rng(params.seed);
  for (let t = 0; t < FOLD_IN_EPOCHS; t++) pass(tsKernels, factors, e, rng, epoch);
  return x;
}

/** For each of `products`, the k products whose unit vectors (n x d rows) point most the same way (cosine). */
export function cosineSimilarItems(unit: Float32Array, n: number, d: number, products: Int32Array, k: number): TopK[] {
  const scores = new Float32Array(n);
  const acc = new Float64Array(n);
  const none = new Float32Array(0);
  return similarFromDense(
    (p) => {
      scoreAll(unit.subarray(p * d, (p + 1) * d), unit, none, n, d, acc);
      scores.set(acc);
      return scores;
    },
    n,
    products,
    k,
  );
}

/** The rows (dims each) of the entities marked known, and their indices. */
export function learnedRows(all: ArrayLike<number>, dims: number, known: Uint8Array, offset = 0): LearnedFactors {
  const index: number[] = [];
  known.forEach((k, i) => k && index.push(i));
  const rows = new Float32Array(index.length * dims);
  index.forEach((i, r) => {
    for (let t = 0; t < dims; t++) rows[r * dims + t] = all[(offset + i) * dims + t];
  });
  return { dims, rows, index: Int32Array.from(index) };
}
