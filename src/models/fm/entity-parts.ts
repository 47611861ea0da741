// A ranking FM's output split by the entities a scored row is made of. A row x is the sum of a
// customer's features a, the request's context c and a product's features p (disjoint columns); with
// s_e the sum of an entity's feature factors and b_e its linear terms plus the pairs among its own
// features, the order-2 FM output is
//   y = w0 + b_a + b_c + b_p + <s_a, s_c> + <s_a, s_p> + <s_c, s_p>,
// so a customer in a context is one "entity" with bias b_a + b_c + <s_a, s_c> and vector s_a + s_c,
// and every product then costs one dot product. Parts are stacked over parameter sets (one, or the
// MCMC samples): each set's vector carries sqrt(1 / sets), so a dot product of stacked vectors is the
// sets' average, and biases are averaged.
import type { CsrMatrix, SparseRow } from '../../matrix/index.js';
import type { FmParams } from './model.js';

/** One entity's part: its bias and its stacked factor sum. */
export interface EntityPart {
  bias: number;
  vec: Float64Array;
}

export interface ScoringParts {
  /** The parameter sets the parts average over. */
  sets: readonly FmParams[];
  w0: number;
  /** Length of a stacked vector: k times the number of parameter sets. */
  width: number;
  /** Each customer's own features (id, side features), without context. */
  customerBias: Float64Array;
  /** customers x width. */
  customerVec: Float64Array;
  productBias: Float64Array;
  /** products x width. */
  productVec: Float64Array;
  /** products x width, unit length (for similarItems). */
  productUnit: Float32Array | null;
}

/**
 * Adds one parameter set's terms of a sparse row (entries from..to of indices / data) to an entity:
 * returns its bias share (linear + self pairs, scaled by 1 / sets), writes its scaled factor sum into
 * vec at offset o.
 */
function addSet(params: FmParams, scale: number, indices: ArrayLike<number>, data: ArrayLike<number>, from: number, to: number, vec: Float64Array, o: number): number {
  const { w, v, k } = params;
  const r = Math.sqrt(scale);
  let lin = 0;
  let sq = 0;
  for (let f = 0; f < k; f++) vec[o + f] = 0;
  for (let t = from; t < to; t++) {
    const j = indices[t];
    const x = data[t];
    lin += w[j] * x;
    const b = j * k;
    for (let f = 0; f < k; f++) {
      const d = v[b + f] * x;
      vec[o + f] += d;
      sq += d * d;
    }
  }
  let pairs = -sq;
  for (let f = 0; f < k; f++) pairs += vec[o + f] * vec[o + f];
  for (let f = 0; f < k; f++) vec[o + f] *= r;
  return scale * (lin + 0.5 * pairs);
}

/** The parts of every customer row and every product row (in the FM's columns). */
export function scoringParts(sets: readonly FmParams[], rows: { customerRows: CsrMatrix; productRows: CsrMatrix }): ScoringParts {
  const { customerRows: cr, productRows: pr } = rows;
  const width = sets[0].k * sets.length;
  const scale = 1 / sets.length;
  const parts: ScoringParts = {
    sets,
    w0: 0,
    width,
    customerBias: new Float64Array(cr.rows),
    customerVec: new Float64Array(cr.rows * width),
    productBias: new Float64Array(pr.rows),
    productVec: new Float64Array(pr.rows * width),
    productUnit: null,
  };
  sets.forEach((params, s) => {
    parts.w0 += scale * params.w0;
    const o = s * params.k;
    for (let u = 0; u < cr.rows; u++) parts.customerBias[u] += addSet(params, scale, cr.indices, cr.data, cr.indptr[u], cr.indptr[u + 1], parts.customerVec, u * width + o);
    for (let p = 0; p < pr.rows; p++) parts.productBias[p] += addSet(params, scale, pr.indices, pr.data, pr.indptr[p], pr.indptr[p + 1], parts.productVec, p * width + o);
  });
  return parts;
}

/** The part of one sparse row in the FM's columns (a context, or a new customer's side features). */
export function rowPart(parts: ScoringParts, row: SparseRow): EntityPart {
  const vec = new Float64Array(parts.width);
  const scale = 1 / parts.sets.length;
  let bias = 0;
  parts.sets.forEach((params, s) => (bias += addSet(params, scale, row.indices, row.data, 0, row.indices.length, vec, s * params.k)));
  return { bias, vec };
}

/** Two entities as one: b_a + b_c + <s_a, s_c> and s_a + s_c. */
export function joinParts(a: EntityPart, c: EntityPart): EntityPart {
  const vec = new Float64Array(a.vec.length);
  let bias = a.bias + c.bias;
  for (let f = 0; f < vec.length; f++) {
    bias += a.vec[f] * c.vec[f];
    vec[f] = a.vec[f] + c.vec[f];
  }
  return { bias, vec };
}

/**
 * Each feature of row c (a context) in the output of row a + c + p: x_j w_j + x_j <v_j, s_a + s_p>
 * plus half of its pairs with c's other features, averaged over the sets; they sum to
 * b_c + <s_c, s_a + s_p>, everything c adds to the output. a and p are stacked parts.
 */
export function featureContributions(parts: ScoringParts, c: SparseRow, a: Float64Array, p: Float64Array): Float64Array {
  const out = new Float64Array(c.indices.length);
  const S = parts.sets.length;
  const r = Math.sqrt(1 / S);
  parts.sets.forEach((params, s) => {
    const { w, v, k } = params;
    const o = s * k;
    const sc = new Float64Array(k);
    c.indices.forEach((j, t) => {
      for (let f = 0; f < k; f++) sc[f] += v[j * k + f] * c.data[t];
    });
    c.indices.forEach((j, t) => {
      const x = c.data[t];
      let term = x * w[j];
      for (let f = 0; f < k; f++) {
        const vj = v[j * k + f] * x;
        // a and p carry sqrt(1 / S): undo it to get the set's own factor sums.
        term += vj * ((a[o + f] + p[o + f]) / r) + 0.5 * vj * (sc[f] - vj);
      }
      out[t] += term / S;
    });
  });
  return out;
}
