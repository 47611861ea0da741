// Dense symmetric positive-definite inverse by blocked Cholesky, on flat row-major Float64Arrays, for
// EASE. The O(n^3) work (about n^3 / 2 multiply-adds) all goes through one kernel: dot products of
// contiguous row segments one block wide, 4 x 2 at a time so each load feeds two multiply-adds, with
// column tiles small enough to stay in cache: 1-1.3 G multiply-adds/s, ~2 s for order 1682 on a 2-core VM.
import { NextbestError } from '../core/errors.js';

/** Block width: the length of every dot product in the bulk updates. */
const NB = 64;
/** Columns per tile of a bulk update, so the tile's row segments stay in L2. */
const TILE = 256;

function checkSquare(a: Float64Array, n: number): void {
  if (!(Number.isInteger(n) && n >= 0) || a.length !== n * n)
    throw new NextbestError('INTERNAL', `expected an ${n} x ${n} matrix (${n * n} values), got ${a.length} values`);
}

function pivot(d: number, i: number): number {
  if (!(d > 0))
    throw new NextbestError('BAD_PARAMETER', `matrix is not positive definite (pivot ${i} is ${d}); raise the regularisation`);
  return Math.sqrt(d);
}

/**
 * out[r][c] += sign * sum_{k0 <= k < ke} x[r][k] * y[c][k] for r in [r0, r1) and c in [c0, c1), and only
 * c <= r when lower is set. All three matrices are n x n row-major and may be the same array, as long as
 * the entries written are not among those read.
 */
function rankUpdate(
  out: Float64Array,
  x: Float64Array,
  y: Float64Array,
  n: number,
  k0: number,
  ke: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  lower: boolean,
  sign: number,
): void {
  const len = ke - k0;
  if (len <= 0) return;
  for (let cc = c0; cc < c1; cc += TILE) {
    const cTileEnd = Math.min(cc + TILE, c1);
    let r = lower ? Math.max(r0, cc) : r0;
    for (; r + 3 < r1; r += 4) {
      const x0 = r * n + k0;
      const x1 = x0 + n;
      const x2 = x1 + n;
      const x3 = x2 + n;
      const cEnd = lower ? Math.min(cTileEnd, r + 4) : cTileEnd;
      let c = cc;
      for (; c + 1 < cEnd; c += 2) {
        const y0 = c * n + k0;
        const y1 = y0 + n;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        let s20 = 0;
        let s21 = 0;
        let s30 = 0;
        let s31 = 0;
        for (let k = 0; k < len; k++) {
          const a0 = x[x0 + k];
          const a1 = x[x1 + k];
          const a2 = x[x2 + k];
          const a3 = x[x3 + k];
          const b0 = y[y0 + k];
          const b1 = y[y1 + k];
          s00 += a0 * b0;
          s01 += a0 * b1;
          s10 += a1 * b0;
          s11 += a1 * b1;
          s20 += a2 * b0;
          s21 += a2 * b1;
          s30 += a3 * b0;
          s31 += a3 * b1;
        }
        const o = r * n + c;
        if (!lower || c + 1 <= r) {
          out[o] += sign * s00;
          out[o + 1] += sign * s01;
          out[o + n] += sign * s10;
          out[o + n + 1] += sign * s11;
          out[o + 2 * n] += sign * s20;
          out[o + 2 * n + 1] += sign * s21;
          out[o + 3 * n] += sign * s30;
          out[o + 3 * n + 1] += sign * s31;
        } else {
          // The 4 x 2 block straddles the diagonal: keep the entries with column <= row.
          const s = [s00, s01, s10, s11, s20, s21, s30, s31];
          for (let q = 0; q < 8; q++) {
            const row = r + (q >> 1);
            const col = c + (q & 1);
            if (col <= row) out[row * n + col] += sign * s[q];
          }
        }
      }
      for (; c < cEnd; c++) {
        const y0 = c * n + k0;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let k = 0; k < len; k++) {
          const b = y[y0 + k];
          s0 += x[x0 + k] * b;
          s1 += x[x1 + k] * b;
          s2 += x[x2 + k] * b;
          s3 += x[x3 + k] * b;
        }
        const o = r * n + c;
        if (!lower || c <= r) out[o] += sign * s0;
        if (!lower || c <= r + 1) out[o + n] += sign * s1;
        if (!lower || c <= r + 2) out[o + 2 * n] += sign * s2;
        out[o + 3 * n] += sign * s3; // c < r + 4 always holds here
      }
    }
    for (; r < r1; r++) {
      const x0 = r * n + k0;
      const cEnd = lower ? Math.min(cTileEnd, r + 1) : cTileEnd;
      for (let c = cc; c < cEnd; c++) {
        const y0 = c * n + k0;
        let s = 0;
        for (let k = 0; k < len; k++) s += x[x0 + k] * y[y0 + k];
        out[r * n + c] += sign * s;
      }
    }
  }
}

/**
 * Overwrites the lower triangle (diagonal included) of the n x n row-major matrix a with its Cholesky
 * factor L (a = L Lᵀ); the strict upper triangle is not read or written. Throws when a is not positive
 * definite.
 */
export function choleskyInPlace(a: Float64Array, n: number): void {
  checkSquare(a, n);
  for (let k0 = 0; k0 < n; k0 += NB) {
    const ke = Math.min(k0 + NB, n);
    // Diagonal block and the panel below it: earlier blocks are already subtracted, so only the
    // terms from this block's columns remain.
    for (let i = k0; i < n; i++) {
      const ri = i * n;
      const jEnd = Math.min(i, ke);
      for (let j = k0; j < jEnd; j++) {
        const rj = j * n;
        let s = a[ri + j];
        for (let k = k0; k < j; k++) s -= a[ri + k] * a[rj + k];
        a[ri + j] = s / a[rj + j];
      }
      if (i < ke) {
        let d = a[ri + i];
        for (let k = k0; k < i; k++) d -= a[ri + k] * a[ri + k];
        a[ri + i] = pivot(d, i);
      }
    }
    // Trailing update: A[i][j] -= L[i, K] · L[j, K] for ke <= j <= i.
    rankUpdate(a, a, a, n, k0, ke, ke, n, ke, n, true, -1);
  }
}

/**
 * Given the Cholesky factor L in the lower triangle of l, returns T = L⁻ᵀ (upper triangular, zeros
 * below the diagonal). Row j of T solves T[j] Lᵀ = e_j on its own, so rows are independent and each
 * finished column block is pushed into the later columns as one bulk update.
 */
export function invertLowerTransposed(l: Float64Array, n: number): Float64Array {
  checkSquare(l, n);
  const t = new Float64Array(n * n);
  for (let k0 = 0; k0 < n; k0 += NB) {
    const ke = Math.min(k0 + NB, n);
    // Finish columns k0..ke-1; t[j][i] already holds sum_{k < k0} T_jk L_ik.
    for (let j = 0; j < ke; j++) {
      const tj = j * n;
      for (let i = Math.max(j, k0); i < ke; i++) {
        const ri = i * n;
        let s = (i === j ? 1 : 0) - t[tj + i];
        for (let k = Math.max(j, k0); k < i; k++) s -= t[tj + k] * l[ri + k];
        t[tj + i] = s / l[ri + i];
      }
    }
    // t[j][i] += T[j, K] · L[i, K] for later columns i; T is zero below its diagonal, so all of K counts.
    rankUpdate(t, t, l, n, k0, ke, 0, ke, ke, n, false, 1);
  }
  return t;
}

/**
 * The inverse of a symmetric positive-definite n x n matrix, written over a (row-major, both triangles):
 * with a = L Lᵀ and T = L⁻ᵀ, a⁻¹ = L⁻ᵀ L⁻¹ = T Tᵀ. Uses one n x n scratch array.
 */
export function spdInverseInPlace(a: Float64Array, n: number): Float64Array {
  choleskyInPlace(a, n);
  const t = invertLowerTransposed(a, n);
  a.fill(0);
  // (T Tᵀ)_ij = sum_k T_ik T_jk; row i of T is zero before column i, so block K only touches rows < ke.
  for (let k0 = 0; k0 < n; k0 += NB) {
    const ke = Math.min(k0 + NB, n);
    rankUpdate(a, t, t, n, k0, ke, 0, ke, 0, ke, true, 1);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
  return a;
}
