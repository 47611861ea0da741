// Stratified k-fold assignment for accept / decline data: each fold keeps the overall share of
// positives, so AUC and log-loss per fold are comparable. Seeded and reproducible.
import { NextbestError } from '../core/errors.js';
import { Rng } from '../core/rng.js';

/** fold[i] in 0..k-1 for every example; positives and negatives are dealt round-robin after a shuffle. */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed = 42): Int32Array {
  if (!(Number.isInteger(k) && k >= 2)) throw new NextbestError('BAD_OPTION', `folds must be a whole number >= 2, got ${k}`);
  const rng = new Rng(seed);
  const fold = new Int32Array(labels.length);
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if ((labels[i] > 0 ? 1 : 0) === cls) rows.push(i);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    rows.forEach((row, n) => (fold[row] = n % k));
  }
  return fold;
}
