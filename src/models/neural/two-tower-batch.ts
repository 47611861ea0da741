// Training examples of the two-tower model as the arrays one step feeds TensorFlow.js: per example the
// customer's id, a history (its held products but the example's own, sampled down to a fixed length),
// its attribute and context columns dense, the product's id and attribute columns, and which fields are
// present; id dropout hides the customer's id and history, and the product's id, at random, so the
// towers learn to score from attributes alone (as they must for customers and products without history).
import type { Rng } from '../../core/rng.js';
import type { CsrMatrix } from '../../matrix/index.js';
import type { FieldLayout } from './two-tower-forward.js';

/** What examples are drawn from. */
export interface TowerData {
  layout: FieldLayout;
  /** customers x products: the histories (training pairs only). */
  history: CsrMatrix;
  /** customers x attribute columns, products x attribute columns (each field summing to 1), or null. */
  customerAttr: CsrMatrix | null;
  productAttr: CsrMatrix | null;
  /** pairs x context columns (row = the pair's position in `history`), or null. */
  context: CsrMatrix | null;
  customerAttrColumns: number;
  contextColumns: number;
  productAttrColumns: number;
  /** customers x wide columns (./wide-part), or null without the wide part. */
  wide: CsrMatrix | null;
  /** log of each product's share of the training pairs (the in-batch sampling probability). */
  logQ: Float32Array;
}

/** One batch, as flat arrays. */
export interface Batch {
  size: number;
  /** Longest history (its columns). */
  historyLength: number;
  customer: Int32Array;
  /** size x historyLength products, and 1 where a slot holds one. */
  history: Int32Array;
  historyMask: Float32Array;
  customerAttr: Float32Array;
  /** size x wide columns. */
  wide: Float32Array;
  context: Float32Array;
  /** size x customer fields, 1 where the field is present. */
  customerFields: Float32Array;
  product: Int32Array;
  productAttr: Float32Array;
  productFields: Float32Array;
  /** Per example, log q of its product. */
  logQ: Float32Array;
  /** Per example, its pair's strength (the loss weighs examples by it). */
  weight: Float32Array;
  /** size x size: -1e9 where example j's product is example i's too (j != i), else 0. */
  sameProduct: Float32Array;
}

export interface BatchOptions {
  /** Most history products per example; 0: all of them. */
  historyLength: number;
  /** Leave the example's own product out of its history (training). */
  leaveOut: boolean;
  /** Chance of hiding the customer's id and history, and of hiding the product's id. */
  dropout: number;
  productDropout: number;
  rng: Rng;
}

/** The batch of examples `pairs` (positions in data.history). */
export function makeBatch(data: TowerData, pairs: Int32Array, owners: Int32Array, opts: BatchOptions): Batch {
  const { layout, history } = data;
  const n = pairs.length;
  const lists: Int32Array[] = [];
  let longest = 0;
  for (let b = 0; b < n; b++) {
    const q = pairs[b];
    const u = owners[q];
    const from = history.indptr[u];
    const to = history.indptr[u + 1];
    const own = opts.leaveOut ? q : -1;
    const available = to - from - (own >= 0 ? 1 : 0);
    const want = opts.historyLength > 0 ? Math.min(opts.historyLength, available) : available;
    const list = new Int32Array(want);
    if (want === available) {
      let t = 0;
      for (let p = from; p < to; p++) if (p !== own) list[t++] = history.indices[p];
    } else {
      // Partial Fisher-Yates over the positions but the example's own.
      const pos = Int32Array.from({ length: available }, (_, i) => from + i + (own >= 0 && from + i >= own ? 1 : 0));
      for (let i = 0; i < want; i++) {
        const j = i + opts.rng.int(available - i);
        const x = pos[i];
        pos[i] = pos[j];
        pos[j] = x;
        list[i] = history.indices[pos[i]];
      }
    }
    lists.push(list);
    if (want > longest) longest = want;
  }
  const L = Math.max(1, longest);
  const Fc = layout.customerFields;
  const Fp = layout.productFields;
  const batch: Batch = {
    size: n,
    historyLength: L,
    customer: new Int32Array(n),
    history: new Int32Array(n * L),
    historyMask: new Float32Array(n * L),
    customerAttr: new Float32Array(n * data.customerAttrColumns),
    wide: new Float32Array(n * (data.wide?.cols ?? 0)),
    context: new Float32Array(n * data.contextColumns),
    customerFields: new Float32Array(n * Fc),
    product: new Int32Array(n),
    productAttr: new Float32Array(n * data.productAttrColumns),
    productFields: new Float32Array(n * Fp),
    logQ: new Float32Array(n),
    weight: new Float32Array(n),
    sameProduct: new Float32Array(n * n),
  };
  const dense = (m: CsrMatrix | null, row: number, out: Float32Array, width: number, at: number, fieldOf: Int32Array, fields: Float32Array, fieldAt: number) => {
    if (!m || row >= m.rows) return;
    for (let t = m.indptr[row]; t < m.indptr[row + 1]; t++) {
      if (!(m.data[t] > 0)) continue;
      out[at * width + m.indices[t]] = m.data[t];
      fields[fieldAt + fieldOf[m.indices[t]]] = 1;
    }
  };
  for (let b = 0; b < n; b++) {
    const q = pairs[b];
    const u = owners[q];
    const p = history.indices[q];
    batch.customer[b] = u;
    batch.product[b] = p;
    batch.logQ[b] = data.logQ[p];
    batch.weight[b] = history.data[q];
    const hideCustomer = opts.dropout > 0 && opts.rng.next() < opts.dropout;
    const hideProduct = opts.productDropout > 0 && opts.rng.next() < opts.productDropout;
    if (!hideCustomer) {
      batch.customerFields[b * Fc] = 1;
      const list = lists[b];
      for (let i = 0; i < list.length; i++) {
        batch.history[b * L + i] = list[i];
        batch.historyMask[b * L + i] = 1;
      }
      if (list.length) batch.customerFields[b * Fc + 1] = 1;
    }
    dense(data.customerAttr, u, batch.customerAttr, data.customerAttrColumns, b, layout.customerAttr, batch.customerFields, b * Fc);
    const wide = data.wide;
    if (wide && u < wide.rows) for (let t = wide.indptr[u]; t < wide.indptr[u + 1]; t++) batch.wide[b * wide.cols + wide.indices[t]] = wide.data[t];
    dense(data.context, q, batch.context, data.contextColumns, b, layout.context, batch.customerFields, b * Fc);
    if (!hideProduct) batch.productFields[b * Fp] = 1;
    dense(data.productAttr, p, batch.productAttr, data.productAttrColumns, b, layout.productAttr, batch.productFields, b * Fp);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && batch.product[i] === batch.product[j]) batch.sameProduct[i * n + j] = -1e9;
  return batch;
}
