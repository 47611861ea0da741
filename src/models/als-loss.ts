// The implicit-ALS objective (Hu, Koren & Volinsky 2008) of a pair of factor matrices, for progress
// reports: Σ over every cell c (p − x·y)², with p = 1, c = the confidence on held cells and p = 0,
// c = 1 elsewhere, plus λ (‖X‖² + ‖Y‖²). The unheld cells are never visited: Σ over all cells of (x·y)²
// is Σ_u xᵀ (YᵀY) x, from which each held cell's (x·y)² is taken back out, so the cost is
// O(nnz k + (customers + products) k²), about a conjugate-gradient half-iteration.

/** Held cells as CSR rows per customer with their confidences (0: not held). */
export interface ConfidenceRows {
  indptr: Int32Array;
  indices: Int32Array;
  conf: Float32Array;
}

/** The objective divided by the number of held cells. */
export function implicitAlsLoss(k: number, user: Float32Array, item: Float32Array, rows: ConfidenceRows, lambda: number): number {
  const customers = rows.indptr.length - 1;
  const products = item.length / k;
  const gram = new Float64Array(k * k);
  for (let p = 0; p < products; p++)
    for (let a = 0; a < k; a++) {
      const ya = item[p * k + a];
      for (let b = 0; b < k; b++) gram[a * k + b] += ya * item[p * k + b];
    }
  let loss = 0;
  let held = 0;
  let norms = 0;
  for (let u = 0; u < customers; u++) {
    const x = u * k;
    for (let a = 0; a < k; a++) {
      let ga = 0;
      for (let b = 0; b < k; b++) ga += gram[a * k + b] * user[x + b];
      loss += user[x + a] * ga;
      norms += user[x + a] * user[x + a];
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
  for (let t = 0; t < item.length; t++) norms += item[t] * item[t];
  return (loss + lambda * norms) / Math.max(1, held);
}
