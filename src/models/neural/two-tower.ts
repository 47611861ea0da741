// The two-tower recommender (YouTube DNN / sampled-softmax retrieval style): a customer tower over the
// customer's id, attributes, request context and its held products (attention-pooled), and a product
// tower over the product's id and attributes, each weighing its feature fields by attention
// (./two-tower-forward); the score is the dot product of the two towers' vectors plus the product's bias
// (plus, with `wide`, a weight per customer attribute column, or crossed pair of columns, and product,
// fitted first: ./wide-part). Trained with in-batch sampled softmax and the logQ correction (or BPR) in
// TensorFlow.js (./two-tower-fit); served in plain TypeScript. Ids are dropped out in training, so
// customers and products without history are scored from their attributes alone. Product vectors are
// computed once (after fit, restore, useFeatures); indexProducts() serves lists from a nearest-neighbour
// index of them for large catalogues.
import { z } from 'zod';
import { NextbestError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { CsrMatrix, type SideFeatures, type SparseRow, type TopK } from '../../matrix/index.js';
import { BaseRecommender } from '../base.js';
import { checkSameParams, csrArrays, csrFromState, notFitted, stateArray, stateCount, trainingShape } from '../common.js';
import type { ArtifactArray, FieldAttention, FitOptions, ModelState, Reason, RecommendOptions, RequestContext, ScoringRequest, TrainingSet } from '../contract.js';
import { InnerProductIndex } from '../factors/inner-product-index.js';
import { indexServes, recommendFromIndex, type ProductIndexing } from '../factors/indexed-recommend.js';
import { cosineSimilarItems, heldProducts, scoreAll, unitRows } from '../mf-common.js';
import type { DataNeeds } from '../needs.js';
import { booleanParam, MAX_FACTORS, MAX_ITERATIONS, numberParam, parseParams, type RawParams } from '../params.js';
import { featureFields, perFieldMean, type FeatureFields } from './feature-fields.js';
import { fitWide, wideLayout, wideRow, wideShares, type WideLayout } from './wide-part.js';
import type { TowerData } from './two-tower-batch.js';
import { logPopularity, positivePairs, selectRows, trainTwoTower } from './two-tower-fit.js';
import { validationNdcg, validationSplit } from './two-tower-validation.js';
import { addWideScores, CUSTOMER_FIELDS, customerPass, PRODUCT_FIELDS, productPass, type FieldLayout, type TowerPass, type TwoTowerWeights } from './two-tower-forward.js';

/** Full-batch Adam steps and step size of the wide part's fit (./wide-part). */
const WIDE_ITERATIONS = 300;
const WIDE_LEARNING_RATE = 0.05;

const list = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/[,+]/).map((x) => x.trim()).filter(Boolean) : v),
  z.array(z.string()),
);

export const TwoTowerParams = z
  .object({
    /** Size of every embedding and of the towers' outputs. */
    factors: numberParam(z.number().int().min(1).max(MAX_FACTORS)).default(64),
    /** Hidden units of each tower's MLP. */
    hidden: numberParam(z.number().int().min(1).max(4096)).default(64),
    /** Most epochs (early stopping usually ends sooner). */
    epochs: numberParam(z.number().int().min(1).max(MAX_ITERATIONS)).default(8),
    batchSize: numberParam(z.number().int().min(2).max(65_536)).default(256),
    learningRate: numberParam(z.number().positive()).default(0.01),
    /** L2 penalty on the towers' outputs. */
    l2: numberParam(z.number().min(0)).default(0),
    /** Chance, per training example, of hiding the customer's id and history (so it learns to score from attributes). */
    idDropout: numberParam(z.number().min(0).max(1)).default(0.1),
    /** Chance, per training example, of hiding the product's id (so it learns to score new products from attributes). */
    productDropout: numberParam(z.number().min(0).max(1)).default(0.1),
    /** Softmax temperature: logits are dot products divided by it. */
    temperature: numberParam(z.number().positive()).default(1),
    /** softmax: in-batch sampled softmax with the logQ correction; bpr: against the next example's product. */
    loss: z.enum(['softmax', 'bpr']).default('softmax'),
    /** softmax over the batch's products (logQ-corrected; fast), or over every product (exact; slower per step). */
    negatives: z.enum(['batch', 'all']).default('batch'),
    /** Validations without improvement before stopping; 0: never validate, run every epoch. */
    patience: numberParam(z.number().int().min(0).max(MAX_ITERATIONS)).default(1),
    /** Most history products per training example (sampled). */
    historyLength: numberParam(z.number().int().min(1).max(10_000)).default(16),
    seed: numberParam(z.number().int()).default(42),
    /** Customer attributes of the customer tower (a trailing * matches a prefix); absent: none. */
    customerAttributes: list.optional(),
    /** Product attributes of the product tower ("genre:*"); absent: none. */
    productAttributes: list.optional(),
    /** The request's context (the pairs' context in training) in the customer tower. */
    context: booleanParam().default(false),
    /** Context keys left out. */
    excludeContext: list.optional(),
    /**
     * The wide part (Wide & Deep): a weight per (customer attribute column, product), times the column's
     * value, added to the score (segment popularity, log-linear over the attributes), fitted exactly
     * before the towers (full softmax, pairs weighed by their strength, L2 penalty wideL2 per unit of
     * strength); the towers then learn what it leaves. Lists are then scored without the product index.
     */
    wide: booleanParam().default(false),
    wideL2: numberParam(z.number().min(0)).default(5e-4),
    /** Crossed attribute pairs of the wide part ("age*gender": a column per pair of their values). */
    wideCrosses: list.optional(),
    /** Quantile buckets per numeric attribute. */
    buckets: numberParam(z.number().int().min(2).max(100)).default(7),
  })
  .strict();
export type TwoTowerParams = z.output<typeof TwoTowerParams>;

/** The side features a two-tower model with these parameters trains on. */
export function twoTowerNeeds(raw: RawParams): DataNeeds | null {
  const p = parseParams('two-tower', TwoTowerParams, raw);
  const attributes = (patterns: string[]) => ({ ...(patterns.includes('*') ? {} : { attributes: patterns }), buckets: p.buckets, normalize: false });
  if (!p.customerAttributes?.length && !p.productAttributes?.length && !p.context) return null;
  return {
    who: 'model "two-tower"',
    ...(p.customerAttributes?.length ? { customer: attributes(p.customerAttributes) } : {}),
    ...(p.productAttributes?.length ? { product: attributes(p.productAttributes) } : {}),
    ...(p.context ? { context: { exclude: p.excludeContext ?? [] } } : {}),
  };
}

/** Everything scoring needs. */
interface Fitted {
  weights: TwoTowerWeights;
  layout: FieldLayout;
  customerFields: string[];
  productFields: string[];
  customers: number;
  knownCustomer: Uint8Array;
  knownProduct: Uint8Array;
  /** Attribute rows, each field summing to 1 (null without attributes). */
  customerSide: CsrMatrix | null;
  productSide: CsrMatrix | null;
  /** The training pairs' mean context (null without context). */
  context: Float32Array | null;
  /** The wide part's columns (null without it). */
  wide: WideLayout | null;
}

export class TwoTowerRecommender extends BaseRecommender<TwoTowerParams> implements ProductIndexing {
  readonly name = 'two-tower';
  readonly scoresFromAttributes = true;
  private m: Fitted | null = null;
  /** products x factors, computed once per install. */
  private productVectors = new Float32Array(0);
  /** Each product's bias; products without training pairs take the mean of the others'. */
  private productBias = new Float32Array(0);
  private unitProducts: Float32Array | null = null;
  private averageContext: SparseRow = { indices: new Int32Array(0), data: new Float32Array(0) };
  private index: InnerProductIndex | null = null;
  private acc = new Float64Array(0);

  constructor(params: RawParams = {}) {
    super(parseParams('two-tower', TwoTowerParams, params));
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const p = this.params;
    const { customers, products } = trainingShape(this.name, data);
    const wants = { customer: !!p.customerAttributes?.length, product: !!p.productAttributes?.length, context: p.context };
    for (const [what, given] of [['customer', data.customerFeatures], ['product', data.productFeatures], ['context', data.pairContexts]] as const)
      if (wants[what] && !given) throw new NextbestError('UNSUITABLE_DATA', `model two-tower: ${what} features were asked for, and the training data lacks them`);
    const customerAttr = wants.customer && data.customerFeatures?.matrix.cols ? data.customerFeatures : null;
    const productAttr = wants.product && data.productFeatures?.matrix.cols ? data.productFeatures : null;
    const contexts = wants.context && data.pairContexts?.features.size ? data.pairContexts : null;
    const fields = {
      customer: customerAttr ? featureFields(customerAttr.features.ids(), 'attr') : null,
      context: contexts ? featureFields(contexts.features.ids(), 'context') : null,
      product: productAttr ? featureFields(productAttr.features.ids(), 'attr') : null,
    };
    const layout = fieldLayout(fields.customer, fields.context, fields.product);
    const customerFields = towerFieldNames(CUSTOMER_FIELDS, fields.customer, fields.context);
    const customerSide = customerAttr ? perFieldRows(resize(customerAttr.matrix, customers), layout.customerAttr) : null;
    const wide = customerSide ? this.wideLayoutOf(layout, customerFields) : null;
    const wideSide = wide && customerSide ? csrOfRows(Array.from({ length: customers }, (_, u) => wideRow(wide, layout.customerAttr, customerSide.row(u))), wide.columns) : null;
    const productSide = productAttr ? perFieldRows(resize(productAttr.matrix, products), layout.productAttr) : null;
    const userItem = data.interactions.userItem;
    const rng = new Rng(p.seed ^ 0x5eed);
    const split = p.patience > 0 ? validationSplit(userItem, rng, customerSide !== null) : { held: new Int32Array(0), unseen: new Int32Array(0) };
    const drop = new Uint8Array(userItem.nnz);
    for (const q of split.held) drop[q] = 1;
    for (const u of split.unseen) drop.fill(1, userItem.indptr[u], userItem.indptr[u + 1]);
    const train = positivePairs(userItem, drop);
    const towerData: TowerData = {
      layout,
      history: train.history,
      customerAttr: customerSide,
      productAttr: productSide,
      context: contexts ? perFieldRows(selectRows(contexts.matrix, train.origin), layout.context) : null,
      customerAttrColumns: customerSide?.cols ?? 0,
      contextColumns: contexts?.features.size ?? 0,
      productAttrColumns: productSide?.cols ?? 0,
      wide: wideSide,
      logQ: logPopularity(train.history),
    };
    // The wide part needs no early stopping: it is fitted on every pair; the validation part serves the towers.
    const wideFit = wide && wideSide ? fitWide(positivePairs(userItem).history, (u) => wideSide.row(u), wide.columns, { l2: p.wideL2, iterations: WIDE_ITERATIONS, learningRate: WIDE_LEARNING_RATE }) : null;
    const knownCustomer = new Uint8Array(customers);
    const knownProduct = new Uint8Array(products);
    for (let u = 0; u < customers; u++) knownCustomer[u] = train.history.indptr[u + 1] > train.history.indptr[u] ? 1 : 0;
    for (const j of train.history.indices) knownProduct[j] = 1;
    const base = {
      layout,
      customerFields,
      productFields: towerFieldNames(PRODUCT_FIELDS, fields.product),
      customers,
      knownCustomer,
      knownProduct,
      customerSide,
      productSide,
      context: contexts?.mean ?? null,
      wide,
    };
    const mean = contexts ? this.contextRow(base, undefined) : { indices: new Int32Array(0), data: new Float32Array(0) };
    // Validation scores products as serving will (servedProducts), once per weights for both parts.
    let served: { of: TwoTowerWeights | null; vectors: Float32Array; bias: Float32Array } = { of: null, vectors: new Float32Array(0), bias: new Float32Array(0) };
    const scorer = (asNew: boolean) => (w: TwoTowerWeights, u: number, scores: Float64Array) => {
      if (served.of !== w) served = { of: w, ...servedProducts(w, layout, productSide, knownProduct) };
      const x = customerPass(w, layout, {
        id: asNew ? -1 : u,
        history: asNew ? new Int32Array(0) : train.history.row(u).indices,
        attributes: sideRow(customerSide, u),
        context: mean,
      }).vector;
      scoreAll(x, served.vectors, served.bias, products, w.factors, scores);
      addWideScores(w, wide?.columns ?? 0, sideRow(wideSide, u), scores);
    };
    const validate = (w: TwoTowerWeights) => validationNdcg(w, products, train.history, userItem, split, scorer(false), scorer(true));
    const start = wideFit && wide ? { weights: wideFit.wide, bias: wideFit.bias, columns: wide.columns } : null;
    const weights = await trainTwoTower(towerData, { customers, products }, p, start, validate, opts);
    this.install({ ...base, weights });
  }

  scoreInto(customer: number, history: SparseRow, out: Float32Array, fromHistory = false, request?: ScoringRequest): void {
    const attributes = this.customerAttributes(customer, request);
    const x = this.customerPassOf(customer, history, fromHistory, request, attributes).vector;
    if (this.acc.length !== this.products) this.acc = new Float64Array(this.products);
    scoreAll(x, this.productVectors, this.productBias, this.products, x.length, this.acc);
    const m = this.fitted();
    if (m.wide) addWideScores(m.weights, m.wide.columns, wideRow(m.wide, m.layout.customerAttr, attributes), this.acc);
    out.set(this.acc);
  }

  override recommend(customers: Int32Array, opts: RecommendOptions): TopK[] {
    const index = this.index;
    if (!index || !indexServes(opts)) return super.recommend(customers, opts);
    return recommendFromIndex(index, customers, opts, (c, history) => this.customerVector(c, history, opts.fromHistory, opts.request));
  }

  /** Builds the product index, unless the wide part scores too (its scores are no inner product of the towers). */
  indexProducts(): void {
    const m = this.fitted();
    if (m.wide) return;
    this.index = new InnerProductIndex(this.productVectors, this.productBias, this.products, m.weights.factors);
  }

  get indexed(): boolean {
    return this.index !== null;
  }

  /** Both towers' attention weights for the customer and each product, by field name ("id", "history", "attr:age", "context:tod"); the customer tower runs once. */
  attention(customer: number, history: SparseRow, products: Int32Array, request?: ScoringRequest, fromHistory = false): FieldAttention[] {
    const m = this.fitted();
    const named = (names: string[], a: Float32Array) => Object.fromEntries(names.map((n, f) => [n, a[f]]));
    const mine = named(m.customerFields, this.customerPassOf(customer, history, fromHistory, request).attention);
    return Array.from(products, (product) => {
      if (!(Number.isInteger(product) && product >= 0 && product < this.products)) throw new NextbestError('INTERNAL', `model two-tower: product ${product} out of range`);
      return { customer: mine, product: named(m.productFields, productPass(m.weights, m.layout, this.productInput(product)).attention) };
    });
  }

  /**
   * Per product, the customer field whose attention-weighted embedding adds most to the score along
   * the product's vector (a_f e_f · v): its history product with the largest share of that (held-product,
   * weight: that share), the id, or the attribute or context column whose embedding adds most; or, when
   * more, the attribute column whose wide term (with half of each cross it is in) adds most.
   */
  explain(customer: number, history: SparseRow, products: Int32Array, fromHistory = false, request?: ScoringRequest): Reason[] {
    const m = this.fitted();
    const d = m.weights.factors;
    const attrs = this.customerAttributes(customer, request);
    const c = this.customerPassOf(customer, history, fromHistory, request, attrs);
    const held = this.historyOf(history, request);
    const context = this.contextRow(m, request?.context);
    const dot = (a: Float32Array, at: number, v: Float32Array) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += a[at + t] * v[t];
      return s;
    };
    return Array.from(products, (j): Reason => {
      const v = this.productVectors.subarray(j * d, (j + 1) * d);
      let best = -1;
      let term = 0;
      for (let f = 0; f < m.layout.customerFields; f++) {
        if (!c.attention[f]) continue;
        const t = c.attention[f] * dot(c.embeddings, f * d, v);
        if (t > term) [best, term] = [f, t];
      }
      // The wide part's largest term, when it outweighs the towers': the attribute column behind it.
      if (m.wide) {
        let column = -1;
        let weight = term;
        for (const [col, s] of wideShares(m.wide, m.layout.customerAttr, attrs, m.weights.wide, j)) if (s > weight) [column, weight] = [col, s];
        if (column >= 0) return { kind: 'feature', group: 'customer', column, value: attrs.data[attrs.indices.indexOf(column)], weight };
      }
      if (best < 0) return { kind: 'none', weight: null };
      if (best === 0) return { kind: 'feature', group: 'ids', column: -1, value: 1, weight: term };
      if (best === 1) {
        let top = 0;
        let share = -Infinity;
        held.forEach((p, i) => {
          const s = c.attention[1] * c.historyAttention[i] * dot(m.weights.historyItem, p * d, v);
          if (s > share) [top, share] = [i, s];
        });
        // The score is no sum over history products (the tower's MLP follows the pooling): measure 'similarity'.
        return { kind: 'held-product', product: held[top], weight: share, total: null, measure: 'similarity' };
      }
      const fromContext = best >= firstContextField(m.layout);
      const row = fromContext ? context : attrs;
      const fieldOf = fromContext ? m.layout.context : m.layout.customerAttr;
      const table = fromContext ? m.weights.context : m.weights.customerAttr;
      let column = -1;
      let value = 0;
      let weight = -Infinity;
      for (let t = 0; t < row.indices.length; t++) {
        const col = row.indices[t];
        if (fieldOf[col] !== best) continue;
        const s = c.attention[best] * row.data[t] * dot(table, col * d, v);
        if (s > weight) [column, value, weight] = [col, row.data[t], s];
      }
      return { kind: 'feature', group: fromContext ? 'context' : 'customer', column, value, weight };
    });
  }

  /** The products whose vectors point the same way (cosine). */
  similarItems(products: Int32Array, k: number): TopK[] {
    const m = this.fitted();
    const d = m.weights.factors;
    const unit = (this.unitProducts ??= unitRows(this.productVectors, this.products, d));
    return cosineSimilarItems(unit, this.products, d, products, k);
  }

  /** Scores from these attributes from now on (the columns it was trained with). */
  useFeatures(features: { customer?: SideFeatures; product?: SideFeatures }): void {
    const m = this.fitted();
    const replace = (old: CsrMatrix | null, given: SideFeatures | undefined, rows: number, fieldOf: Int32Array, what: string): CsrMatrix | null => {
      if (!old || !given) return old;
      if (given.matrix.cols !== old.cols)
        throw new NextbestError('INTERNAL', `model two-tower: ${what} features have ${given.matrix.cols} columns, the model ${old.cols}; encode them as in training`);
      return perFieldRows(resize(given.matrix, rows), fieldOf);
    };
    this.install({
      ...m,
      customerSide: replace(m.customerSide, features.customer, m.customers, m.layout.customerAttr, 'customer'),
      productSide: replace(m.productSide, features.product, this.products, m.layout.productAttr, 'product'),
    });
  }

  state(): ModelState {
    const m = this.fitted();
    const w = m.weights;
    const arrays: Record<string, ArtifactArray> = {
      knownCustomer: m.knownCustomer,
      knownProduct: m.knownProduct,
      'layout.customerAttr': m.layout.customerAttr,
      'layout.context': m.layout.context,
      'layout.productAttr': m.layout.productAttr,
      customerId: w.customerId,
      historyItem: w.historyItem,
      historyQuery: w.historyQuery,
      customerAttr: w.customerAttr,
      context: w.context,
      productId: w.productId,
      productAttr: w.productAttr,
      productBias: w.productBias,
      wide: w.wide,
    };
    for (const [tower, t] of [['customerTower', w.customerTower], ['productTower', w.productTower]] as const)
      for (const [key, a] of Object.entries(t)) arrays[`${tower}.${key}`] = a;
    if (m.customerSide) Object.assign(arrays, csrArrays('customerSide', m.customerSide));
    if (m.productSide) Object.assign(arrays, csrArrays('productSide', m.productSide));
    if (m.context) arrays.contextMean = m.context;
    return {
      arrays,
      json: {
        params: this.params,
        customers: m.customers,
        products: this.products,
        factors: w.factors,
        hidden: w.hidden,
        customerFields: m.customerFields,
        productFields: m.productFields,
        customerSideColumns: m.customerSide?.cols ?? null,
        productSideColumns: m.productSide?.cols ?? null,
        contextColumns: m.context?.length ?? null,
        deepScale: w.deepScale,
      },
    };
  }

  restore(state: ModelState): void {
    const name = this.name;
    checkSameParams(name, this.params, state);
    const customers = stateCount(name, state, 'customers');
    const products = stateCount(name, state, 'products');
    const d = stateCount(name, state, 'factors');
    const h = stateCount(name, state, 'hidden');
    const names = (key: string): string[] => {
      const v = state.json[key];
      if (!(Array.isArray(v) && v.every((x) => typeof x === 'string'))) throw new NextbestError('CORRUPT_MODEL', `model ${name}: saved state has no "${key}"; save the model again`);
      return v as string[];
    };
    const count = (key: string): number | null => (state.json[key] === null || state.json[key] === undefined ? null : stateCount(name, state, key));
    const customerFields = names('customerFields');
    const productFields = names('productFields');
    const cs = count('customerSideColumns');
    const ps = count('productSideColumns');
    const cx = count('contextColumns');
    const f32 = (key: string, n?: number) => stateArray(name, state, key, Float32Array, n);
    const fieldsOf = (key: string, n: number, towerFields: number) => {
      const a = stateArray(name, state, key, Int32Array, n);
      for (const f of a) if (!(f >= 0 && f < towerFields)) throw new NextbestError('CORRUPT_MODEL', `model ${name}: saved "${key}" names field ${f} of ${towerFields}`);
      return a;
    };
    const layout: FieldLayout = {
      customerAttr: fieldsOf('layout.customerAttr', cs ?? 0, customerFields.length),
      context: fieldsOf('layout.context', cx ?? 0, customerFields.length),
      productAttr: fieldsOf('layout.productAttr', ps ?? 0, productFields.length),
      customerFields: customerFields.length,
      productFields: productFields.length,
    };
    const wide = this.wideLayoutOf(layout, customerFields);
    const tower = (prefix: string, fields: number) => ({
      query: f32(`${prefix}.query`, d),
      fieldBias: f32(`${prefix}.fieldBias`, fields),
      w1: f32(`${prefix}.w1`, d * h),
      b1: f32(`${prefix}.b1`, h),
      w2: f32(`${prefix}.w2`, h * d),
      b2: f32(`${prefix}.b2`, d),
    });
    this.install({
      weights: {
        factors: d,
        hidden: h,
        customerTower: tower('customerTower', customerFields.length),
        productTower: tower('productTower', productFields.length),
        customerId: f32('customerId', customers * d),
        historyItem: f32('historyItem', products * d),
        historyQuery: f32('historyQuery', d),
        customerAttr: f32('customerAttr', (cs ?? 0) * d),
        context: f32('context', (cx ?? 0) * d),
        productId: f32('productId', products * d),
        productAttr: f32('productAttr', (ps ?? 0) * d),
        productBias: f32('productBias', products),
        wide: f32('wide', wide ? products * wide.columns : 0),
        // Models saved before the towers' share was learned have none: their towers score in full.
        deepScale: typeof state.json.deepScale === 'number' ? state.json.deepScale : 1,
      },
      layout,
      customerFields,
      productFields,
      customers,
      knownCustomer: stateArray(name, state, 'knownCustomer', Uint8Array, customers),
      knownProduct: stateArray(name, state, 'knownProduct', Uint8Array, products),
      customerSide: cs === null ? null : csrFromState(name, state, 'customerSide', customers, cs),
      productSide: ps === null ? null : csrFromState(name, state, 'productSide', products, ps),
      context: cx === null ? null : f32('contextMean', cx),
      wide,
    });
  }

  /** The wide part's columns over these customer attribute fields, or null without it. */
  private wideLayoutOf(layout: FieldLayout, customerFields: string[]): WideLayout | null {
    const p = this.params;
    if (p.wideCrosses?.length && !p.wide) throw new NextbestError('BAD_PARAMETER', 'model two-tower: wideCrosses crosses columns of the wide part; add two-tower.wide=true');
    return p.wide && layout.customerAttr.length ? wideLayout(layout.customerAttr, customerFields, p.wideCrosses ?? []) : null;
  }

  private fitted(): Fitted {
    if (!this.m) throw notFitted(this.name);
    return this.m;
  }

  /** Installs a model: every product's vector, once. */
  private install(m: Fitted): void {
    this.m = m;
    this.products = m.knownProduct.length;
    const served = servedProducts(m.weights, m.layout, m.productSide, m.knownProduct);
    this.productVectors = served.vectors;
    this.productBias = served.bias;
    this.unitProducts = null;
    this.index = null;
    this.averageContext = this.contextRow(m, undefined);
  }

  private productInput(j: number) {
    const m = this.fitted();
    return productInput(m.productSide, m.knownProduct, j);
  }

  /** The customer's vector as scoreInto uses it. */
  private customerVector(customer: number, history: SparseRow, fromHistory: boolean | undefined, request?: ScoringRequest): Float32Array {
    return this.customerPassOf(customer, history, fromHistory ?? false, request).vector;
  }

  /**
   * The customer tower on: the id of a customer with training pairs (not with fromHistory, where the
   * history stands for what the model learned), the history and the request's recent products, the
   * stored attributes (a request's for a customer outside the training index), the request's context.
   */
  private customerPassOf(customer: number, history: SparseRow, fromHistory: boolean, request?: ScoringRequest, attributes = this.customerAttributes(customer, request)): TowerPass {
    const m = this.fitted();
    const inRange = Number.isInteger(customer) && customer >= 0 && customer < m.customers;
    return customerPass(m.weights, m.layout, {
      id: inRange && !fromHistory && m.knownCustomer[customer] ? customer : -1,
      history: this.historyOf(history, request),
      attributes,
      context: request?.context ? this.contextRow(m, request.context) : this.averageContext,
    });
  }

  private historyOf(history: SparseRow, request?: ScoringRequest): Int32Array {
    const held = heldProducts(history, this.products);
    const recent = request?.recent?.filter((p) => p >= 0 && p < this.products && !held.includes(p));
    return recent?.length ? Int32Array.from(new Set([...held, ...recent])) : held;
  }

  private customerAttributes(customer: number, request?: ScoringRequest): SparseRow {
    const m = this.fitted();
    if (!m.customerSide) return sideRow(null, 0);
    if (Number.isInteger(customer) && customer >= 0 && customer < m.customers) return sideRow(m.customerSide, customer);
    const given = request?.customerFeatures;
    return given ? perFieldMean(given, fieldsView(m.layout.customerAttr, m.layout.customerFields)) : sideRow(null, 0);
  }

  /** The context columns: the training mean with the keys the request names replaced by its values, each field summing to 1. */
  private contextRow(m: Pick<Fitted, 'context' | 'layout'>, given: RequestContext | undefined): SparseRow {
    if (!m.context) return sideRow(null, 0);
    const x = Float32Array.from(m.context);
    if (given) {
      for (const j of given.replaced) x[j] = 0;
      for (const j of given.set) x[j] = 1;
    }
    const indices: number[] = [];
    x.forEach((v, j) => v > 0 && indices.push(j));
    return perFieldMean({ indices: Int32Array.from(indices), data: Float32Array.from(indices, (j) => x[j]) }, fieldsView(m.layout.context, m.layout.customerFields));
  }
}

/** A product's tower input: its id when it has training pairs, its attributes. */
function productInput(productSide: CsrMatrix | null, knownProduct: Uint8Array, j: number) {
  return { id: knownProduct[j] ? j : -1, attributes: sideRow(productSide, j) };
}

/** Every product's vector and bias as served: products without training pairs score from their attributes, with the known products' mean bias. */
function servedProducts(w: TwoTowerWeights, layout: FieldLayout, productSide: CsrMatrix | null, knownProduct: Uint8Array): { vectors: Float32Array<ArrayBuffer>; bias: Float32Array<ArrayBuffer> } {
  const d = w.factors;
  const vectors = new Float32Array(knownProduct.length * d);
  for (let j = 0; j < knownProduct.length; j++) vectors.set(productPass(w, layout, productInput(productSide, knownProduct, j)).vector, j * d);
  let sum = 0;
  let known = 0;
  knownProduct.forEach((k, j) => k && ((sum += w.productBias[j]), known++));
  return { vectors, bias: Float32Array.from(w.productBias, (b, j) => (knownProduct[j] ? b : known ? sum / known : 0)) };
}

/** The tower fields: the fixed ones, then each attribute's and context key's. */
function towerFieldNames(fixed: readonly string[], ...groups: (FeatureFields | null)[]): string[] {
  return [...fixed, ...groups.flatMap((g) => g?.names ?? [])];
}

/** Each side column's field in its tower: customer [id, history, attributes, context], product [id, attributes]. */
function fieldLayout(customer: FeatureFields | null, context: FeatureFields | null, product: FeatureFields | null): FieldLayout {
  const shift = (f: FeatureFields | null, by: number) => (f ? Int32Array.from(f.fieldOf, (x) => x + by) : new Int32Array(0));
  const attrFields = customer?.names.length ?? 0;
  return {
    customerAttr: shift(customer, CUSTOMER_FIELDS.length),
    context: shift(context, CUSTOMER_FIELDS.length + attrFields),
    productAttr: shift(product, PRODUCT_FIELDS.length),
    customerFields: CUSTOMER_FIELDS.length + attrFields + (context?.names.length ?? 0),
    productFields: PRODUCT_FIELDS.length + (product?.names.length ?? 0),
  };
}

const firstContextField = (layout: FieldLayout): number => (layout.context.length ? Math.min(...layout.context) : layout.customerFields);

/** A field view for perFieldMean over a tower's field indices. */
const fieldsView = (fieldOf: Int32Array, fields: number): FeatureFields => ({ names: Array.from({ length: fields }, (_, f) => String(f)), fieldOf });

/** Every row with each field's values summing to 1. */
function perFieldRows(m: CsrMatrix, fieldOf: Int32Array): CsrMatrix {
  const fields = fieldsView(fieldOf, fieldOf.length ? Math.max(...fieldOf) + 1 : 0);
  return csrOfRows(Array.from({ length: m.rows }, (_, r) => perFieldMean(m.row(r), fields)), m.cols);
}

/** These rows as a matrix. */
function csrOfRows(rows: SparseRow[], cols: number): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (indptr[i + 1] = indptr[i] + r.indices.length));
  const indices = new Int32Array(indptr[rows.length]);
  const data = new Float32Array(indptr[rows.length]);
  rows.forEach((r, i) => {
    indices.set(r.indices, indptr[i]);
    data.set(r.data, indptr[i]);
  });
  return new CsrMatrix(rows.length, cols, indptr, indices, data);
}

/** m with exactly `rows` rows (rows beyond dropped, missing rows empty). */
function resize(m: CsrMatrix, rows: number): CsrMatrix {
  if (m.rows === rows) return m;
  const indptr = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) indptr[r + 1] = r < m.rows ? m.indptr[r + 1] : indptr[r];
  return new CsrMatrix(rows, m.cols, indptr, m.indices.slice(0, indptr[rows]), m.data.slice(0, indptr[rows]));
}

function sideRow(m: CsrMatrix | null, r: number): SparseRow {
  return m && r < m.rows ? m.row(r) : { indices: new Int32Array(0), data: new Float32Array(0) };
}
