// The epoch loop both neural models train with: one pass over the training part per epoch, a score on
// the validation part carved out of train (higher is better) after every epoch, and a stop once
// `patience` validations in a row fail to beat the best; the best validated weights are kept. Progress
// (with the training loss) is reported after every epoch, and an abort signal is honoured between them.
// heldOutNdcg is the score of one held-out product both models validate with.
import { checkpoint } from '../mf-common.js';
import type { FitOptions } from '../contract.js';

export interface EpochLoop<W> {
  /** Most epochs. */
  epochs: number;
  /** Validations without improvement before stopping; 0: never stop early (and never validate). */
  patience: number;
  /** Validate the starting weights too (epoch 0), so that training must beat them. */
  validateStart?: boolean;
  /** One pass over the training part; returns its mean loss. */
  runEpoch(epoch: number): Promise<number> | number;
  /** The validation score of the current weights (higher is better), e.g. NDCG@10 on held-out pairs. */
  validate(): number;
  /** A copy of the current weights, kept while they are the best validated. */
  snapshot(): W;
}

export interface EpochLoopResult<W> {
  /** The best validated weights (the last ones when nothing was validated). */
  best: W;
  /** Epochs run, and the epoch the best weights come from (1-based). */
  epochsRun: number;
  bestEpoch: number;
  bestScore: number | null;
  /** Validation score after each validated epoch, as [epoch, score]. */
  history: [number, number][];
}

export async function trainWithEarlyStopping<W>(loop: EpochLoop<W>, opts: FitOptions | undefined): Promise<EpochLoopResult<W>> {
  const started = performance.now();
  const history: [number, number][] = [];
  let best: W | null = null;
  let bestScore: number | null = null;
  let bestEpoch = 0;
  let stale = 0;
  let epoch = 0;
  if (loop.validateStart && loop.patience > 0) {
    bestScore = loop.validate();
    history.push([0, bestScore]);
    best = loop.snapshot();
  }
  while (epoch < loop.epochs) {
    await checkpoint(opts?.signal);
    epoch++;
    const loss = await loop.runEpoch(epoch);
    opts?.onProgress?.({ iteration: epoch, total: loop.epochs, elapsedSeconds: (performance.now() - started) / 1000, loss });
    if (loop.patience <= 0) continue;
    const score = loop.validate();
    history.push([epoch, score]);
    if (bestScore === null || score > bestScore) {
      bestScore = score;
      bestEpoch = epoch;
      best = loop.snapshot();
      stale = 0;
    } else if (++stale >= loop.patience) break;
  }
  if (best === null) {
    best = loop.snapshot();
    bestEpoch = epoch;
  }
  return { best, epochsRun: epoch, bestEpoch, bestScore, history };
}

/**
 * The validation score of one held-out product: 1 / log2(rank + 2) when fewer than k products outside
 * `excluded` score above it (its NDCG@k with one relevant product), else 0.
 */
export function heldOutNdcg(scores: ArrayLike<number>, target: number, excluded: (product: number) => boolean, k = 10): number {
  const mine = scores[target];
  let rank = 0;
  for (let p = 0; p < scores.length && rank < k; p++) if (p !== target && scores[p] > mine && !excluded(p)) rank++;
  return rank < k ? 1 / Math.log2(rank + 2) : 0;
}
