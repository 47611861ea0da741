// The implicit-ALS objective (Hu, Koren & Volinsky 2008) of a pair of factor matrices, for progress
// reports: Σ over every cell c (p − x·y)², with p = 1, c = the confidence on held cells and p = 0,
// c = 1 elsewhere, plus λ (‖X‖² + ‖Y‖²). The unheld cells are never visited: Σ_u xᵀ (YᵀY + λI) x gives
// Σ over all cells of (x·y)² plus λ‖X‖², from which each held cell's (x·y)² is taken back out, so with
// the solver's G = YᵀY + λI at hand the cost is O(nnz k + customers k²), under a CG half-iteration.

/** Held cells as CSR rows per customer with their confidences (0: not held). */
export interface ConfidenceRows {
  indptr: Int32Array;
  indices: Int32Array;
  conf: Float32Array;
}

/** The objective divided by the number of held cells; gram is G = YᵀY + λI (k x k) of `item`. */
export function implicitAlsLoss(k: number, user: Float32Array, item: Float32Array, rows: ConfidenceRows, gram: Float32Array, lambda: number): number {
  const customers = rows.indptr.length - 1;
  let loss = 0;
  let held = 0;
  for (let u = 0; u < customers; u++) {
    const x = u * k;
    for (let a = 0; a < k; a++) {
      let ga = 0;
      for (let b = 0; b < k; b++) ga += gram[a * k + b] * user[x + b];
      loss += user[x + a] * ga;
    }
    for (let q = rows.indptr[u]; q < rows.indptr[u + 1]; q++) {
      const c = rows.conf[q];
      if (c === 0) continue;
      const y = rows.indices[q] * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += user[x + a] * item[y + a];
      loss += c * (1 - s) * (1 - s) - s * s;
      held++;
    }
  }
  let itemNorm = 0;
  for (let t = 0; t < item.length; t++) itemNorm += item[t] * item[t];
  return (loss + lambda * itemNorm) / Math.max(1, held);
}
