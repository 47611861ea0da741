// A factorization machine (Rendle 2010, order 2; see ./fm) trained for top-N ranking on implicit data,
// over the features
//   [customer id one-hots | product id one-hots | customer side features | product side features | context],
// the groups after the ids chosen by `features` (customer and product attributes, the pairs' context).
// Context is part of the customer's side of every pair (the context its events happened in); scoring
// uses the request's context (ScoringRequest.context), the training pairs' mean context without one.
// loss=logistic: every held (customer, product) pair is a positive row, and `negatives` uniformly drawn
// products the customer does not hold are negative rows, in one classification design (any solver);
// with context, a negative row carries the context of a random event of the customer's.
// loss=bpr|warp: pairwise steps on (customer, held product, product not held), SGD (./fm/pairwise).
// Scoring splits the FM into a customer-in-context part and a product part (./fm/entity-parts): each
// customer's own part and the average context's are computed once, a request's context costs one
// small row, and every product costs one dot product.
// Customers without training rows contribute only their side features (their id factors were never
// trained); customers outside the training index the side features a request gives (their store
// attributes), else nothing but the context. For MCMC the posterior samples' raw outputs are averaged
// (their parts are stacked into one longer vector).
import { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { CsrMatrix, type SideFeatures, type SparseRow, type TopK } from '../matrix/index.js';
import type { Exposures } from '../matrix/pair-context.js';
import { BaseRecommender } from './base.js';
import { checkSameParams, csrArrays, csrFromState, notFitted, similarFromDense, stateArray, stateCount, trainingShape } from './common.js';
import { learnedRows } from './mf-common.js';
import type { ArtifactArray, FitOptions, LearnedFactors, ModelState, Reason, RequestContext, ScoringRequest, TrainingSet } from './contract.js';
import { featureReasons } from './fm-explain.js';
import { FactorizationMachine, makeDesign } from './fm/index.js';
import { featureContributions, joinParts, rowPart, scoringParts, type EntityPart, type ScoringParts } from './fm/entity-parts.js';
import type { DataNeeds } from './needs.js';
import { MAX_FACTORS, MAX_ITERATIONS, numberParam, parseParams, type RawParams } from './params.js';

const list = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/[,+]/).map((x) => x.trim()).filter(Boolean) : v),
  z.array(z.string()),
);

export const FmRecommenderParams = z
  .object({
    /** Factors per feature. */
    k: numberParam(z.number().int().min(1).max(MAX_FACTORS)).default(32),
    /** Epochs (sgd), sweeps (als) or samples (mcmc). */
    iterations: numberParam(z.number().int().min(1).max(MAX_ITERATIONS)).default(15),
    solver: z.enum(['sgd', 'mcmc', 'als']).default('sgd'),
    /**
     * warp, bpr: pairwise ranking losses (solver sgd, adagrad steps); logistic: pointwise on sampled
     * negatives, any solver. ML-TOPN with the defaults: warp NDCG@10 0.4449 in 1.4-4.5 s, logistic
     * 0.3696 (15 epochs) or 0.3933 (20).
     */
    loss: z.enum(['logistic', 'bpr', 'warp']).default('warp'),
    /** warp: most products drawn per held pair while looking for a margin violator. */
    maxSampled: numberParam(z.number().int().min(1).max(1000)).default(10),
    /** SGD step size; default the FM's (0.01), or 0.05 (adagrad base) for bpr and warp. */
    learnRate: numberParam(z.number().positive()).optional(),
    /** L2 regularisation (ALS: prior precision); default the FM's (SGD 0.01, ALS 10; MCMC learns it). */
    reg: numberParam(z.number().min(0)).optional(),
    /** Stdev of the normal initialisation of the factors; default 0.1 (logistic) or 0.01 (bpr, warp). */
    initStdev: numberParam(z.number().positive()).optional(),
    /** logistic: sampled non-held products (target 0) per held product. */
    negatives: numberParam(z.number().int().min(0).max(100)).default(4),
    seed: numberParam(z.number().int()).default(42),
    /**
     * Feature groups: ids (the customer's id; products always keep theirs), customer and product
     * (attributes from the store), context (of the pairs' events). Default ids.
     */
    features: list.default(['ids']),
    /** Customer attributes to use (default all); a trailing * matches a prefix. */
    customerAttributes: list.optional(),
    /** Product attributes to use (default all); a trailing * matches a prefix ("genre:*"). */
    productAttributes: list.optional(),
    /** Context keys left out. */
    excludeContext: list.optional(),
    /** Quantile buckets per numeric attribute. */
    buckets: numberParam(z.number().int().min(2).max(100)).default(7),
  })
  .strict();
export type FmRecommenderParams = z.output<typeof FmRecommenderParams>;

const FEATURE_GROUPS = ['ids', 'customer', 'product', 'context'];

/** The side features a ranking FM with these parameters trains on. */
export function fmNeeds(raw: RawParams): DataNeeds {
  const p = parseParams('fm', FmRecommenderParams, raw);
  const unknown = p.features.filter((f) => !FEATURE_GROUPS.includes(f));
  if (unknown.length) throw new NextbestError('BAD_PARAMETER', `model "fm" parameter features: ${unknown.join(', ')} unknown; use ${FEATURE_GROUPS.join(', ')}`);
  const attributes = (list: string[] | undefined, normalize: boolean) => ({ ...(list ? { attributes: list } : {}), buckets: p.buckets, normalize });
  return {
    who: `model "fm" with features=${p.features.join(',')}`,
    ...(p.features.includes('customer') ? { customer: attributes(p.customerAttributes, false) } : {}),
    ...(p.features.includes('product') ? { product: attributes(p.productAttributes, true) } : {}),
    ...(p.features.includes('context') ? { context: { exclude: p.excludeContext ?? [] } } : {}),
  };
}

/** Everything scoring needs besides the FM itself. */
interface Layout {
  customers: number;
  products: number;
  /** 1 where the customer had training interactions (its id features were trained). */
  known: Uint8Array;
  customerSide: CsrMatrix | null;
  productSide: CsrMatrix | null;
  /** The context scoring assumes (the training pairs' mean), one value per context feature; null without context. */
  context: Float32Array | null;
}

export class FmRecommender extends BaseRecommender<FmRecommenderParams> {
  readonly name = 'fm';
  private fm: FactorizationMachine | null = null;
  private layout: Layout | null = null;
  private parts: ScoringParts | null = null;
  /** The part of the training-average context (null without context features). */
  private averageContext: EntityPart | null = null;
  /** The entities' feature rows (ids and side features, no context), for explanations. */
  private rows: { customerRows: CsrMatrix; productRows: CsrMatrix } | null = null;
  private acc = new Float64Array(0);

  constructor(params: RawParams = {}) {
    super(parseParams('fm', FmRecommenderParams, params));
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const started = performance.now();
    opts?.signal?.throwIfAborted();
    const { customers, products } = trainingShape(this.name, data);
    const groups = new Set(this.params.features);
    for (const [group, given] of [['customer', data.customerFeatures], ['product', data.productFeatures], ['context', data.pairContexts]] as const)
      if (groups.has(group) && !given)
        throw new NextbestError('UNSUITABLE_DATA', `model fm: features=${this.params.features.join(',')} needs ${group} features, which the training data lacks`);
    const customerSide = groups.has('customer') ? sideMatrix(data.customerFeatures?.matrix, customers) : null;
    const productSide = groups.has('product') ? sideMatrix(data.productFeatures?.matrix, products) : null;
    const pairContexts = groups.has('context') && data.pairContexts?.features.size ? data.pairContexts : null;
    const userItem = data.interactions.userItem;
    const known = new Uint8Array(customers);
    if (groups.has('ids')) for (let u = 0; u < customers; u++) known[u] = userItem.indptr[u + 1] > userItem.indptr[u] ? 1 : 0;
    const layout: Layout = { customers, products, known, customerSide, productSide, context: pairContexts?.mean ?? null };
    const rows = entityRows(layout);
    const contexts = pairContexts ? shiftColumns(pairContexts.matrix, offsets(layout).context, offsets(layout).cols) : undefined;
    const { k, iterations, solver, loss, learnRate, reg, initStdev, seed } = this.params;
    const fm = new FactorizationMachine();
    if (loss !== 'logistic') {
      if (solver !== 'sgd') throw new NextbestError('BAD_PARAMETER', `model fm: loss=${loss} trains with solver=sgd, not ${solver}; add loss=logistic to train with ${solver}`);
      fm.fitRanking(
        { ...rows, positives: userItem, ...(contexts ? { contexts } : {}) },
        {
          loss,
          k,
          iterations,
          initStdev: initStdev ?? 0.01,
          seed,
          maxSampled: this.params.maxSampled,
          ...(learnRate === undefined ? {} : { learnRate }),
          ...(reg === undefined ? {} : { reg }),
          onProgress: (p) => {
            opts?.signal?.throwIfAborted();
            opts?.onProgress?.({ iteration: p.iteration, total: p.iterations, elapsedSeconds: (performance.now() - started) / 1000, loss: p.loss });
          },
        },
      );
      this.install(fm, layout);
      return;
    }
    const exposures = pairContexts ? { ...pairContexts.exposures, matrix: shiftColumns(pairContexts.exposures.matrix, offsets(layout).context, offsets(layout).cols) } : null;
    const design = rankingDesign(userItem, rows, contexts && exposures ? { pairs: contexts, exposures } : null, layout, this.params.negatives, seed);
    opts?.signal?.throwIfAborted();
    fm.fit(design, {
      solver,
      task: 'classification',
      k,
      iterations,
      initStdev: initStdev ?? 0.1,
      seed,
      ...(learnRate === undefined ? {} : { learnRate }),
      ...(reg === undefined ? {} : { reg }),
      onProgress: (p) => {
        // The FM fits synchronously; an abort raised from a progress callback stops it between iterations.
        opts?.signal?.throwIfAborted();
        opts?.onProgress?.({ iteration: p.iteration, total: p.iterations, elapsedSeconds: (performance.now() - started) / 1000, loss: p.train });
      },
    });
    this.install(fm, layout);
  }

  scoreInto(customer: number, _history: SparseRow, out: Float32Array, _fromHistory?: boolean, request?: ScoringRequest): void {
    const parts = this.parts;
    if (!parts) throw notFitted(this.name);
    const n = this.products;
    const { width, productBias, productVec } = parts;
    const { bias, vec: cu } = this.customerInContext(customer, request);
    const base = parts.w0 + bias;
    for (let i = 0; i < n; i++) {
      const o = i * width;
      let s = base + productBias[i];
      for (let f = 0; f < width; f++) s += cu[f] * productVec[o + f];
      out[i] = s;
    }
  }

  /**
   * The customer's feature (id, attribute, or context value: the request's, else the training average)
   * whose pairwise terms with the product's features add most (./fm-explain).
   */
  explain(customer: number, _history: SparseRow, products: Int32Array, _fromHistory?: boolean, request?: ScoringRequest): Reason[] {
    const { fm, layout, rows } = this;
    if (!fm?.result || !layout || !rows) throw notFitted(this.name);
    const inRange = Number.isInteger(customer) && customer >= 0 && customer < layout.customers;
    const side = request?.customerFeatures;
    const at = offsets(layout).customerSide;
    const own = inRange
      ? rows.customerRows.row(customer)
      : side && layout.customerSide
        ? { indices: Int32Array.from(side.indices, (j) => at + j), data: side.data }
        : { indices: new Int32Array(0), data: new Float32Array(0) };
    const context = this.contextRow(request?.context);
    const row = context ? { indices: Int32Array.of(...own.indices, ...context.indices), data: Float32Array.of(...own.data, ...context.data) } : own;
    const off = offsets(layout);
    const groupOf = (j: number) =>
      j < layout.customers ? { group: 'ids' as const, column: -1 } : j < off.context ? { group: 'customer' as const, column: j - off.customerSide } : { group: 'context' as const, column: j - off.context };
    const r = fm.result;
    return featureReasons(r.samples.length ? r.samples : [r.params], row, rows.productRows, products, groupOf);
  }

  /** True when trained with customer features: a customer without a trained row is scored from the attributes a request gives. */
  get scoresFromAttributes(): boolean {
    return this.layout?.customerSide != null;
  }

  /** Context columns the model scores with (0 without context features). */
  get contextFeatures(): number {
    return this.layout?.context?.length ?? 0;
  }

  /**
   * Per context column, its value in the request's context (the training average's share for the keys
   * it does not name) and what it adds to the score of (customer, product): its linear term, its pairs
   * with the customer's and the product's features and half its pairs with the other context features,
   * so the contributions sum to everything the context adds. Null without context features.
   */
  contextContributions(customer: number, product: number, request?: ScoringRequest): { values: Float32Array; contributions: Float64Array } | null {
    const parts = this.parts;
    if (!parts) throw notFitted(this.name);
    if (!(Number.isInteger(product) && product >= 0 && product < this.products)) throw new NextbestError('INTERNAL', `model fm: product ${product} out of range`);
    const context = this.contextRow(request?.context);
    if (!context) return null;
    const { width } = parts;
    const per = featureContributions(parts, context, this.customerPart(customer, request).vec, parts.productVec.subarray(product * width, (product + 1) * width));
    const at = offsets(this.layout as Layout).context;
    const values = new Float32Array(this.contextFeatures);
    const contributions = new Float64Array(this.contextFeatures);
    context.indices.forEach((j, t) => {
      values[j - at] = context.data[t];
      contributions[j - at] = per[t];
    });
    return { values, contributions };
  }

  /** The customer's own part: its trained row, the side features the request gives for a customer without one, or nothing. */
  private customerPart(customer: number, request?: ScoringRequest): EntityPart {
    const parts = this.parts as ScoringParts;
    const layout = this.layout as Layout;
    const { width } = parts;
    if (Number.isInteger(customer) && customer >= 0 && customer < parts.customerBias.length)
      return { bias: parts.customerBias[customer], vec: parts.customerVec.subarray(customer * width, (customer + 1) * width) };
    const side = request?.customerFeatures;
    if (side && layout.customerSide && side.indices.length) {
      const at = offsets(layout).customerSide;
      return rowPart(parts, { indices: Int32Array.from(side.indices, (j) => at + j), data: side.data });
    }
    return { bias: 0, vec: new Float64Array(width) };
  }

  /** The customer's part joined with the context's (the request's, or the training average). */
  private customerInContext(customer: number, request?: ScoringRequest): EntityPart {
    const own = this.customerPart(customer, request);
    if (!this.averageContext) return own;
    const context = request?.context ? rowPart(this.parts as ScoringParts, this.contextRow(request.context) as SparseRow) : this.averageContext;
    return joinParts(own, context);
  }

  /**
   * The context row in the FM's columns: the training average, with the columns of the keys the
   * request names replaced by its values. Null without context features.
   */
  private contextRow(given: RequestContext | undefined): SparseRow | null {
    const layout = this.layout;
    if (!layout?.context) return null;
    const x = Float32Array.from(layout.context);
    if (given) {
      for (const j of given.replaced) x[j] = 0;
      for (const j of given.set) x[j] = 1;
    }
    const at = offsets(layout).context;
    const indices: number[] = [];
    x.forEach((v, j) => v !== 0 && indices.push(j));
    return { indices: Int32Array.from(indices, (j) => at + j), data: Float32Array.from(indices, (j) => x[j]) };
  }

  /** Cosine of the products' factor sums (id plus side features). */
  similarItems(products: Int32Array, k: number): TopK[] {
    const parts = this.parts;
    if (!parts) throw notFitted(this.name);
    const n = this.products;
    const { width } = parts;
    const unit = (parts.productUnit ??= unitRows(parts.productVec, n, width));
    const scores = new Float32Array(n);
    return similarFromDense(
      (p) => {
        const a = p * width;
        for (let j = 0; j < n; j++) {
          const b = j * width;
          let s = 0;
          for (let f = 0; f < width; f++) s += unit[a + f] * unit[b + f];
          scores[j] = s;
        }
        return scores;
      },
      n,
      products,
      k,
    );
  }

  /** Scores from these side features from now on (the columns it was trained with; e.g. current attributes). */
  useFeatures(features: { customer?: SideFeatures; product?: SideFeatures }): void {
    const layout = this.layout;
    if (!this.fm || !layout) throw notFitted(this.name);
    const replace = (old: CsrMatrix | null, given: SideFeatures | undefined, rows: number, what: string): CsrMatrix | null => {
      if (!old || !given) return old;
      if (given.matrix.cols !== old.cols)
        throw new NextbestError('INTERNAL', `model fm: ${what} features have ${given.matrix.cols} columns, the model ${old.cols}; encode them as in training`);
      return sideMatrix(given.matrix, rows) ?? old;
    };
    this.install(this.fm, {
      ...layout,
      customerSide: replace(layout.customerSide, features.customer, layout.customers, 'customer'),
      productSide: replace(layout.productSide, features.product, layout.products, 'product'),
    });
  }

  /** The id features' factors: the customers trained on (columns 0..C-1), every product (C..C+P-1). */
  learnedFactors(entity: 'customers' | 'products'): LearnedFactors {
    const layout = this.layout;
    const params = this.fm?.result?.params;
    if (!params || !layout) throw notFitted(this.name);
    return entity === 'customers' ? learnedRows(params.v, params.k, layout.known) : learnedRows(params.v, params.k, new Uint8Array(layout.products).fill(1), layout.customers);
  }

  state(): ModelState {
    const layout = this.layout;
    if (!this.fm || !layout) throw notFitted(this.name);
    const fmState = this.fm.state();
    const arrays: Record<string, ArtifactArray> = { known: layout.known };
    for (const [key, a] of Object.entries(fmState.arrays)) arrays[`fm.${key}`] = a;
    if (layout.customerSide) Object.assign(arrays, csrArrays('customerSide', layout.customerSide));
    if (layout.productSide) Object.assign(arrays, csrArrays('productSide', layout.productSide));
    if (layout.context) arrays.context = layout.context;
    return {
      arrays,
      json: {
        params: this.params,
        customers: layout.customers,
        products: layout.products,
        customerSideFeatures: layout.customerSide ? layout.customerSide.cols : null,
        productSideFeatures: layout.productSide ? layout.productSide.cols : null,
        contextFeatures: layout.context ? layout.context.length : null,
        fm: fmState.json,
      },
    };
  }

  restore(state: ModelState): void {
    checkSameParams(this.name, this.params, state);
    const customers = stateCount(this.name, state, 'customers');
    const products = stateCount(this.name, state, 'products');
    const side = (key: string, prefix: string, rows: number): CsrMatrix | null => {
      const v = state.json[key];
      if (v === null || v === undefined) return null;
      const cols = stateCount(this.name, state, key);
      return csrFromState(this.name, state, prefix, rows, cols);
    };
    const layout: Layout = {
      customers,
      products,
      known: stateArray(this.name, state, 'known', Uint8Array, customers),
      customerSide: side('customerSideFeatures', 'customerSide', customers),
      productSide: side('productSideFeatures', 'productSide', products),
      context:
        state.json.contextFeatures === null || state.json.contextFeatures === undefined
          ? null
          : stateArray(this.name, state, 'context', Float32Array, stateCount(this.name, state, 'contextFeatures')),
    };
    const fmArrays: Record<string, ArtifactArray> = {};
    for (const [key, a] of Object.entries(state.arrays)) if (key.startsWith('fm.')) fmArrays[key.slice(3)] = a;
    const fm = new FactorizationMachine();
    fm.restore({ arrays: fmArrays, json: (state.json.fm ?? {}) as Record<string, unknown> });
    this.install(fm, layout);
  }

  private install(fm: FactorizationMachine, layout: Layout): void {
    const r = fm.result;
    if (!r) throw notFitted(this.name);
    const expected = offsets(layout).cols;
    if (r.params.n !== expected)
      throw new NextbestError('CORRUPT_MODEL', `model fm: the factorization machine has ${r.params.n} features, the layout ${expected}`);
    this.rows = entityRows(layout);
    this.parts = scoringParts(r.samples.length ? r.samples : [r.params], this.rows);
    this.fm = fm;
    this.layout = layout;
    const average = this.contextRow(undefined);
    this.averageContext = average ? rowPart(this.parts, average) : null;
    this.products = layout.products;
  }
}

/** Side features limited to the training index's entities (rows beyond it are dropped, missing rows are empty). */
function sideMatrix(m: CsrMatrix | undefined, rows: number): CsrMatrix | null {
  if (!m || m.cols === 0) return null;
  if (m.rows === rows) return m;
  const indptr = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) indptr[r + 1] = r < m.rows ? m.indptr[r + 1] : indptr[r];
  const nnz = indptr[rows];
  return new CsrMatrix(rows, m.cols, indptr, m.indices.slice(0, nnz), m.data.slice(0, nnz));
}

/** Feature column offsets of the layout: [customer ids | product ids | customer side | product side | context]. */
function offsets(layout: Layout) {
  const { customers: C, products: P, customerSide: cs, productSide: ps } = layout;
  const customerSide = C + P;
  const productSide = customerSide + (cs?.cols ?? 0);
  const context = productSide + (ps?.cols ?? 0);
  return { customerSide, productSide, context, cols: context + (layout.context?.length ?? 0) };
}

/** m with every column moved right by `by`, in a matrix of `cols` columns. */
function shiftColumns(m: CsrMatrix, by: number, cols: number): CsrMatrix {
  return new CsrMatrix(m.rows, cols, m.indptr, Int32Array.from(m.indices, (j) => j + by), m.data);
}

/**
 * Each customer's and each product's own features in the layout's columns: the id one-hot (customers
 * only when known) and the side features. Context is not an entity's own: training pairs bring theirs,
 * scoring the request's (or the training average).
 */
function entityRows(layout: Layout): { customerRows: CsrMatrix; productRows: CsrMatrix } {
  const { customers: C, products: P, customerSide: cs, productSide: ps, known } = layout;
  const off = offsets(layout);
  const rowsOf = (n: number, id: (r: number) => number, side: CsrMatrix | null, sideOff: number): CsrMatrix => {
    const indptr = new Int32Array(n + 1);
    for (let r = 0; r < n; r++) indptr[r + 1] = indptr[r] + (id(r) >= 0 ? 1 : 0) + (side ? side.indptr[r + 1] - side.indptr[r] : 0);
    const indices = new Int32Array(indptr[n]);
    const data = new Float32Array(indptr[n]);
    for (let r = 0; r < n; r++) {
      let q = indptr[r];
      if (id(r) >= 0) {
        indices[q] = id(r);
        data[q++] = 1;
      }
      if (side)
        for (let t = side.indptr[r]; t < side.indptr[r + 1]; t++) {
          indices[q] = sideOff + side.indices[t];
          data[q++] = side.data[t];
        }
    }
    return new CsrMatrix(n, off.cols, indptr, indices, data);
  };
  return {
    customerRows: rowsOf(C, (u) => (known[u] ? u : -1), cs, off.customerSide),
    productRows: rowsOf(P, (p) => C + p, ps, off.productSide),
  };
}

/**
 * Positive rows (target 1) for every held pair and `negatives` uniformly drawn non-held products
 * (target 0) each; a row is the customer's features, a context and the product's. With contexts, a
 * positive row carries its pair's context and a negative row the context of a random event of the same
 * customer (its exposures): against the contexts the customer is seen in at all, the model learns which
 * ones raise its engagement, and which products they favour.
 */
function rankingDesign(
  userItem: CsrMatrix,
  rows: { customerRows: CsrMatrix; productRows: CsrMatrix },
  contexts: { pairs: CsrMatrix; exposures: Exposures } | null,
  layout: Layout,
  negatives: number,
  seed: number,
) {
  const { customers: C, products: P } = layout;
  const rng = new Rng(seed);
  // Context rows: the pairs' (one per held pair), then the exposures'.
  const cx = contexts ? stackRows(contexts.pairs, contexts.exposures.matrix) : CsrMatrix.empty(userItem.nnz, rows.customerRows.cols);
  const ex = contexts?.exposures;
  /** A negative row's context: a random event of the customer's (its pair's context without contexts). */
  const negativeContext = (u: number, q: number): number => {
    if (!ex || ex.customerPtr[u + 1] === ex.customerPtr[u]) return q;
    const from = ex.customerPtr[u];
    const to = ex.customerPtr[u + 1];
    let total = 0;
    for (let e = from; e < to; e++) total += ex.events[e];
    let x = rng.next() * total;
    for (let e = from; e < to - 1; e++) if ((x -= ex.events[e]) < 0) return userItem.nnz + ex.context[e];
    return userItem.nnz + ex.context[to - 1];
  };
  const rowC: number[] = [];
  const rowQ: number[] = [];
  const rowP: number[] = [];
  const target: number[] = [];
  const held = new Uint8Array(P);
  for (let u = 0; u < C; u++) {
    const a = userItem.indptr[u];
    const e = userItem.indptr[u + 1];
    if (a === e) continue;
    for (let t = a; t < e; t++) held[userItem.indices[t]] = 1;
    const free = P - (e - a);
    let pool: Int32Array | null = null;
    for (let t = a; t < e; t++) {
      rowC.push(u);
      rowQ.push(t);
      rowP.push(userItem.indices[t]);
      target.push(1);
      if (free <= 0) continue;
      for (let s = 0; s < negatives; s++) {
        let j = -1;
        // Rejection sampling, or a draw from the explicit complement when the customer holds most products.
        for (let tries = 0; tries < 32 && j < 0; tries++) {
          const c = rng.int(P);
          if (!held[c]) j = c;
        }
        if (j < 0) {
          pool ??= Int32Array.from({ length: P }, (_, i) => i).filter((i) => !held[i]);
          j = pool[rng.int(pool.length)];
        }
        rowC.push(u);
        rowQ.push(negativeContext(u, t));
        rowP.push(j);
        target.push(0);
      }
    }
    for (let t = a; t < e; t++) held[userItem.indices[t]] = 0;
  }
  const { customerRows: cr, productRows: pr } = rows;
  const n = rowC.length;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++)
    indptr[i + 1] =
      indptr[i] + cr.indptr[rowC[i] + 1] - cr.indptr[rowC[i]] + cx.indptr[rowQ[i] + 1] - cx.indptr[rowQ[i]] + pr.indptr[rowP[i] + 1] - pr.indptr[rowP[i]];
  const indices = new Int32Array(indptr[n]);
  const data = new Float32Array(indptr[n]);
  for (let i = 0; i < n; i++) {
    let q = indptr[i];
    for (const [m, r] of [[cr, rowC[i]], [cx, rowQ[i]], [pr, rowP[i]]] as const)
      for (let t = m.indptr[r]; t < m.indptr[r + 1]; t++) {
        indices[q] = m.indices[t];
        data[q++] = m.data[t];
      }
  }
  const off = offsets(layout);
  const groups = new Int32Array(off.cols);
  groups.fill(1, C, off.customerSide);
  groups.fill(2, off.customerSide, off.productSide);
  groups.fill(3, off.productSide, off.context);
  groups.fill(4, off.context, off.cols);
  return makeDesign(new CsrMatrix(n, off.cols, indptr, indices, data), target, {
    groups,
    groupNames: ['customer', 'product', 'customer.features', 'product.features', ...(contexts ? ['context'] : [])],
  });
}

/** a's rows, then b's (same columns). */
function stackRows(a: CsrMatrix, b: CsrMatrix): CsrMatrix {
  const indptr = new Int32Array(a.rows + b.rows + 1);
  indptr.set(a.indptr);
  for (let r = 1; r <= b.rows; r++) indptr[a.rows + r] = a.nnz + b.indptr[r];
  const indices = new Int32Array(a.nnz + b.nnz);
  indices.set(a.indices.subarray(0, a.nnz));
  indices.set(b.indices.subarray(0, b.nnz), a.nnz);
  const data = new Float32Array(a.nnz + b.nnz);
  data.set(a.data.subarray(0, a.nnz));
  data.set(b.data.subarray(0, b.nnz), a.nnz);
  return new CsrMatrix(a.rows + b.rows, a.cols, indptr, indices, data);
}

function unitRows(m: Float64Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < k; f++) s += m[i * k + f] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let f = 0; f < k; f++) out[i * k + f] = m[i * k + f] * inv;
  }
  return out;
}
