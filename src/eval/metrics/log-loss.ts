// Binary cross-entropy of predicted probabilities, for propensity-style models (will the customer take
// the product?). Probabilities are clipped so one confident mistake cannot make the mean infinite.
import { NextbestError } from '../../core/errors.js';
import { checkSameLength } from './lists.js';

/**
 * Mean of -(y log p + (1 - y) log(1 - p)) in nats, p clipped to [eps, 1 - eps]. Labels are 0 / 1 (values
 * in between are accepted as soft labels). NaN for empty input.
 */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>, eps = 1e-15): number {
  checkSameLength('logLoss labels and probabilities', labels, probabilities);
  if (!(eps > 0 && eps < 0.5)) throw new NextbestError('INTERNAL', `logLoss eps must be in (0, 0.5), got ${eps}`);
  const n = labels.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i]));
    if (y !== 0) sum -= y * Math.log(p);
    if (y !== 1) sum -= (1 - y) * Math.log(1 - p);
  }
  return sum / n;
}
