// Nearest neighbours in factor space by cosine similarity: exact for small sets, an HNSW index
// (usearch) for large catalogues where scanning every vector per query is too slow.
import usearch from 'usearch';
import { NextbestError } from '../../core/errors.js';

export interface Neighbours {
  /** Row indices, most similar first. */
  ids: Int32Array;
  /** Cosine similarity of each. */
  similarities: Float32Array;
}

export interface FactorIndexOptions {
  /** Use the approximate index from this many rows on (default 20,000). */
  approximateFrom?: number;
}

/** Each row of a row-major matrix scaled to unit length (zero rows stay zero). */
export function normalised(x: Float32Array, dims: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i += dims) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += x[i + d] * x[i + d];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dims; d++) out[i + d] = x[i + d] * inv;
  }
  return out;
}

export class FactorIndex {
  private readonly unit: Float32Array;
  private readonly hnsw: InstanceType<typeof usearch.Index> | null = null;
  readonly rows: number;

  constructor(
    x: Float32Array,
    readonly dims: number,
    opts: FactorIndexOptions = {},
  ) {
    if (dims < 1 || x.length % dims !== 0) throw new NextbestError('INTERNAL', `factor rows must have ${dims} values each`);
    this.rows = x.length / dims;
    this.unit = normalised(x, dims);
    if (this.rows >= (opts.approximateFrom ?? 20_000)) {
      this.hnsw = new usearch.Index({
        dimensions: dims,
        metric: usearch.MetricKind.Cos,
        quantization: usearch.ScalarKind.F32,
        connectivity: 16,
        expansion_add: 128,
        expansion_search: 64,
        multi: false,
      });
      const keys = new BigUint64Array(this.rows);
      for (let i = 0; i < this.rows; i++) keys[i] = BigInt(i);
      this.hnsw.add(keys, this.unit);
    }
  }

  get approximate(): boolean {
    return this.hnsw !== null;
  }

  /** The k rows most similar to row `row`, excluding itself. */
  neighboursOf(row: number, k: number): Neighbours {
    return this.search(this.unit.subarray(row * this.dims, (row + 1) * this.dims), k, row);
  }

  /** The k rows most similar to a query vector; `skip` leaves one row out. */
  search(query: Float32Array, k: number, skip = -1): Neighbours {
    const q = normalised(query, this.dims);
    if (this.hnsw) {
      const r = this.hnsw.search(q, Math.min(this.rows, k + 1), 1);
      const ids: number[] = [];
      const sims: number[] = [];
      r.keys.forEach((key: bigint, i: number) => {
        const id = Number(key);
        if (id !== skip && ids.length < k) {
          ids.push(id);
          sims.push(1 - r.distances[i]);
        }
      });
      return { ids: Int32Array.from(ids), similarities: Float32Array.from(sims) };
    }
    const sims = new Float32Array(this.rows);
    for (let i = 0; i < this.rows; i++) {
      let s = 0;
      for (let d = 0; d < this.dims; d++) s += this.unit[i * this.dims + d] * q[d];
      sims[i] = s;
    }
    if (skip >= 0) sims[skip] = -Infinity;
    const order = Array.from({ length: this.rows }, (_, i) => i)
      .filter((i) => sims[i] > -Infinity)
      .sort((a, b) => sims[b] - sims[a] || a - b)
      .slice(0, k);
    return { ids: Int32Array.from(order), similarities: Float32Array.from(order, (i) => sims[i]) };
  }
}
