// Compressed sparse rows: the one sparse matrix format models train on. Built by counting sort, so
// construction and transposition are linear in the number of entries.
import { NextbestError } from '../core/errors.js';

export interface SparseRow {
  indices: Int32Array;
  data: Float32Array;
}

export class CsrMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    /** Row i's entries are at positions indptr[i] .. indptr[i+1]; length rows + 1. */
    readonly indptr: Int32Array,
    /** Column of each entry, ascending within a row. */
    readonly indices: Int32Array,
    readonly data: Float32Array,
  ) {
    if (indptr.length !== rows + 1 || indices.length !== data.length || indptr[rows] !== indices.length)
      throw new NextbestError('INTERNAL', 'CSR arrays do not agree: indptr must have rows + 1 entries ending at nnz');
  }

  static empty(rows: number, cols: number): CsrMatrix {
    return new CsrMatrix(rows, cols, new Int32Array(rows + 1), new Int32Array(0), new Float32Array(0));
  }

  /**
   * From coordinate triplets in any order. Duplicate (row, col) pairs are summed (in double
   * precision); entries are kept even when the sum is zero.
   */
  static fromCoo(rows: number, cols: number, r: Int32Array, c: Int32Array, v: Float32Array): CsrMatrix {
    const n = r.length;
    if (c.length !== n || v.length !== n)
      throw new NextbestError('INTERNAL', `COO arrays differ in length: ${n}, ${c.length}, ${v.length}`);
    if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(cols) && cols >= 0))
      throw new NextbestError('INTERNAL', `matrix shape must be non-negative integers, got ${rows} x ${cols}`);
    // Two stable counting sorts, by column then by row, leave each row's columns ascending. Row and
    // value travel with each entry so both passes read sequentially (random reads dominate at 20 M).
    const colStart = new Int32Array(cols + 1);
    for (let k = 0; k < n; k++) {
      const j = c[k];
      if (!(j >= 0 && j < cols)) throw new NextbestError('INTERNAL', `column index ${j} is outside 0..${cols - 1}`);
      colStart[j + 1]++;
    }
    for (let j = 0; j < cols; j++) colStart[j + 1] += colStart[j];
    const rowStart = new Int32Array(rows + 1);
    for (let k = 0; k < n; k++) {
      const i = r[k];
      if (!(i >= 0 && i < rows)) throw new NextbestError('INTERNAL', `row index ${i} is outside 0..${rows - 1}`);
      rowStart[i + 1]++;
    }
    for (let i = 0; i < rows; i++) rowStart[i + 1] += rowStart[i];

    const byColRow = new Int32Array(n);
    const byColValue = new Float32Array(n);
    const nextInCol = colStart.slice(0, cols);
    for (let k = 0; k < n; k++) {
      const p = nextInCol[c[k]]++;
      byColRow[p] = r[k];
      byColValue[p] = v[k];
    }
    let indices = new Int32Array(n);
    let data = new Float32Array(n);
    const nextInRow = rowStart.slice(0, rows);
    for (let j = 0; j < cols; j++) {
      for (let t = colStart[j]; t < colStart[j + 1]; t++) {
        const p = nextInRow[byColRow[t]]++;
        indices[p] = j;
        data[p] = byColValue[t];
      }
    }

    // Merge duplicates in place; sums run in double precision.
    const indptr = new Int32Array(rows + 1);
    let nnz = 0;
    for (let i = 0; i < rows; i++) {
      let t = rowStart[i];
      const end = rowStart[i + 1];
      while (t < end) {
        const j = indices[t];
        let sum = data[t++];
        while (t < end && indices[t] === j) sum += data[t++];
        indices[nnz] = j;
        data[nnz++] = sum;
      }
      indptr[i + 1] = nnz;
    }
    if (nnz < n) {
      indices = indices.slice(0, nnz);
      data = data.slice(0, nnz);
    }
    return new CsrMatrix(rows, cols, indptr, indices, data);
  }

  get nnz(): number {
    return this.indices.length;
  }

  /** Views (not copies) of row i's columns and values. */
  row(i: number): SparseRow {
    const a = this.indptr[i];
    const b = this.indptr[i + 1];
    return { indices: this.indices.subarray(a, b), data: this.data.subarray(a, b) };
  }

  /** Value at (i, j), 0 when absent; binary search within the row. */
  get(i: number, j: number): number {
    let lo = this.indptr[i];
    let hi = this.indptr[i + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const col = this.indices[mid];
      if (col === j) return this.data[mid];
      if (col < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** CSR of the transpose, i.e. the column-major (CSC) view; row indices come out sorted. */
  transpose(): CsrMatrix {
    const n = this.nnz;
    const indptr = new Int32Array(this.cols + 1);
    for (let k = 0; k < n; k++) indptr[this.indices[k] + 1]++;
    for (let j = 0; j < this.cols; j++) indptr[j + 1] += indptr[j];
    const next = indptr.slice(0, this.cols);
    const indices = new Int32Array(n);
    const data = new Float32Array(n);
    for (let i = 0; i < this.rows; i++) {
      for (let k = this.indptr[i]; k < this.indptr[i + 1]; k++) {
        const p = next[this.indices[k]]++;
        indices[p] = i;
        data[p] = this.data[k];
      }
    }
    return new CsrMatrix(this.cols, this.rows, indptr, indices, data);
  }

  rowSums(): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) {
      let s = 0;
      for (let k = this.indptr[i]; k < this.indptr[i + 1]; k++) s += this.data[k];
      out[i] = s;
    }
    return out;
  }

  colSums(): Float64Array {
    const out = new Float64Array(this.cols);
    for (let k = 0; k < this.nnz; k++) out[this.indices[k]] += this.data[k];
    return out;
  }

  /** Stored entries per column (item popularity by distinct customers for a customer x item matrix). */
  colCounts(): Int32Array {
    const out = new Int32Array(this.cols);
    for (let k = 0; k < this.nnz; k++) out[this.indices[k]]++;
    return out;
  }

  /** y = A x. */
  multiplyVector(x: ArrayLike<number>, out: Float64Array = new Float64Array(this.rows)): Float64Array {
    if (x.length !== this.cols)
      throw new NextbestError('INTERNAL', `vector has length ${x.length}, the matrix has ${this.cols} columns`);
    for (let i = 0; i < this.rows; i++) {
      let s = 0;
      for (let k = this.indptr[i]; k < this.indptr[i + 1]; k++) s += this.data[k] * x[this.indices[k]];
      out[i] = s;
    }
    return out;
  }

  /** Values mapped by f (e.g. log-scale confidence); shares indptr and indices with this matrix. */
  mapValues(f: (value: number) => number): CsrMatrix {
    const data = new Float32Array(this.nnz);
    for (let k = 0; k < data.length; k++) data[k] = f(this.data[k]);
    return new CsrMatrix(this.rows, this.cols, this.indptr, this.indices, data);
  }
}
