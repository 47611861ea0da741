// Area under the ROC curve as a rank statistic (Mann-Whitney U): the chance a positive outscores a
// negative, ties counting one half. Shared by the classification AUC and the per-customer ranking AUC.
import { checkSameLength } from './lists.js';

/**
 * AUC of positive scores against negative scores. Ties between a positive and a negative count 1/2
 * (the same as averaging tied ranks); NaN scores count as -Infinity. NaN when either side is empty.
 * Sorts both inputs in place.
 */
export function aucOfScores(positives: Float64Array, negatives: Float64Array): number {
  const np = positives.length;
  const nn = negatives.length;
  if (np === 0 || nn === 0) return NaN;
  for (let i = 0; i < np; i++) if (positives[i] !== positives[i]) positives[i] = -Infinity;
  for (let i = 0; i < nn; i++) if (negatives[i] !== negatives[i]) negatives[i] = -Infinity;
  positives.sort();
  negatives.sort();
  // For each positive (ascending): negatives strictly below it, plus half the negatives equal to it.
  let below = 0;
  let upTo = 0;
  let u = 0;
  for (let i = 0; i < np; i++) {
    const s = positives[i];
    while (below < nn && negatives[below] < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < nn && negatives[upTo] <= s) upTo++;
    u += below + 0.5 * (upTo - below);
  }
  return u / (np * nn);
}

/**
 * ROC AUC for binary classification: labels[i] nonzero marks a positive. Equal to the Mann-Whitney
 * statistic with tied ranks averaged. NaN when all labels are equal.
 */
export function aucBinary(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  checkSameLength('aucBinary labels and scores', labels, scores);
  let np = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) np++;
  const pos = new Float64Array(np);
  const neg = new Float64Array(labels.length - np);
  let a = 0;
  let b = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  return aucOfScores(pos, neg);
}
