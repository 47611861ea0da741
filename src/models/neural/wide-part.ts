// The two-tower model's wide part (Wide & Deep): a weight per (customer attribute column, product), and
// per (crossed column, product) for the crossed attribute pairs asked for (age x gender: one column per
// pair of values, the segment of segment popularity), added to the towers' score. It is a log-linear
// model of which product a customer with these attributes picks, so it is fitted first, exactly: full
// softmax over the catalogue, L2-penalised, full-batch Adam over the customers grouped by their row
// (customers with the same attributes share one), deterministic. The towers then train on top of it.
import { NextbestError } from '../../core/errors.js';
import type { CsrMatrix, SparseRow } from '../../matrix/index.js';

/** The wide columns: the attribute columns, then each cross's block of (value, value) columns. */
export interface WideLayout {
  attrColumns: number;
  /** Per cross, its two tower fields, the number of columns of the second, and its first column. */
  crosses: { fields: [number, number]; second: number; offset: number }[];
  /** Each attribute column's position among its field's columns. */
  local: Int32Array;
  columns: number;
}

/**
 * The wide layout of these crosses ("age*gender"), over the customer attribute columns (fieldOf: each
 * column's tower field; fieldNames: the tower's field names, "attr:age").
 */
export function wideLayout(fieldOf: Int32Array, fieldNames: readonly string[], crosses: readonly string[]): WideLayout {
  const sizes = new Map<number, number>();
  const local = Int32Array.from(fieldOf, (f) => {
    const at = sizes.get(f) ?? 0;
    sizes.set(f, at + 1);
    return at;
  });
  const fieldNamed = (name: string, cross: string): number => {
    const f = fieldNames.indexOf(`attr:${name}`);
    if (f < 0 || !sizes.has(f)) {
      const known = fieldNames.filter((n, i) => n.startsWith('attr:') && sizes.has(i)).map((n) => n.slice(5));
      throw new NextbestError('BAD_PARAMETER', `model two-tower: wideCrosses entry "${cross}" names attribute "${name}", which is not among its customer attributes (${known.join(', ') || 'none'}); cross two of those, as age*gender`);
    }
    return f;
  };
  let columns = fieldOf.length;
  const out: WideLayout['crosses'] = [];
  for (const cross of crosses) {
    const names = cross.split('*').map((s) => s.trim());
    if (names.length !== 2 || names[0] === names[1]) throw new NextbestError('BAD_PARAMETER', `model two-tower: wideCrosses entry "${cross}" is not two different attributes; write them as age*gender`);
    const fields: [number, number] = [fieldNamed(names[0], cross), fieldNamed(names[1], cross)];
    const second = sizes.get(fields[1]) as number;
    out.push({ fields, second, offset: columns });
    columns += (sizes.get(fields[0]) as number) * second;
  }
  return { attrColumns: fieldOf.length, crosses: out, local, columns };
}

/** A customer's wide row: its attribute row (each field summing to 1), then its crossed columns. */
export function wideRow(layout: WideLayout, fieldOf: Int32Array, attributes: SparseRow): SparseRow {
  if (!layout.crosses.length) return attributes;
  const indices = Array.from(attributes.indices);
  const data = Array.from(attributes.data);
  forEachCrossed(layout, fieldOf, attributes, (_a, _b, column, value) => {
    indices.push(column);
    data.push(value);
  });
  return { indices: Int32Array.from(indices), data: Float32Array.from(data) };
}

/**
 * Each attribute column's part of product p's wide score for these attributes: its value times its
 * weight, plus half of each crossed column it makes up (wide: products x layout.columns).
 */
export function wideShares(layout: WideLayout, fieldOf: Int32Array, attributes: SparseRow, wide: Float32Array, product: number): Map<number, number> {
  const at = product * layout.columns;
  const shares = new Map<number, number>();
  for (let t = 0; t < attributes.indices.length; t++) shares.set(attributes.indices[t], attributes.data[t] * wide[at + attributes.indices[t]]);
  forEachCrossed(layout, fieldOf, attributes, (a, b, column, value) => {
    const half = (value * wide[at + column]) / 2;
    shares.set(a, (shares.get(a) ?? 0) + half);
    shares.set(b, (shares.get(b) ?? 0) + half);
  });
  return shares;
}

/** Every crossed column of these attributes: its two attribute columns, its column and value. */
function forEachCrossed(layout: WideLayout, fieldOf: Int32Array, attributes: SparseRow, fn: (a: number, b: number, column: number, value: number) => void): void {
  for (const cross of layout.crosses)
    for (let s = 0; s < attributes.indices.length; s++) {
      const a = attributes.indices[s];
      if (fieldOf[a] !== cross.fields[0]) continue;
      for (let t = 0; t < attributes.indices.length; t++) {
        const b = attributes.indices[t];
        if (fieldOf[b] === cross.fields[1]) fn(a, b, cross.offset + layout.local[a] * cross.second + layout.local[b], attributes.data[s] * attributes.data[t]);
      }
    }
}

export interface WideFitSettings {
  /** L2 penalty (l2/2 |W|^2) added to the mean loss per unit of pair strength. */
  l2: number;
  iterations: number;
  learningRate: number;
}

/**
 * The wide weights (products x columns) and product biases minimising the full-softmax loss of the
 * training pairs (history: customers x products, each pair's strength its weight) given each customer's
 * wide row, per unit of strength, plus the L2 penalty.
 */
export function fitWide(history: CsrMatrix, rowOf: (customer: number) => SparseRow, columns: number, settings: WideFitSettings): { wide: Float32Array; bias: Float32Array } {
  const P = history.cols;
  const groups = groupCustomers(history, rowOf);
  const N = Math.max(1, groups.reduce((s, g) => s + g.total, 0));
  const counts = new Float64Array(P);
  for (const g of groups) for (const [p, c] of g.picks) counts[p] += c;
  const bias = Float64Array.from(counts, (c) => Math.log(Math.max(c, 0.5) / N));
  const W = new Float64Array(columns * P);
  const gradW = new Float64Array(columns * P);
  const gradB = new Float64Array(P);
  const adamW = { m: new Float64Array(columns * P), v: new Float64Array(columns * P) };
  const adamB = { m: new Float64Array(P), v: new Float64Array(P) };
  const logits = new Float64Array(P);
  for (let it = 1; it <= settings.iterations; it++) {
    gradB.fill(0);
    for (let t = 0; t < gradW.length; t++) gradW[t] = settings.l2 * W[t];
    for (const g of groups) {
      let max = -Infinity;
      for (let p = 0; p < P; p++) {
        let s = bias[p];
        for (let t = 0; t < g.row.indices.length; t++) s += g.row.data[t] * W[g.row.indices[t] * P + p];
        logits[p] = s;
        if (s > max) max = s;
      }
      let z = 0;
      for (let p = 0; p < P; p++) z += logits[p] = Math.exp(logits[p] - max);
      // logits now holds the residual n P - Y, over N.
      for (let p = 0; p < P; p++) logits[p] = (g.total * logits[p]) / z / N;
      for (const [p, c] of g.picks) logits[p] -= c / N;
      for (let p = 0; p < P; p++) gradB[p] += logits[p];
      for (let t = 0; t < g.row.indices.length; t++) {
        const at = g.row.indices[t] * P;
        const x = g.row.data[t];
        for (let p = 0; p < P; p++) gradW[at + p] += x * logits[p];
      }
    }
    adam(W, gradW, adamW, settings.learningRate, it);
    adam(bias, gradB, adamB, settings.learningRate, it);
  }
  const wide = new Float32Array(P * columns);
  for (let c = 0; c < columns; c++) for (let p = 0; p < P; p++) wide[p * columns + c] = W[c * P + p];
  const mean = bias.reduce((s, b) => s + b, 0) / Math.max(1, P);
  return { wide, bias: Float32Array.from(bias, (b) => b - mean) };
}

interface Group {
  row: SparseRow;
  /** (product, positives) of the group's customers. */
  picks: [number, number][];
  total: number;
}

/** Customers with positives grouped by their wide row, in order of first customer; picks summed by strength. */
function groupCustomers(history: CsrMatrix, rowOf: (customer: number) => SparseRow): Group[] {
  const byKey = new Map<string, { row: SparseRow; picks: Map<number, number>; total: number }>();
  for (let u = 0; u < history.rows; u++) {
    const from = history.indptr[u];
    const to = history.indptr[u + 1];
    if (to === from) continue;
    const row = rowOf(u);
    const key = `${row.indices.join(',')}|${row.data.join(',')}`;
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { row, picks: new Map(), total: 0 }));
    for (let q = from; q < to; q++) {
      const x = history.data[q];
      g.picks.set(history.indices[q], (g.picks.get(history.indices[q]) ?? 0) + x);
      g.total += x;
    }
  }
  return [...byKey.values()].map((g) => ({ row: g.row, picks: [...g.picks], total: g.total }));
}

function adam(x: Float64Array, g: Float64Array, s: { m: Float64Array; v: Float64Array }, lr: number, t: number): void {
  const c1 = 1 - 0.9 ** t;
  const c2 = 1 - 0.999 ** t;
  for (let i = 0; i < x.length; i++) {
    s.m[i] = 0.9 * s.m[i] + 0.1 * g[i];
    s.v[i] = 0.999 * s.v[i] + 0.001 * g[i] * g[i];
    x[i] -= (lr * s.m[i]) / c1 / (Math.sqrt(s.v[i] / c2) + 1e-8);
  }
}
