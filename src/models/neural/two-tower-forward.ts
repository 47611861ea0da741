// The two-tower model's forward pass in plain TypeScript on the weights exported after training (serving
// is synchronous and runs without TensorFlow.js). A tower turns its entity's feature fields into one
// vector: each field is an embedding (the id's; a bag of its attribute columns' embeddings weighted by
// the values; the customer's history pooled by attention), a learned query scores every present field,
// softmax gives the field weights, and the weighted sum goes through a residual MLP:
//   s_f = q · e_f / sqrt(d) + bias_f,  a = softmax(s over present fields),  p = sum_f a_f e_f,
//   out = p + W2 relu(W1 p + b1) + b2.
// The history field: s_i = h · y_i / sqrt(d) over the held products' history embeddings y_i, softmax,
// weighted sum. A score is the dot product of the two towers' vectors plus the product's bias, plus (the
// wide part, when trained) the customer's attribute values times the product's weights for them.
// ./two-tower-graph.ts computes the same in TensorFlow.js for training.
import type { SparseRow } from '../../matrix/index.js';

/** One tower's attention and MLP. */
export interface TowerWeights {
  /** The attention's query (factors). */
  query: Float32Array;
  /** One bias per field: the field's standing in the attention, whatever its embedding. */
  fieldBias: Float32Array;
  /** factors x hidden, hidden, hidden x factors, factors. */
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

export interface TwoTowerWeights {
  factors: number;
  hidden: number;
  customerTower: TowerWeights;
  productTower: TowerWeights;
  /** customers x factors. */
  customerId: Float32Array;
  /** products x factors: the products as the customer's history. */
  historyItem: Float32Array;
  /** The history attention's query (factors). */
  historyQuery: Float32Array;
  /** customer attribute columns x factors. */
  customerAttr: Float32Array;
  /** context columns x factors. */
  context: Float32Array;
  /** products x factors. */
  productId: Float32Array;
  /** One bias per product (its popularity): the score is customer vector · product vector + bias. */
  productBias: Float32Array;
  /** product attribute columns x factors. */
  productAttr: Float32Array;
  /** products x wide columns: the wide part's weights (empty without it). */
  wide: Float32Array;
  /** The towers' share of the score (product vectors are scaled by it): 1, or learned from 0 with the wide part. */
  deepScale: number;
}

/** Fields every customer tower has before its attribute and context fields. */
export const CUSTOMER_FIELDS = ['id', 'history'] as const;
/** Fields every product tower has before its attribute fields. */
export const PRODUCT_FIELDS = ['id'] as const;

/** Where each side-feature column's field sits in its tower. */
export interface FieldLayout {
  /** Tower field of each customer attribute column, of each context column, of each product attribute column. */
  customerAttr: Int32Array;
  context: Int32Array;
  productAttr: Int32Array;
  customerFields: number;
  productFields: number;
}

/** A tower's output and the attention behind it. */
export interface TowerPass {
  vector: Float32Array;
  /** Per field, its attention weight (0 for absent fields). */
  attention: Float32Array;
  /** fields x factors: each field's embedding. */
  embeddings: Float32Array;
  /** The customer tower: each history product's weight within the history field (empty otherwise). */
  historyAttention: Float32Array;
}

export interface CustomerInput {
  /** The customer's id row, or -1 (unknown customers have no id field). */
  id: number;
  /** Held products (in the catalogue). */
  history: Int32Array;
  /** Customer attribute columns, each field's values summing to 1 (./feature-fields perFieldMean). */
  attributes: SparseRow;
  /** Context columns, likewise. */
  context: SparseRow;
}

export interface ProductInput {
  id: number;
  attributes: SparseRow;
}

export function customerPass(w: TwoTowerWeights, layout: FieldLayout, input: CustomerInput): TowerPass {
  const d = w.factors;
  const emb = new Float32Array(layout.customerFields * d);
  const present = new Uint8Array(layout.customerFields);
  if (input.id >= 0) {
    emb.set(w.customerId.subarray(input.id * d, (input.id + 1) * d), 0);
    present[0] = 1;
  }
  const historyAttention = historyPool(w, input.history, emb.subarray(d, 2 * d));
  if (input.history.length) present[1] = 1;
  addBags(w.customerAttr, d, input.attributes, layout.customerAttr, emb, present);
  addBags(w.context, d, input.context, layout.context, emb, present);
  return { ...tower(w.customerTower, d, w.hidden, emb, present), embeddings: emb, historyAttention };
}

export function productPass(w: TwoTowerWeights, layout: FieldLayout, input: ProductInput): TowerPass {
  const d = w.factors;
  const emb = new Float32Array(layout.productFields * d);
  const present = new Uint8Array(layout.productFields);
  if (input.id >= 0) {
    emb.set(w.productId.subarray(input.id * d, (input.id + 1) * d), 0);
    present[0] = 1;
  }
  addBags(w.productAttr, d, input.attributes, layout.productAttr, emb, present);
  const out = tower(w.productTower, d, w.hidden, emb, present);
  if (w.deepScale !== 1) for (let k = 0; k < d; k++) out.vector[k] *= w.deepScale;
  return { ...out, embeddings: emb, historyAttention: new Float32Array(0) };
}

/** Attention pooling of the history products' embeddings into out; returns each product's weight. */
function historyPool(w: TwoTowerWeights, history: Int32Array, out: Float32Array): Float32Array {
  const d = w.factors;
  const n = history.length;
  const weights = new Float32Array(n);
  if (!n) return weights;
  const scale = 1 / Math.sqrt(d);
  const s = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const o = history[i] * d;
    let v = 0;
    for (let t = 0; t < d; t++) v += w.historyQuery[t] * w.historyItem[o + t];
    s[i] = v * scale;
    if (s[i] > max) max = s[i];
  }
  let z = 0;
  for (let i = 0; i < n; i++) z += (s[i] = Math.exp(s[i] - max));
  const acc = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const a = s[i] / z;
    weights[i] = a;
    const o = history[i] * d;
    for (let t = 0; t < d; t++) acc[t] += a * w.historyItem[o + t];
  }
  out.set(acc);
  return weights;
}

/** Adds each column's value times its embedding into its field's row of emb, marking the field present. */
function addBags(table: Float32Array, d: number, row: SparseRow, fieldOf: Int32Array, emb: Float32Array, present: Uint8Array): void {
  for (let t = 0; t < row.indices.length; t++) {
    const c = row.indices[t];
    const v = row.data[t];
    if (!(v > 0) || c < 0 || c >= fieldOf.length) continue;
    const f = fieldOf[c];
    present[f] = 1;
    const o = c * d;
    const e = f * d;
    for (let k = 0; k < d; k++) emb[e + k] += v * table[o + k];
  }
}

/** Attention over the present fields, then the residual MLP. */
function tower(w: TowerWeights, d: number, hidden: number, emb: Float32Array, present: Uint8Array): { vector: Float32Array; attention: Float32Array } {
  const fields = present.length;
  const attention = new Float32Array(fields);
  const scale = 1 / Math.sqrt(d);
  const s = new Float64Array(fields);
  let max = -Infinity;
  for (let f = 0; f < fields; f++) {
    if (!present[f]) continue;
    let v = 0;
    for (let k = 0; k < d; k++) v += w.query[k] * emb[f * d + k];
    s[f] = v * scale + w.fieldBias[f];
    if (s[f] > max) max = s[f];
  }
  let z = 0;
  for (let f = 0; f < fields; f++) if (present[f]) z += (s[f] = Math.exp(s[f] - max));
  const pooled = new Float64Array(d);
  for (let f = 0; f < fields; f++) {
    if (!present[f]) continue;
    const a = s[f] / z;
    attention[f] = a;
    for (let k = 0; k < d; k++) pooled[k] += a * emb[f * d + k];
  }
  const h = new Float64Array(hidden);
  for (let j = 0; j < hidden; j++) h[j] = w.b1[j];
  for (let k = 0; k < d; k++) {
    const x = pooled[k];
    if (x === 0) continue;
    const o = k * hidden;
    for (let j = 0; j < hidden; j++) h[j] += x * w.w1[o + j];
  }
  const vector = new Float32Array(d);
  const out = Float64Array.from(pooled, (x, k) => x + w.b2[k]);
  for (let j = 0; j < hidden; j++) {
    const x = h[j];
    if (!(x > 0)) continue;
    const o = j * d;
    for (let k = 0; k < d; k++) out[k] += x * w.w2[o + k];
  }
  vector.set(out);
  return { vector, attention };
}

/** Adds the wide part's score of every product for these customer attributes into out (products long). */
export function addWideScores(w: TwoTowerWeights, columns: number, attributes: SparseRow, out: Float32Array | Float64Array): void {
  if (!w.wide.length) return;
  const products = out.length;
  for (let t = 0; t < attributes.indices.length; t++) {
    const c = attributes.indices[t];
    const v = attributes.data[t];
    if (!(v > 0) || c < 0 || c >= columns) continue;
    for (let p = 0; p < products; p++) out[p] += v * w.wide[p * columns + c];
  }
}
