import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../../src/matrix/index.js';

const dense = (m: CsrMatrix): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.get(i, j)));

const coo = (triplets: [number, number, number][]) => ({
  r: new Int32Array(triplets.map((t) => t[0])),
  c: new Int32Array(triplets.map((t) => t[1])),
  v: new Float32Array(triplets.map((t) => t[2])),
});

describe('CsrMatrix', () => {
  const { r, c, v } = coo([
    [2, 3, 1],
    [0, 2, 2],
    [0, 0, 3],
    [2, 0, 4],
    [0, 2, 5], // duplicate of (0, 2)
    [2, 3, 0.5], // duplicate of (2, 3)
  ]);
  const m = CsrMatrix.fromCoo(4, 4, r, c, v); // row 1 and 3 empty

  it('sums duplicates and sorts columns within rows', () => {
    expect(m.nnz).toBe(4);
    expect(Array.from(m.indptr)).toEqual([0, 2, 2, 4, 4]);
    expect(Array.from(m.indices)).toEqual([0, 2, 0, 3]);
    expect(Array.from(m.data)).toEqual([3, 7, 4, 1.5]);
    expect(dense(m)).toEqual([
      [3, 0, 7, 0],
      [0, 0, 0, 0],
      [4, 0, 0, 1.5],
      [0, 0, 0, 0],
    ]);
  });

  it('row() returns views', () => {
    const row = m.row(2);
    expect(Array.from(row.indices)).toEqual([0, 3]);
    expect(Array.from(row.data)).toEqual([4, 1.5]);
    expect(row.data.buffer).toBe(m.data.buffer);
    expect(m.row(1).indices.length).toBe(0);
  });

  it('transposes, and transposing twice gives the original', () => {
    const t = m.transpose();
    expect(t.rows).toBe(4);
    expect(Array.from(t.indptr)).toEqual([0, 2, 2, 3, 4]);
    expect(Array.from(t.indices)).toEqual([0, 2, 0, 2]);
    expect(Array.from(t.data)).toEqual([3, 4, 7, 1.5]);
    const tt = t.transpose();
    expect(tt.indptr).toEqual(m.indptr);
    expect(tt.indices).toEqual(m.indices);
    expect(tt.data).toEqual(m.data);
  });

  it('transposes non-square matrices', () => {
    const { r, c, v } = coo([
      [1, 2, 9],
      [0, 1, 8],
    ]);
    const a = CsrMatrix.fromCoo(2, 3, r, c, v);
    const t = a.transpose();
    expect([t.rows, t.cols]).toEqual([3, 2]);
    expect(dense(t)).toEqual([
      [0, 0],
      [8, 0],
      [0, 9],
    ]);
  });

  it('computes sums, counts and products', () => {
    expect(Array.from(m.rowSums())).toEqual([10, 0, 5.5, 0]);
    expect(Array.from(m.colSums())).toEqual([7, 0, 7, 1.5]);
    expect(Array.from(m.colCounts())).toEqual([2, 0, 1, 1]);
    expect(Array.from(m.multiplyVector([1, 10, 100, 1000]))).toEqual([703, 0, 1504, 0]);
    expect(() => m.multiplyVector([1])).toThrow(/length/);
    expect(Array.from(m.mapValues((x) => Math.min(x, 1)).data)).toEqual([1, 1, 1, 1]);
  });

  it('handles empty input and rejects bad coordinates', () => {
    const e = CsrMatrix.fromCoo(3, 2, new Int32Array(0), new Int32Array(0), new Float32Array(0));
    expect(Array.from(e.indptr)).toEqual([0, 0, 0, 0]);
    expect(e.transpose().indptr.length).toBe(3);
    expect(CsrMatrix.empty(2, 5).nnz).toBe(0);
    const bad = coo([[0, 5, 1]]);
    expect(() => CsrMatrix.fromCoo(1, 5, bad.r, bad.c, bad.v)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    const badRow = coo([[1, 0, 1]]);
    expect(() => CsrMatrix.fromCoo(1, 5, badRow.r, badRow.c, badRow.v)).toThrow(/row index/);
    expect(() => CsrMatrix.fromCoo(1, 5, badRow.r, new Int32Array(0), badRow.v)).toThrow(/differ/);
  });
});
