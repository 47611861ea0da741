// Pieces the models share: training-set checks, co-occurrence and nearest-neighbour kernels, scoring a
// history against a product x product matrix, similar-item lists, and packing state for artifacts.
import { NextbestError } from '../core/errors.js';
import { CsrMatrix, topK, type SparseRow, type TopK } from '../matrix/index.js';
import type { ArtifactArray, ModelState, TrainingSet } from './contract.js';

export const notFitted = (name: string): NextbestError =>
  new NextbestError('INTERNAL', `model ${name} is not fitted; fit or load it first`);

/** The customer x product shape of a training set; an empty catalogue cannot be fitted. */
export function trainingShape(name: string, data: TrainingSet): { customers: number; products: number } {
  const m = data.interactions.userItem;
  if (m.cols === 0) throw new NextbestError('NO_EVENTS', `model ${name}: the training set has no products`);
  return { customers: m.rows, products: m.cols };
}

/** The same sparsity pattern with every stored value 1 (shares indptr and indices). */
export const binarize = (m: CsrMatrix): CsrMatrix =>
  new CsrMatrix(m.rows, m.cols, m.indptr, m.indices, new Float32Array(m.nnz).fill(1));

/**
 * C = Xᵀ X as a products x products CSR (diagonal included), from X (customers x products) and its
 * transpose. Cost is the sum over customers of (products held)^2; accumulation is in double precision.
 */
export function cooccurrence(userItem: CsrMatrix, itemUser: CsrMatrix): CsrMatrix {
  const n = userItem.cols;
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const mark = new Uint8Array(n);
  const indptr = new Int32Array(n + 1);
  let indices = new Int32Array(Math.max(16, userItem.nnz * 4));
  let data = new Float32Array(indices.length);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let p = itemUser.indptr[i]; p < itemUser.indptr[i + 1]; p++) {
      const u = itemUser.indices[p];
      const xu = itemUser.data[p];
      for (let q = userItem.indptr[u]; q < userItem.indptr[u + 1]; q++) {
        const j = userItem.indices[q];
        if (!mark[j]) {
          mark[j] = 1;
          touched[count++] = j;
        }
        acc[j] += xu * userItem.data[q];
      }
    }
    const cols = touched.subarray(0, count).sort();
    if (nnz + count > indices.length) {
      const cap = Math.max(indices.length * 2, nnz + count);
      indices = grow(indices, new Int32Array(cap));
      data = grow(data, new Float32Array(cap));
    }
    for (let t = 0; t < count; t++) {
      const j = cols[t];
      indices[nnz] = j;
      data[nnz++] = acc[j];
      acc[j] = 0;
      mark[j] = 0;
    }
    indptr[i + 1] = nnz;
  }
  return new CsrMatrix(n, n, indptr, indices.slice(0, nnz), data.slice(0, nnz));
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The diagonal of a square CSR matrix (0 where nothing is stored). */
export function diagonal(m: CsrMatrix): Float64Array {
  const d = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) d[i] = m.get(i, i);
  return d;
}

/** Pair updates a Gram matrix may cost before fitting is refused (about half a minute here). */
export const MAX_PAIR_UPDATES = 2e9;

/**
 * Work to form A Aᵀ row by row from A (rows x cols) and its transpose: the sum over columns of (entries
 * in the column)^2. Refuses, in one line, work beyond MAX_PAIR_UPDATES.
 */
export function checkGramWork(name: string, at: CsrMatrix, what: string): void {
  let work = 0;
  for (let c = 0; c < at.rows; c++) {
    const d = at.indptr[c + 1] - at.indptr[c];
    work += d * d;
  }
  if (work > MAX_PAIR_UPDATES)
    throw new NextbestError(
      'TOO_LARGE',
      `model ${name} would need ${work.toExponential(1)} pair updates (${what}), over the limit of ${MAX_PAIR_UPDATES.toExponential(0)}; use another model or fewer ${what.split(' ')[0]}`,
    );
}

/**
 * The k nearest rows of A by cosine with shrinkage, dot / (|a| |b| + shrink), for every row of A, from
 * A (rows x cols) and its transpose: one dense row of A Aᵀ at a time, so memory stays rows x k. Ties go
 * to the lower index; rows sharing nothing are never neighbours; kept columns come out ascending.
 */
export function nearestRows(a: CsrMatrix, at: CsrMatrix, k: number, shrink: number): CsrMatrix {
  const n = a.rows;
  const norm = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let q = a.indptr[r]; q < a.indptr[r + 1]; q++) s += a.data[q] * a.data[q];
    norm[r] = Math.sqrt(s);
  }
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const mark = new Uint8Array(n);
  const indptr = new Int32Array(n + 1);
  let indices = new Int32Array(Math.min(n * k, 1 << 20));
  let data = new Float32Array(indices.length);
  let nnz = 0;
  for (let r = 0; r < n; r++) {
    let count = 0;
    for (let q = a.indptr[r]; q < a.indptr[r + 1]; q++) {
      const c = a.indices[q];
      const v = a.data[q];
      for (let t = at.indptr[c]; t < at.indptr[c + 1]; t++) {
        const s = at.indices[t];
        if (!mark[s]) {
          mark[s] = 1;
          touched[count++] = s;
        }
        acc[s] += v * at.data[t];
      }
    }
    for (let t = 0; t < count; t++) {
      const s = touched[t];
      acc[s] = s === r ? -Infinity : acc[s] / (norm[r] * norm[s] + shrink);
    }
    const best = topK(acc, Math.min(k, count), undefined, touched.subarray(0, count));
    const order = best.items.sort();
    if (nnz + order.length > indices.length) {
      const cap = Math.max(indices.length * 2, nnz + order.length);
      indices = grow(indices, new Int32Array(cap));
      data = grow(data, new Float32Array(cap));
    }
    for (let t = 0; t < order.length; t++) {
      indices[nnz] = order[t];
      data[nnz++] = acc[order[t]];
    }
    for (let t = 0; t < count; t++) {
      acc[touched[t]] = 0;
      mark[touched[t]] = 0;
    }
    indptr[r + 1] = nnz;
  }
  return new CsrMatrix(n, n, indptr, indices.slice(0, nnz), data.slice(0, nnz));
}

/**
 * Scores as history · M for a products x products matrix M: out[j] = sum over history entries (i, w) of
 * w M[i][j], accumulated in double precision. M is held dense when at least half full (the dense copy
 * is then no larger than the CSR), which lets four rows go in one pass.
 */
export class RowScorer {
  private readonly dense: Float32Array | null;
  private readonly acc: Float64Array;

  constructor(readonly m: CsrMatrix) {
    this.acc = new Float64Array(m.cols);
    if (2 * m.nnz >= m.rows * m.cols && m.rows * m.cols <= 1 << 28) {
      const d = new Float32Array(m.rows * m.cols);
      for (let i = 0; i < m.rows; i++)
        for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) d[i * m.cols + m.indices[k]] = m.data[k];
      this.dense = d;
    } else {
      this.dense = null;
    }
  }

  /** History entries outside the matrix's rows are ignored. */
  scoreInto(history: SparseRow, out: Float32Array): void {
    const acc = this.acc;
    acc.fill(0);
    if (this.dense) addDenseRows(this.dense, this.m.rows, this.m.cols, history, acc);
    else {
      const m = this.m;
      for (let t = 0; t < history.indices.length; t++) {
        const r = history.indices[t];
        if (r >= m.rows) continue;
        const w = history.data[t];
        for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) acc[m.indices[p]] += w * m.data[p];
      }
    }
    out.set(acc);
  }

  /** The terms w M[i][product] of each history entry (i, w): their sum is scoreInto's score for the product. */
  terms(history: SparseRow, product: number): Float64Array {
    return historyTerms(history, this.m.rows, (i) => (this.dense ? this.dense[i * this.m.cols + product] : this.m.get(i, product)));
  }
}

/** Per history entry (i, w), w x weight(i); 0 for entries outside the first `rows` products. */
export function historyTerms(history: SparseRow, rows: number, weight: (i: number) => number): Float64Array {
  const out = new Float64Array(history.indices.length);
  for (let t = 0; t < out.length; t++) {
    const i = history.indices[t];
    if (i < rows) out[t] = history.data[t] * weight(i);
  }
  return out;
}

/** acc += sum over history entries (i, w) of w * row i of the rows x n row-major matrix d, four rows per pass. */
export function addDenseRows(d: Float32Array, rows: number, n: number, history: SparseRow, acc: Float64Array): void {
  const { indices, data } = history;
  let t = 0;
  const next = (): number => {
    while (t < indices.length && indices[t] >= rows) t++;
    return t < indices.length ? t++ : -1;
  };
  for (;;) {
    const a = next();
    if (a < 0) return;
    const b = next();
    const c = b < 0 ? -1 : next();
    const e = c < 0 ? -1 : next();
    if (e < 0) {
      // Fewer than four left: one row at a time.
      for (const q of [a, b, c]) {
        if (q < 0) continue;
        const r = indices[q] * n;
        const w = data[q];
        for (let j = 0; j < n; j++) acc[j] += w * d[r + j];
      }
      return;
    }
    const r0 = indices[a] * n;
    const r1 = indices[b] * n;
    const r2 = indices[c] * n;
    const r3 = indices[e] * n;
    const w0 = data[a];
    const w1 = data[b];
    const w2 = data[c];
    const w3 = data[e];
    for (let j = 0; j < n; j++) acc[j] += w0 * d[r0 + j] + w1 * d[r1 + j] + w2 * d[r2 + j] + w3 * d[r3 + j];
  }
}

/** The k most similar other products from row p of a similarity matrix: stored entries only. */
export function similarFromRows(m: CsrMatrix, products: Int32Array, k: number): TopK[] {
  checkK(k);
  const dense = new Float64Array(m.cols);
  const skip = new Uint8Array(m.cols);
  return Array.from(products, (p) => {
    checkProduct(p, m.rows);
    const row = m.row(p);
    for (let t = 0; t < row.indices.length; t++) dense[row.indices[t]] = row.data[t];
    skip[p] = 1;
    const out = topK(dense, Math.min(k, row.indices.length), skip, row.indices);
    skip[p] = 0;
    for (let t = 0; t < row.indices.length; t++) dense[row.indices[t]] = 0;
    return out;
  });
}

/** The k best other products by a dense score per product (row p of a dense matrix, or one vector). */
export function similarFromDense(scores: (p: number) => Float32Array, n: number, products: Int32Array, k: number): TopK[] {
  checkK(k);
  const skip = new Uint8Array(n);
  return Array.from(products, (p) => {
    checkProduct(p, n);
    skip[p] = 1;
    const out = topK(scores(p), Math.min(k, n - 1), skip);
    skip[p] = 0;
    return out;
  });
}

export function checkK(k: number): void {
  if (!(Number.isInteger(k) && k > 0)) throw new NextbestError('BAD_OPTION', `k must be a positive whole number, got ${k}`);
}

export function checkProduct(p: number, n: number): void {
  if (!(Number.isInteger(p) && p >= 0 && p < n))
    throw new NextbestError('INTERNAL', `product index ${p} is outside the model's catalogue (0..${n - 1})`);
}

/** A named array from saved state, checked for type (and length when given). */
export function stateArray<T extends ArtifactArray>(
  name: string,
  state: ModelState,
  key: string,
  type: { new (length: number): T; name: string },
  length?: number,
): T {
  const a = state.arrays[key];
  if (!(a instanceof type))
    throw new NextbestError('CORRUPT_MODEL', `model ${name}: saved state has no ${type.name} "${key}"; save the model again`);
  if (length !== undefined && a.length !== length)
    throw new NextbestError('CORRUPT_MODEL', `model ${name}: saved "${key}" has ${a.length} values, expected ${length}`);
  return a;
}

/** A whole number from saved state's json. */
export function stateCount(name: string, state: ModelState, key: string): number {
  const v = state.json[key];
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0))
    throw new NextbestError('CORRUPT_MODEL', `model ${name}: saved state has no count "${key}"; save the model again`);
  return v;
}

export function csrArrays(prefix: string, m: CsrMatrix): Record<string, ArtifactArray> {
  return { [`${prefix}.indptr`]: m.indptr, [`${prefix}.indices`]: m.indices, [`${prefix}.data`]: m.data };
}

export function csrFromState(name: string, state: ModelState, prefix: string, rows: number, cols: number): CsrMatrix {
  const indptr = stateArray(name, state, `${prefix}.indptr`, Int32Array, rows + 1);
  const indices = stateArray(name, state, `${prefix}.indices`, Int32Array);
  const data = stateArray(name, state, `${prefix}.data`, Float32Array, indices.length);
  for (let k = 0; k < indices.length; k++)
    if (!(indices[k] >= 0 && indices[k] < cols))
      throw new NextbestError('CORRUPT_MODEL', `model ${name}: saved "${prefix}" has a column outside 0..${cols - 1}`);
  return new CsrMatrix(rows, cols, indptr, indices, data);
}

/** Saved state must come from a model with the same parameters, or restored scores would differ. */
export function checkSameParams(name: string, params: object, state: ModelState): void {
  const canon = (p: unknown): string =>
    JSON.stringify(Object.entries((p ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (canon(params) !== canon(state.json.params))
    throw new NextbestError(
      'CORRUPT_MODEL',
      `model ${name}: saved state was fitted with parameters ${canon(state.json.params)}, this model has ${canon(params)}`,
    );
}
