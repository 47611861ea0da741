// Row-major sweeps of one-hot feature groups for the ALS / MCMC engine (./coordinate). Sweeping a
// column reads e_i and q_i at that column's rows; for the product group those rows are spread over the
// whole design, so once the row caches outgrow the CPU cache (10 M rows: 80 MB for e, 80 MB per
// factor of q) nearly every read misses, and a sweep took 14x the time for 10x the rows. In a group
// where no row holds two of its features (customer ids, product ids, an age bucket), changing one
// column's parameter never touches the rows another column reads, so updating all its columns at once
// is exactly the column-by-column sweep: one pass over the rows in order gathers every column's sums,
// the parameters are set (drawn) column by column in the same order, and a second pass moves the row
// caches. The rows are read in order and the per-column sums, as large as the group, stay in cache.
// Each column's sums add the same terms in the same (ascending row) order as its CSC sweep, so the
// result is the same to the last bit.
import type { CsrMatrix } from '../../matrix/csr.js';
import type { Draw } from './relation.js';

/** A group of contiguous columns [from, to) with at most one entry per design row. */
export interface RowGroup {
  readonly group: number;
  readonly from: number;
  readonly to: number;
  /** Column - from of each row's entry in the group, or -1. */
  readonly slot: Int32Array;
  /** The entry's value, or null when every entry is 1. */
  readonly value: Float32Array | null;
}

/** Fewer columns than this are swept one by one: each column's rows are then a large, nearly ordered part of the design. */
const MIN_WIDTH = 8;

/**
 * The groups worth sweeping by rows: at least MIN_WIDTH contiguous columns, at most one entry per row,
 * and entries in at least half the rows (a sparse group's columns are cheaper to sweep one by one).
 * Columns in [skipFrom, skipTo) (a relation block) are never included.
 */
export function findRowGroups(x: CsrMatrix, groups: Int32Array, skipFrom: number, skipTo: number): RowGroup[] {
  const n = x.cols;
  const out: RowGroup[] = [];
  for (let from = 0; from < n; ) {
    const g = groups[from];
    let to = from + 1;
    while (to < n && groups[to] === g) to++;
    const start = from;
    from = to;
    if (to - start < MIN_WIDTH || (start < skipTo && to > skipFrom)) continue;
    if (!contiguous(groups, g, start, to)) continue;
    const group = gather(x, g, start, to);
    if (group) out.push(group);
  }
  return out;
}

/** True when no column outside [from, to) is in group g. */
function contiguous(groups: Int32Array, g: number, from: number, to: number): boolean {
  for (let j = 0; j < groups.length; j++) if (groups[j] === g && (j < from || j >= to)) return false;
  return true;
}

function gather(x: CsrMatrix, g: number, from: number, to: number): RowGroup | null {
  const { indptr, indices, data } = x;
  const N = x.rows;
  const slot = new Int32Array(N).fill(-1);
  const value = new Float32Array(N);
  let covered = 0;
  let ones = true;
  for (let i = 0; i < N; i++) {
    for (let t = indptr[i], b = indptr[i + 1]; t < b; t++) {
      const j = indices[t];
      if (j < from || j >= to) continue;
      if (slot[i] >= 0) return null;
      slot[i] = j - from;
      value[i] = data[t];
      if (data[t] !== 1) ones = false;
      covered++;
    }
  }
  if (2 * covered < N) return null;
  return { group: g, from, to, slot, value: ones ? null : value };
}

/** A stretch of columns swept one by one (CSC), or a row group swept by rows. */
export type Segment = { from: number; to: number; rows: RowGroup | null };

/** The columns outside [skipFrom, skipTo) in ascending order, as stretches and row groups. */
export function sweepSegments(n: number, rowGroups: readonly RowGroup[], skipFrom: number, skipTo: number): Segment[] {
  const out: Segment[] = [];
  const byStart = new Map(rowGroups.map((r) => [r.from, r]));
  let open = -1;
  const close = (at: number): void => {
    if (open >= 0 && at > open) out.push({ from: open, to: at, rows: null });
    open = -1;
  };
  for (let j = 0; j < n; ) {
    const r = byStart.get(j);
    if (r) {
      close(j);
      out.push({ from: r.from, to: r.to, rows: r });
      j = r.to;
    } else if (j === skipFrom && skipTo > skipFrom) {
      close(j);
      j = skipTo;
    } else {
      if (open < 0) open = j;
      j++;
    }
  }
  close(n);
  return out;
}

/** Per-column scratch for a sweep, sized for the widest group. */
export class RowSweeper {
  private readonly sh: Float64Array;
  private readonly s: Float64Array;
  private readonly before: Float64Array;
  private readonly delta: Float64Array;

  constructor(readonly groups: readonly RowGroup[]) {
    const width = Math.max(0, ...groups.map((r) => r.to - r.from));
    this.sh = new Float64Array(width);
    this.s = new Float64Array(width);
    this.before = new Float64Array(width);
    this.delta = new Float64Array(width);
  }

  /** The sweepW of ./coordinate over r's columns, row-major. */
  sweepW(r: RowGroup, w: Float64Array, e: Float64Array, lam: number, mu: number, alpha: number, draw: Draw): void {
    const { slot, value, from } = r;
    const width = r.to - from;
    const { sh, s, delta } = this;
    sh.fill(0, 0, width);
    s.fill(0, 0, width);
    for (let i = 0; i < slot.length; i++) {
      const l = slot[i];
      if (l < 0) continue;
      const h = value ? value[i] : 1;
      sh[l] += h * h;
      s[l] += h * e[i];
    }
    for (let l = 0; l < width; l++) {
      const old = w[from + l];
      const prec = lam + alpha * sh[l];
      const next = draw((lam * mu - alpha * (s[l] - old * sh[l])) / prec, prec);
      delta[l] = next - old;
      w[from + l] = next;
    }
    for (let i = 0; i < slot.length; i++) {
      const l = slot[i];
      if (l >= 0) e[i] += delta[l] * (value ? value[i] : 1);
    }
  }

  /** The sweepV of ./coordinate over r's columns for factor f, row-major; q is factor f's row cache. */
  sweepV(r: RowGroup, v: Float64Array, k: number, f: number, e: Float64Array, q: Float64Array, lam: number, mu: number, alpha: number, draw: Draw): void {
    const { slot, value, from } = r;
    const width = r.to - from;
    const { sh, s, before, delta } = this;
    sh.fill(0, 0, width);
    s.fill(0, 0, width);
    for (let l = 0; l < width; l++) before[l] = v[(from + l) * k + f];
    for (let i = 0; i < slot.length; i++) {
      const l = slot[i];
      if (l < 0) continue;
      const xv = value ? value[i] : 1;
      const h = xv * (q[i] - xv * before[l]);
      sh[l] += h * h;
      s[l] += h * e[i];
    }
    for (let l = 0; l < width; l++) {
      const old = before[l];
      const prec = lam + alpha * sh[l];
      const next = draw((lam * mu - alpha * (s[l] - old * sh[l])) / prec, prec);
      delta[l] = next - old;
      v[(from + l) * k + f] = next;
    }
    for (let i = 0; i < slot.length; i++) {
      const l = slot[i];
      if (l < 0) continue;
      const d = delta[l];
      if (d === 0) continue;
      const xv = value ? value[i] : 1;
      e[i] += xv * (q[i] - xv * before[l]) * d;
      q[i] += xv * d;
    }
  }
}
