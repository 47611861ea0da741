// The neural models' epoch loop: it keeps the best validated weights, stops after `patience` validations
// without improvement, and with validateStart the starting weights are a candidate training must beat.
import { describe, expect, it } from 'vitest';
import { heldOutNdcg, trainWithEarlyStopping } from '../../../src/models/neural/early-stopping.js';

/** A loop whose weights are the epoch number and whose validation scores are given per epoch (0: the start). */
function loop(scores: number[], validateStart: boolean) {
  let weights = 0;
  return {
    epochs: scores.length - 1,
    patience: 2,
    validateStart,
    runEpoch: (epoch: number) => ((weights = epoch), 1 / epoch),
    validate: () => scores[weights],
    snapshot: () => weights,
  };
}

describe('trainWithEarlyStopping', () => {
  it('keeps the best epoch and stops after patience validations without improvement', async () => {
    const r = await trainWithEarlyStopping(loop([0, 0.2, 0.5, 0.4, 0.3, 0.9], false), undefined);
    expect(r.best).toBe(2);
    expect(r.epochsRun).toBe(4);
    expect(r.history).toEqual([[1, 0.2], [2, 0.5], [3, 0.4], [4, 0.3]]);
  });

  it('with validateStart, keeps the starting weights when no epoch beats them', async () => {
    const r = await trainWithEarlyStopping(loop([0.6, 0.2, 0.5, 0.4], true), undefined);
    expect(r.best).toBe(0);
    expect(r.bestEpoch).toBe(0);
    expect(r.epochsRun).toBe(2);
    expect(r.history[0]).toEqual([0, 0.6]);
    const later = await trainWithEarlyStopping(loop([0.1, 0.2, 0.5, 0.4], true), undefined);
    expect(later.best).toBe(2);
  });

  it('scores one held-out product by its rank among the products not excluded', () => {
    const scores = Float64Array.of(5, 9, 1, 7, 8);
    // Product 0: 9, 7, 8 above it -> rank 3; with 1 excluded, rank 2.
    expect(heldOutNdcg(scores, 0, () => false)).toBeCloseTo(1 / Math.log2(5), 12);
    expect(heldOutNdcg(scores, 0, (p) => p === 1)).toBeCloseTo(1 / Math.log2(4), 12);
    expect(heldOutNdcg(scores, 1, () => false)).toBe(1);
    // Below the first k: 0.
    expect(heldOutNdcg(scores, 2, () => false, 3)).toBe(0);
  });
});
