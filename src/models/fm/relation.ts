// A block of features shared by every row of one entity (libFM's "block structure", Rendle 2013,
// "Scaling Factorization Machines to Relational Data"): the held-products group gives every rating of a
// customer the same |N(u)| features, so writing them into each row multiplies the design's size by the
// history length. A Relation keeps them once per entity instead; the ALS / MCMC sweeps over the block
// (sweepRelationW, sweepRelationV) work on per-entity sums of the row caches and cost
// O(nnz of the block + rows) per factor instead of O(rows x history).
//
// The algebra, for a block feature j of entity u with value r = r_uj, factor f, q_i = sum_l v_lf x_il:
//   h_i = d y_i / d v_jf = r (q_i - v_jf r) for every row i of u, so with per-entity sums
//   n_u = rows, E = sum e_i, Q = sum q_i, QQ = sum q_i^2, EQ = sum e_i q_i:
//   sum_i h_i^2 = r^2 (QQ - 2 v r Q + n v^2 r^2),  sum_i h_i e_i = r (EQ - v r E);
//   a change d of v_jf moves y_i by exactly d h_i and q_i by r d, which updates the sums in O(1).
// After the block's sweep the rows catch up in one pass: with qb_u = sum_j r_uj v_jf and
// sb_u = sum_j (r_uj v_jf)^2, y_i moves by (q_i - qb_u) (qb_u' - qb_u) + (qb_u'^2 - qb_u^2 - sb_u' + sb_u) / 2.
import { NextbestError } from '../../core/errors.js';
import { CsrMatrix } from '../../matrix/csr.js';
import type { FmParams } from './model.js';

/** A draw from N(mean, 1 / prec) (MCMC), or the mean itself (ALS). */
export type Draw = (mean: number, prec: number) => number;

export interface Relation {
  /** Entity of each design row (length x.rows), or -1 when the row has none of the block's features. */
  rowEntity: Int32Array;
  /** entities x block features: the values every row of the entity carries. */
  matrix: CsrMatrix;
  /** Design column of the block's first feature; the block takes matrix.cols columns from there. */
  offset: number;
}

/** Checks a relation against its design; returns the one feature group all of the block's columns share. */
export function checkRelation(rel: Relation, rows: number, groups: Int32Array): number {
  const cols = groups.length;
  if (rel.rowEntity.length !== rows) throw new NextbestError('INTERNAL', `relation: ${rel.rowEntity.length} row entities for ${rows} rows`);
  if (rel.offset < 0 || rel.offset + rel.matrix.cols > cols)
    throw new NextbestError('INTERNAL', `relation: columns ${rel.offset}..${rel.offset + rel.matrix.cols} exceed the design's ${cols}`);
  for (let i = 0; i < rows; i++)
    if (rel.rowEntity[i] >= rel.matrix.rows) throw new NextbestError('INTERNAL', `relation: row ${i} names entity ${rel.rowEntity[i]} of ${rel.matrix.rows}`);
  const g = rel.matrix.cols ? groups[rel.offset] : 0;
  for (let j = 1; j < rel.matrix.cols; j++)
    if (groups[rel.offset + j] !== g) throw new NextbestError('INTERNAL', 'relation: the block\'s features must all be in one group');
  return g;
}

/** The rows of x with each row's block features written in (what SGD and prediction read). */
export function expandRelation(x: CsrMatrix, rel: Relation): CsrMatrix {
  const { rowEntity: ent, matrix: m, offset } = rel;
  const len = (i: number): number => (ent[i] >= 0 ? m.indptr[ent[i] + 1] - m.indptr[ent[i]] : 0);
  const indptr = new Int32Array(x.rows + 1);
  for (let i = 0; i < x.rows; i++) indptr[i + 1] = indptr[i] + x.indptr[i + 1] - x.indptr[i] + len(i);
  const indices = new Int32Array(indptr[x.rows]);
  const data = new Float32Array(indptr[x.rows]);
  for (let i = 0; i < x.rows; i++) {
    let p = indptr[i];
    for (let t = x.indptr[i]; t < x.indptr[i + 1]; t++) {
      indices[p] = x.indices[t];
      data[p++] = x.data[t];
    }
    const u = ent[i];
    if (u >= 0)
      for (let t = m.indptr[u]; t < m.indptr[u + 1]; t++) {
        indices[p] = offset + m.indices[t];
        data[p++] = m.data[t];
      }
  }
  return new CsrMatrix(x.rows, x.cols, indptr, indices, data);
}

/** Raw outputs of every row of x plus its entity's block features, in O(k x (nnz(x) + nnz(block) + rows)). */
export function predictRawWithRelation(params: FmParams, x: CsrMatrix, rel: Relation, out: Float64Array = new Float64Array(x.rows)): Float64Array {
  const { k, w, v } = params;
  const { matrix: m, offset, rowEntity: ent } = rel;
  // Per entity: linear part, factor sums and sums of squares of the block.
  const lin = new Float64Array(m.rows);
  const qb = new Float64Array(m.rows * k);
  const sb = new Float64Array(m.rows);
  for (let u = 0; u < m.rows; u++)
    for (let t = m.indptr[u]; t < m.indptr[u + 1]; t++) {
      const j = offset + m.indices[t];
      const r = m.data[t];
      lin[u] += w[j] * r;
      for (let f = 0; f < k; f++) {
        const d = v[j * k + f] * r;
        qb[u * k + f] += d;
        sb[u] += d * d;
      }
    }
  const q = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    const u = ent[i];
    let y = params.w0;
    let sq = 0;
    q.fill(0);
    for (let t = x.indptr[i]; t < x.indptr[i + 1]; t++) {
      const j = x.indices[t];
      const xv = x.data[t];
      y += w[j] * xv;
      for (let f = 0; f < k; f++) {
        const d = v[j * k + f] * xv;
        q[f] += d;
        sq += d * d;
      }
    }
    if (u >= 0) {
      y += lin[u];
      sq += sb[u];
      for (let f = 0; f < k; f++) q[f] += qb[u * k + f];
    }
    let pairs = -sq;
    for (let f = 0; f < k; f++) pairs += q[f] * q[f];
    out[i] = y + 0.5 * pairs;
  }
  return out;
}

/** Per-entity sums of the row caches and scratch for the block sweeps (allocated once per fit). */
export class RelationSweeper {
  private readonly csc: CsrMatrix;
  private readonly n: Float64Array;
  private readonly E: Float64Array;
  private readonly Q: Float64Array;
  private readonly QQ: Float64Array;
  private readonly EQ: Float64Array;
  private readonly qb: Float64Array;
  private readonly sb: Float64Array;
  private readonly lb: Float64Array;

  constructor(private readonly rel: Relation) {
    const U = rel.matrix.rows;
    this.csc = rel.matrix.transpose();
    this.n = new Float64Array(U);
    for (const u of rel.rowEntity) if (u >= 0) this.n[u]++;
    this.E = new Float64Array(U);
    this.Q = new Float64Array(U);
    this.QQ = new Float64Array(U);
    this.EQ = new Float64Array(U);
    this.qb = new Float64Array(U);
    this.sb = new Float64Array(U);
    this.lb = new Float64Array(U);
  }

  /** Adds each row's block factor sums to q (layout q[f * rows + i]), after the rows' own sums. */
  addFactorSums(v: Float64Array, k: number, q: Float64Array): void {
    const { rowEntity: ent, offset, matrix: m } = this.rel;
    const N = ent.length;
    const qb = new Float64Array(m.rows * k);
    for (let u = 0; u < m.rows; u++)
      for (let t = m.indptr[u]; t < m.indptr[u + 1]; t++) {
        const j = (offset + m.indices[t]) * k;
        const r = m.data[t];
        for (let f = 0; f < k; f++) qb[u * k + f] += v[j + f] * r;
      }
    for (let i = 0; i < N; i++) {
      const u = ent[i];
      if (u >= 0) for (let f = 0; f < k; f++) q[f * N + i] += qb[u * k + f];
    }
  }

  /** Updates the block's w_j given all else; e (per row) is kept in step. */
  sweepW(w: Float64Array, e: Float64Array, lam: number, mu: number, alpha: number, draw: Draw): void {
    const { rowEntity: ent, offset } = this.rel;
    const { csc, n, E, lb } = this;
    E.fill(0);
    lb.fill(0);
    for (let i = 0; i < ent.length; i++) if (ent[i] >= 0) E[ent[i]] += e[i];
    for (let j = 0; j < csc.rows; j++) {
      const a = csc.indptr[j];
      const b = csc.indptr[j + 1];
      if (a === b) continue;
      const old = w[offset + j];
      let sh = 0;
      let s = 0;
      for (let t = a; t < b; t++) {
        const u = csc.indices[t];
        const r = csc.data[t];
        sh += n[u] * r * r;
        s += r * E[u];
      }
      s -= old * sh;
      const prec = lam + alpha * sh;
      const next = draw((lam * mu - alpha * s) / prec, prec);
      const d = next - old;
      w[offset + j] = next;
      if (d !== 0)
        for (let t = a; t < b; t++) {
          const u = csc.indices[t];
          const r = csc.data[t];
          E[u] += n[u] * r * d;
          lb[u] += r * d;
        }
    }
    for (let i = 0; i < ent.length; i++) if (ent[i] >= 0) e[i] += lb[ent[i]];
  }

  /**
   * Updates the block's v_jf for factor f given all else; e and q (q[i] = sum_l v_lf x_il over the
   * row's own and block features) are kept in step. Priors: lam and mu for the block's group.
   */
  sweepV(
    v: Float64Array,
    k: number,
    f: number,
    e: Float64Array,
    q: Float64Array,
    lam: number,
    mu: number,
    alpha: number,
    draw: Draw,
  ): void {
    const { rowEntity: ent, offset, matrix: m } = this.rel;
    const { csc, n, E, Q, QQ, EQ, qb, sb } = this;
    E.fill(0);
    Q.fill(0);
    QQ.fill(0);
    EQ.fill(0);
    for (let i = 0; i < ent.length; i++) {
      const u = ent[i];
      if (u < 0) continue;
      E[u] += e[i];
      Q[u] += q[i];
      QQ[u] += q[i] * q[i];
      EQ[u] += e[i] * q[i];
    }
    const blockSums = (qOut: Float64Array, sOut: Float64Array): void => {
      for (let u = 0; u < m.rows; u++) {
        let a = 0;
        let s = 0;
        for (let t = m.indptr[u]; t < m.indptr[u + 1]; t++) {
          const d = v[(offset + m.indices[t]) * k + f] * m.data[t];
          a += d;
          s += d * d;
        }
        qOut[u] = a;
        sOut[u] = s;
      }
    };
    blockSums(qb, sb);
    const qbOld = qb.slice();
    const sbOld = sb.slice();
    for (let j = 0; j < csc.rows; j++) {
      const a = csc.indptr[j];
      const b = csc.indptr[j + 1];
      if (a === b) continue;
      const at = (offset + j) * k + f;
      const old = v[at];
      let sh = 0;
      let s = 0;
      for (let t = a; t < b; t++) {
        const u = csc.indices[t];
        const r = csc.data[t];
        sh += r * r * (QQ[u] - 2 * old * r * Q[u] + n[u] * old * old * r * r);
        s += r * (EQ[u] - old * r * E[u]);
      }
      s -= old * sh;
      const prec = lam + alpha * sh;
      const next = draw((lam * mu - alpha * s) / prec, prec);
      const d = next - old;
      v[at] = next;
      if (d === 0) continue;
      for (let t = a; t < b; t++) {
        const u = csc.indices[t];
        const r = csc.data[t];
        const sumH = r * (Q[u] - n[u] * old * r);
        const sumHQ = r * (QQ[u] - old * r * Q[u]);
        const e0 = E[u];
        const q0 = Q[u];
        EQ[u] += r * d * e0 + d * sumHQ + r * d * d * sumH;
        QQ[u] += 2 * r * d * q0 + n[u] * r * r * d * d;
        E[u] += d * sumH;
        Q[u] += n[u] * r * d;
      }
    }
    blockSums(qb, sb);
    for (let i = 0; i < ent.length; i++) {
      const u = ent[i];
      if (u < 0) continue;
      const dq = qb[u] - qbOld[u];
      if (dq === 0 && sb[u] === sbOld[u]) continue;
      e[i] += (q[i] - qbOld[u]) * dq + 0.5 * (qb[u] * qb[u] - qbOld[u] * qbOld[u] - sb[u] + sbOld[u]);
      q[i] += dq;
    }
  }
}

