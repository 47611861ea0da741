// Builds small CSR matrices for the metric tests from one array of column indices per row.
import { CsrMatrix } from '../../../src/matrix/index.js';

export function csrFromRows(rows: number[][], cols: number, values?: number[][]): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  rows.forEach((row, i) =>
    row.forEach((j, t) => {
      r.push(i);
      c.push(j);
      v.push(values ? values[i][t] : 1);
    }),
  );
  return CsrMatrix.fromCoo(rows.length, cols, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v));
}
