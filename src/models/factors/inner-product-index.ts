// Top-k products by inner product with a customer's factors without scoring the whole catalogue: for
// serving factor models (ALS, BPR, WARP) over large catalogues. A product's bias joins its vector as
// one more dimension (query [x, 1] . [y, b] = x.y + b). An HNSW index (usearch, inner-product metric)
// proposes candidates, scored exactly; their k-th best score is then a threshold, and the products
// are checked in decreasing order of norm until the Cauchy-Schwarz bound |q| |y'| falls below it, so
// no product that could enter the list is missed: the list is the exact one (scores in double
// precision as scoreAll computes them, ranked as topK ranks: higher score, then the lower index),
// and the index only decides how little of the catalogue is scored.
import usearch from 'usearch';
import type { TopK } from '../../matrix/index.js';

export interface InnerProductIndexOptions {
  /** Candidates asked of the index per query, at least; default 30. */
  candidates?: number;
  /** HNSW breadth while searching (usearch expansion_search); default 64. */
  expansionSearch?: number;
}

/** Relative margin on the bound, so rounding never stops the scan early. */
const MARGIN = 1e-5;

export class InnerProductIndex {
  private readonly hnsw: InstanceType<typeof usearch.Index>;
  private readonly query: Float32Array;
  private readonly candidates: number;
  /** Products by decreasing norm of [y, b], and those norms. */
  private readonly byNorm: Int32Array;
  private readonly norms: Float64Array;
  /** Products scored for the current query (a stamp per query, so it is never cleared). */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(
    private readonly item: Float32Array,
    private readonly bias: Float32Array,
    readonly products: number,
    readonly factors: number,
    opts: InnerProductIndexOptions = {},
  ) {
    const dims = factors + 1;
    this.candidates = opts.candidates ?? 30;
    this.hnsw = new usearch.Index({
      dimensions: dims,
      metric: usearch.MetricKind.IP,
      quantization: usearch.ScalarKind.F32,
      connectivity: 16,
      expansion_add: 128,
      expansion_search: opts.expansionSearch ?? 64,
      multi: false,
    });
    const vectors = new Float32Array(products * dims);
    const norms = new Float64Array(products);
    for (let j = 0; j < products; j++) {
      vectors.set(item.subarray(j * factors, (j + 1) * factors), j * dims);
      vectors[j * dims + factors] = bias.length ? bias[j] : 0;
      let s = 0;
      for (let t = 0; t < dims; t++) s += vectors[j * dims + t] ** 2;
      norms[j] = Math.sqrt(s);
    }
    const keys = new BigUint64Array(products);
    for (let j = 0; j < products; j++) keys[j] = BigInt(j);
    this.hnsw.add(keys, vectors, 0);
    this.byNorm = Int32Array.from({ length: products }, (_, j) => j).sort((a, b) => norms[b] - norms[a] || a - b);
    this.norms = Float64Array.from(this.byNorm, (j) => norms[j]);
    this.seen = new Uint32Array(products);
    this.query = new Float32Array(dims);
    this.query[factors] = 1;
  }

  /** The k products with the largest x . y + b, leaving out those with skip[p] set (`skipped` of them). */
  topK(x: Float32Array, k: number, skip?: Uint8Array, skipped = 0): TopK {
    const { factors, item, bias, seen } = this;
    if (++this.stamp === 0xffffffff) {
      seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    // The best k so far, best first.
    const ids: number[] = [];
    const scores: number[] = [];
    const consider = (p: number): void => {
      seen[p] = stamp;
      if (skip && skip[p]) return;
      let s = 0;
      const o = p * factors;
      for (let t = 0; t < factors; t++) s += x[t] * item[o + t];
      const score = Math.fround(bias.length ? s + bias[p] : s);
      let at = ids.length;
      while (at > 0 && (score > scores[at - 1] || (score === scores[at - 1] && p < ids[at - 1]))) at--;
      if (at >= k) return;
      ids.splice(at, 0, p);
      scores.splice(at, 0, score);
      if (ids.length > k) {
        ids.pop();
        scores.pop();
      }
    };
    this.query.set(x.subarray(0, factors));
    const found = this.hnsw.search(this.query, Math.min(this.products, Math.max(this.candidates, k) + skipped), 1);
    for (const key of found.keys) consider(Number(key));
    let q = bias.length ? 1 : 0;
    for (let t = 0; t < factors; t++) q += x[t] * x[t];
    q = Math.sqrt(q);
    for (let r = 0; r < this.products; r++) {
      if (ids.length === k && q * this.norms[r] * (1 + MARGIN) + 1e-12 < scores[k - 1]) break;
      const p = this.byNorm[r];
      if (seen[p] !== stamp) consider(p);
    }
    return { items: Int32Array.from(ids), scores: Float32Array.from(scores) };
  }
}
