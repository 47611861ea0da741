// Classifies a customer attribute by the similarity-weighted vote of the customer's nearest
// neighbours in factor space (leave-one-out), reported beside the majority-class baseline: the test
// of whether learned factors carry the attribute at all.
import type { FactorIndex } from './neighbours.js';

export interface VoteResult {
  /** Customers with a known label that were classified. */
  evaluated: number;
  accuracy: number;
  /** Accuracy of always answering the most common label. */
  majorityAccuracy: number;
}

/** labels[i] is a class index, or -1 when row i's label is unknown (it then neither votes nor is scored). */
export function neighbourVote(index: FactorIndex, labels: Int32Array, k: number): VoteResult {
  const classes = Math.max(0, ...labels) + 1;
  const counts = new Float64Array(classes);
  for (const l of labels) if (l >= 0) counts[l]++;
  const majority = counts.indexOf(Math.max(...counts));
  let evaluated = 0;
  let correct = 0;
  let majorityCorrect = 0;
  const votes = new Float64Array(classes);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) continue;
    votes.fill(0);
    const nb = index.neighboursOf(i, k);
    nb.ids.forEach((j, n) => {
      if (labels[j] >= 0) votes[labels[j]] += Math.max(0, nb.similarities[n]) + 1e-9;
    });
    const predicted = votes.indexOf(Math.max(...votes));
    evaluated++;
    if (predicted === labels[i]) correct++;
    if (majority === labels[i]) majorityCorrect++;
  }
  return { evaluated, accuracy: correct / Math.max(1, evaluated), majorityAccuracy: majorityCorrect / Math.max(1, evaluated) };
}
