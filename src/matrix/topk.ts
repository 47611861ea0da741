// Top-k selection over a dense score vector with a bounded heap: O(n log k). Ties go to the lower
// product index, as ../shared/BENCHMARKS.md defines, so results are deterministic.

export interface TopK {
  items: Int32Array;
  scores: Float32Array;
}

/** True when a (score, item) pair ranks above another. */
const better = (sa: number, ia: number, sb: number, ib: number): boolean => sa > sb || (sa === sb && ia < ib);

/**
 * The k best entries of scores. Entries with skip[item] set, or NaN / -Infinity scores, are left out;
 * when candidates is given only those items are considered.
 */
export function topK(scores: Float32Array | Float64Array, k: number, skip?: Uint8Array, candidates?: Int32Array): TopK {
  const heapItems = new Int32Array(k);
  const heapScores = new Float64Array(k);
  let size = 0;
  const n = candidates ? candidates.length : scores.length;
  for (let c = 0; c < n; c++) {
    const i = candidates ? candidates[c] : c;
    const s = scores[i];
    if (skip && skip[i]) continue;
    if (!(s > -Infinity)) continue;
    if (size < k) {
      // Sift up in a min-heap whose root is the worst kept entry.
      let p = size++;
      while (p > 0) {
        const parent = (p - 1) >> 1;
        if (!better(heapScores[parent], heapItems[parent], s, i)) break;
        heapScores[p] = heapScores[parent];
        heapItems[p] = heapItems[parent];
        p = parent;
      }
      heapScores[p] = s;
      heapItems[p] = i;
    } else if (k > 0 && better(s, i, heapScores[0], heapItems[0])) {
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        if (l >= size) break;
        const r = l + 1;
        const worst = r < size && better(heapScores[l], heapItems[l], heapScores[r], heapItems[r]) ? r : l;
        if (!better(s, i, heapScores[worst], heapItems[worst])) break;
        heapScores[p] = heapScores[worst];
        heapItems[p] = heapItems[worst];
        p = worst;
      }
      heapScores[p] = s;
      heapItems[p] = i;
    }
  }
  const order = Array.from({ length: size }, (_, j) => j).sort((a, b) =>
    better(heapScores[a], heapItems[a], heapScores[b], heapItems[b]) ? -1 : 1,
  );
  const items = new Int32Array(size);
  const out = new Float32Array(size);
  order.forEach((j, r) => {
    items[r] = heapItems[j];
    out[r] = heapScores[j];
  });
  return { items, scores: out };
}
