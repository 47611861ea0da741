// Lists for customers a model was not trained on: the share of training customers in the customer's
// segment who have each product (ties broken by the share over everyone), else the share over
// everyone. Scores are those shares, so a cold-start list says how popular each product is.
import { topK, type CsrMatrix, type TopK } from '../matrix/index.js';

export type ColdStartBasis = 'segment' | 'global';

export interface ColdStartList extends TopK {
  basis: ColdStartBasis;
  /** The customers the shares were counted over. */
  customers: number;
}

export interface ColdStartScores {
  shares: Float64Array;
  ranked: Float64Array;
  basis: ColdStartBasis;
  customers: number;
}

export class ColdStart {
  private readonly global: Float64Array;
  private readonly bySegment = new Map<string, Int32Array>();

  /** history: training customers x products; segmentOf: each training customer's segment, if known. */
  constructor(
    private readonly history: CsrMatrix,
    private readonly segmentOf: (customer: number) => string | undefined = () => undefined,
  ) {
    const counts = history.colCounts();
    this.global = Float64Array.from(counts, (n) => n / Math.max(1, history.rows));
  }

  /** The k products for a customer in `segment` (global when the segment is unknown or has no training customers). */
  recommend(segment: string | undefined, k: number): ColdStartList {
    const s = this.scores(segment);
    const list = topK(s.ranked, k);
    return { items: list.items, scores: Float32Array.from(list.items, (p) => s.shares[p]), basis: s.basis, customers: s.customers };
  }

  /**
   * Every product's share for a customer in `segment`: `shares` to show, `ranked` to order by (the segment's
   * share with the global share breaking ties).
   */
  scores(segment: string | undefined): ColdStartScores {
    const members = segment === undefined ? undefined : this.members(segment);
    if (!members?.length) return { shares: this.global, ranked: this.global, basis: 'global', customers: this.history.rows };
    const counts = new Float64Array(this.history.cols);
    const { indptr, indices } = this.history;
    for (const u of members) for (let e = indptr[u]; e < indptr[u + 1]; e++) counts[indices[e]]++;
    // Segment shares differ by at least 1 / n, more than the global share / (n + 1) can add: it only breaks ties.
    const n = members.length;
    return { shares: counts.map((c) => c / n), ranked: counts.map((c, p) => c / n + this.global[p] / (n + 1)), basis: 'segment', customers: n };
  }

  private members(segment: string): Int32Array {
    let m = this.bySegment.get(segment);
    if (!m) {
      const out: number[] = [];
      for (let u = 0; u < this.history.rows; u++) if (this.segmentOf(u) === segment) out.push(u);
      m = Int32Array.from(out);
      this.bySegment.set(segment, m);
    }
    return m;
  }
}
