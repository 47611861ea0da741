// Rating-prediction errors (explicit feedback such as MovieLens stars): RMSE punishes large misses,
// MAE weighs every miss alike. Both are in the units of the ratings.
import { checkSameLength } from './lists.js';

/** Root mean squared error; NaN for empty input. */
export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkSameLength('rmse actual and predicted', actual, predicted);
  if (actual.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = predicted[i] - actual[i];
    s += e * e;
  }
  return Math.sqrt(s / actual.length);
}

/** Mean absolute error; NaN for empty input. */
export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkSameLength('mae actual and predicted', actual, predicted);
  if (actual.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(predicted[i] - actual[i]);
  return s / actual.length;
}
