// The two-tower model in TensorFlow.js for training: the variables (initialised from a seeded Rng),
// both towers' forward pass on a batch (the same computation as ./two-tower-forward.ts), the in-batch
// sampled softmax with the log-popularity (logQ) correction or BPR against the next example's product
// (scores: tower vectors' dot product plus a per-product bias, plus the wide part fitted beforehand
// (./wide-part): its weight per (wide column, product) times the customer's column values),
// one Adam step, and the weights exported as Float32Arrays for serving.
import type { Rng } from '../../core/rng.js';
import type { Batch } from './two-tower-batch.js';
import type { FieldLayout, TowerWeights, TwoTowerWeights } from './two-tower-forward.js';
import type { Scalar, Tensor, Tensor2D, Tf, Variable } from './tf.js';

export interface GraphShape {
  customers: number;
  products: number;
  factors: number;
  hidden: number;
  customerAttrColumns: number;
  contextColumns: number;
  productAttrColumns: number;
  layout: FieldLayout;
  /** Every product's attribute columns (products x columns, dense) and present fields (products x fields), for negatives=all. */
  catalogue: { attr: Float32Array; fields: Float32Array };
  /** The product biases' start (log popularity, or the wide part's, so training starts from its ranking). */
  productBias: Float32Array;
  /** The wide part's weights (products x columns), held fixed, or null. */
  wide: { weights: Float32Array; columns: number } | null;
}

export interface TrainSettings {
  loss: 'softmax' | 'bpr';
  /** softmax: over the batch's products (logQ-corrected), or over the whole catalogue. */
  negatives: 'batch' | 'all';
  temperature: number;
  l2: number;
  learningRate: number;
}

interface TowerVars {
  query: Variable;
  fieldBias: Variable;
  w1: Variable;
  b1: Variable;
  w2: Variable;
  b2: Variable;
}

/** The variables and constants of one fit; dispose() frees them all. */
export class TwoTowerGraph {
  private readonly vars: Record<string, Variable | null>;
  private readonly customerTower: TowerVars;
  private readonly productTower: TowerVars;
  /** Field membership (fields x columns) of the customer attribute, context and product attribute columns. */
  private readonly members: { customerAttr: Tensor | null; context: Tensor | null; productAttr: Tensor | null };
  private readonly optimizer: ReturnType<Tf["train"]["adam"]>;

  constructor(
    private readonly tf: Tf,
    private readonly shape: GraphShape,
    rng: Rng,
    private readonly settings: TrainSettings,
  ) {
    const { factors: d, hidden: h, customers, products, layout } = shape;
    const normal = (rows: number, cols: number, scale: number): Variable | null => {
      if (rows * cols === 0) return null;
      const v = new Float32Array(rows * cols);
      for (let i = 0; i < v.length; i++) v[i] = rng.normal() * scale;
      return tf.tidy(() => tf.variable(tf.tensor2d(v, [rows, cols])));
    };
    const zeros = (n: number): Variable => tf.tidy(() => tf.variable(tf.zeros([n])));
    const tower = (fields: number): TowerVars => ({
      query: normal(d, 1, 0.1) as Variable,
      fieldBias: zeros(fields),
      w1: normal(d, h, Math.sqrt(2 / d)) as Variable,
      b1: zeros(h),
      w2: normal(h, d, 0.01) as Variable,
      b2: zeros(d),
    });
    this.vars = {
      customerId: normal(customers, d, 0.1),
      historyItem: normal(products, d, 0.1),
      historyQuery: normal(d, 1, 0.1),
      customerAttr: normal(shape.customerAttrColumns, d, 0.1),
      context: normal(shape.contextColumns, d, 0.1),
      productId: normal(products, d, 0.1),
      productAttr: normal(shape.productAttrColumns, d, 0.1),
      productBias: tf.tidy(() => tf.variable(tf.tensor1d(shape.productBias))),
      wide: shape.wide ? tf.tidy(() => tf.variable(tf.tensor2d(shape.wide!.weights, [products, shape.wide!.columns]), false)) : null,
      // With the wide part the towers' share starts at 0 (training starts from the wide part's ranking).
      deepScale: tf.tidy(() => tf.variable(tf.scalar(shape.wide ? 0 : 1), shape.wide !== null)),
    };
    this.customerTower = tower(layout.customerFields);
    this.productTower = tower(layout.productFields);
    const membership = (fieldOf: Int32Array, first: number, fields: number): Tensor | null => {
      const n = fieldOf.length;
      if (!n) return null;
      const count = fields - first;
      const m = new Float32Array(count * n);
      for (let c = 0; c < n; c++) m[(fieldOf[c] - first) * n + c] = 1;
      return tf.tensor3d(m, [1, count, n]);
    };
    const attrFields = layout.customerAttr.length ? Math.max(...layout.customerAttr) + 1 : 2;
    this.members = {
      customerAttr: membership(layout.customerAttr, 2, attrFields),
      context: membership(layout.context, attrFields, layout.customerFields),
      productAttr: membership(layout.productAttr, 1, layout.productFields),
    };
    this.optimizer = tf.train.adam(settings.learningRate);
  }

  /** Customer and product tower outputs for a batch (batch x factors each). */
  forward(b: Batch): { customers: Tensor2D; products: Tensor2D } {
    const { tf, shape, vars } = this;
    const d = shape.factors;
    const n = b.size;
    const L = b.historyLength;
    const Fc = shape.layout.customerFields;
    const customerFields = tf.tensor2d(b.customerFields, [n, Fc]);
    // Customer fields: id, history, attribute bags, context bags.
    const id = tf.gather(vars.customerId as Variable, tf.tensor1d(b.customer, 'int32'));
    const items = tf.reshape(tf.gather(vars.historyItem as Variable, tf.tensor1d(b.history, 'int32')), [n * L, d]);
    const mask = tf.tensor2d(b.historyMask, [n, L]);
    const s = tf.add(tf.mul(tf.reshape(tf.matMul(items, vars.historyQuery as Variable), [n, L]), 1 / Math.sqrt(d)), tf.mul(tf.sub(mask, 1), 1e9));
    const a = tf.mul(tf.softmax(s), mask);
    const history = tf.sum(tf.mul(tf.reshape(items, [n, L, d]), tf.expandDims(a, 2)), 1);
    const customerParts: Tensor[] = [tf.expandDims(id, 1), tf.expandDims(history, 1)];
    if (vars.customerAttr) customerParts.push(this.bags(b.customerAttr, n, shape.customerAttrColumns, vars.customerAttr, this.members.customerAttr as Tensor));
    if (vars.context) customerParts.push(this.bags(b.context, n, shape.contextColumns, vars.context, this.members.context as Tensor));
    const customers = this.tower(tf.concat(customerParts, 1), customerFields, this.customerTower, n, Fc);
    return { customers, products: this.productsOf(b.product, b.productAttr, b.productFields) };
  }

  /** Every batch customer's score of every batch product (batch x batch): the model's score, before the temperature. */
  scores(b: Batch): Tensor2D {
    return this.tf.tidy(() => {
      const { customers, products } = this.forward(b);
      return this.batchScores(b, customers, products);
    });
  }

  private batchScores(b: Batch, u: Tensor2D, v: Tensor2D): Tensor2D {
    const { tf } = this;
    const bias = tf.reshape(tf.gather(this.vars.productBias as Variable, tf.tensor1d(b.product, 'int32')), [1, b.size]);
    const raw = tf.add(tf.matMul(u, v, false, true), bias) as Tensor2D;
    if (!this.vars.wide) return raw;
    return tf.add(raw, tf.matMul(this.wideOf(b), tf.gather(this.vars.wide, tf.tensor1d(b.product, 'int32')), false, true));
  }

  /** The batch's wide columns (batch x columns, dense). */
  private wideOf(b: Batch): Tensor2D {
    return this.tf.tensor2d(b.wide, [b.size, this.shape.wide?.columns ?? 0]);
  }

  /** The product tower's outputs for these products (their attribute columns dense, their present fields). */
  private productsOf(product: Int32Array, attr: Float32Array, present: Float32Array): Tensor2D {
    const { tf, shape, vars } = this;
    const n = product.length;
    const Fp = shape.layout.productFields;
    const parts: Tensor[] = [tf.expandDims(tf.gather(vars.productId as Variable, tf.tensor1d(product, 'int32')), 1)];
    if (vars.productAttr) parts.push(this.bags(attr, n, shape.productAttrColumns, vars.productAttr, this.members.productAttr as Tensor));
    return tf.mul(this.tower(tf.concat(parts, 1), tf.tensor2d(present, [n, Fp]), this.productTower, n, Fp), this.vars.deepScale as Variable) as Tensor2D;
  }

  /** batch x fields x factors: each field's values times its columns' embeddings. */
  private bags(x: Float32Array, n: number, columns: number, table: Variable, members: Tensor): Tensor {
    const { tf } = this;
    const fields = members.shape[1] as number;
    const spread = tf.mul(tf.reshape(tf.tensor2d(x, [n, columns]), [n, 1, columns]), members);
    return tf.reshape(tf.matMul(tf.reshape(spread, [n * fields, columns]), table), [n, fields, this.shape.factors]);
  }

  /** Field attention (absent fields masked and zeroed) and the residual MLP. */
  private tower(fields: Tensor, present: Tensor2D, w: TowerVars, n: number, count: number): Tensor2D {
    const { tf } = this;
    const d = this.shape.factors;
    const emb = tf.mul(fields, tf.expandDims(present, 2));
    const scores = tf.mul(tf.reshape(tf.matMul(tf.reshape(emb, [n * count, d]), w.query), [n, count]), 1 / Math.sqrt(d));
    const s = tf.add(tf.add(scores, w.fieldBias), tf.mul(tf.sub(present, 1), 1e9));
    const a = tf.mul(tf.softmax(s), present);
    const pooled = tf.sum(tf.mul(emb, tf.expandDims(a, 2)), 1) as Tensor2D;
    const hidden = tf.relu(tf.add(tf.matMul(pooled, w.w1), w.b1)) as Tensor2D;
    return tf.add(tf.add(pooled, tf.matMul(hidden, w.w2)), w.b2) as Tensor2D;
  }

  /** The examples' mean of x, each weighed by its pair's strength. */
  private weighted(x: Tensor, b: Batch): Tensor {
    const { tf } = this;
    const total = b.weight.reduce((s, w) => s + w, 0);
    return tf.div(tf.sum(tf.mul(x, tf.tensor1d(b.weight))), Math.max(total, 1e-9));
  }

  /** One Adam step on the batch; returns its loss. */
  step(b: Batch): number {
    const { tf, settings } = this;
    const n = b.size;
    const loss = tf.tidy(() => {
      const value = this.optimizer.minimize(() => {
        const { customers: u, products: v } = this.forward(b);
        const penalty = tf.mul(tf.add(tf.sum(tf.square(u)), tf.sum(tf.square(v))), settings.l2 / n);
        if (settings.loss === 'bpr') {
          const other = tf.concat([tf.slice(v, [1, 0], [n - 1, -1]), tf.slice(v, [0, 0], [1, -1])], 0);
          // Pairs of a different product count, by the example's strength.
          const counted = Float32Array.from(b.product, (p, i) => (p === b.product[(i + 1) % n] ? 0 : b.weight[i]));
          const bias = tf.gather(this.vars.productBias as Variable, tf.tensor1d(b.product, 'int32'));
          const otherBias = tf.concat([tf.slice(bias, [1], [n - 1]), tf.slice(bias, [0], [1])], 0);
          let x = tf.add(tf.sum(tf.mul(u, tf.sub(v, other)), 1), tf.sub(bias, otherBias));
          if (this.vars.wide) {
            const mine = tf.gather(this.vars.wide, tf.tensor1d(b.product, 'int32'));
            const theirs = tf.concat([tf.slice(mine, [1, 0], [n - 1, -1]), tf.slice(mine, [0, 0], [1, -1])], 0);
            x = tf.add(x, tf.sum(tf.mul(this.wideOf(b), tf.sub(mine, theirs)), 1));
          }
          const total = Math.max(1e-9, counted.reduce((s, t) => s + t, 0));
          // log sigmoid (tf.logSigmoid's gradient fails on the wasm backend).
          const logSigmoid = tf.log(tf.add(tf.sigmoid(x), 1e-7));
          return tf.add(tf.neg(tf.div(tf.sum(tf.mul(logSigmoid, tf.tensor1d(counted))), total)), penalty) as Scalar;
        }
        if (settings.negatives === 'all') {
          const P = this.shape.products;
          const all = this.productsOf(Int32Array.from({ length: P }, (_, j) => j), this.shape.catalogue.attr, this.shape.catalogue.fields);
          let raw = tf.add(tf.matMul(u, all, false, true), tf.reshape(this.vars.productBias as Variable, [1, P]));
          if (this.vars.wide) raw = tf.add(raw, tf.matMul(this.wideOf(b), this.vars.wide, false, true));
          const logits = tf.mul(raw, 1 / settings.temperature);
          const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.tensor1d(b.product, 'int32'), P)), 1);
          return tf.add(tf.neg(this.weighted(picked, b)), penalty) as Scalar;
        }
        const scaled = tf.mul(this.batchScores(b, u, v), 1 / settings.temperature);
        const logits = tf.add(tf.sub(scaled, tf.tensor1d(b.logQ)), tf.tensor2d(b.sameProduct, [n, n]));
        const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.eye(n)), 1);
        return tf.add(tf.neg(this.weighted(picked, b)), penalty) as Scalar;
      }, true);
      return value as Scalar;
    });
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  /** The current weights as plain arrays. */
  weights(): TwoTowerWeights {
    const read = (v: Variable | null): Float32Array => (v ? Float32Array.from(v.dataSync() as Float32Array) : new Float32Array(0));
    const tower = (w: TowerVars): TowerWeights => ({
      query: read(w.query),
      fieldBias: read(w.fieldBias),
      w1: read(w.w1),
      b1: read(w.b1),
      w2: read(w.w2),
      b2: read(w.b2),
    });
    const v = this.vars;
    return {
      factors: this.shape.factors,
      hidden: this.shape.hidden,
      customerTower: tower(this.customerTower),
      productTower: tower(this.productTower),
      customerId: read(v.customerId),
      historyItem: read(v.historyItem),
      historyQuery: read(v.historyQuery),
      customerAttr: read(v.customerAttr),
      context: read(v.context),
      productId: read(v.productId),
      productAttr: read(v.productAttr),
      productBias: read(v.productBias),
      wide: read(v.wide),
      deepScale: (v.deepScale as Variable).dataSync()[0],
    };
  }

  dispose(): void {
    for (const v of Object.values(this.vars)) v?.dispose();
    for (const t of [this.customerTower, this.productTower]) for (const v of Object.values(t)) v.dispose();
    for (const m of Object.values(this.members)) m?.dispose();
    this.optimizer.dispose();
  }
}
