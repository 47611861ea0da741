import { describe, expect, it } from 'vitest';
import { stratifiedFolds } from '../../src/eval/folds.js';

describe('stratified folds', () => {
  it('keeps the positive share in every fold and is reproducible', () => {
    const labels = Array.from({ length: 4521 }, (_, i) => (i % 9 === 0 ? 1 : 0)); // ~11.5 % positives, as bank.csv
    const folds = stratifiedFolds(labels, 5, 7);
    for (let f = 0; f < 5; f++) {
      const rows = labels.filter((_, i) => folds[i] === f);
      const share = rows.filter((y) => y === 1).length / rows.length;
      expect(rows.length).toBeGreaterThanOrEqual(903); // 503 positives and 4,018 negatives dealt separately: 905 or 903
      expect(Math.abs(share - 503 / 4521)).toBeLessThan(0.002);
    }
    expect(Array.from(stratifiedFolds(labels, 5, 7))).toEqual(Array.from(folds));
    expect(Array.from(stratifiedFolds(labels, 5, 8))).not.toEqual(Array.from(folds));
    expect(() => stratifiedFolds(labels, 1)).toThrow(/folds must be/);
  });
});
