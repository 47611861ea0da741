import { describe, expect, it } from 'vitest';
import { mae, rmse } from '../../../src/eval/metrics/index.js';

describe('rmse and mae', () => {
  it('match hand-computed values', () => {
    // errors: -0.5, 0, -2 -> squared 0.25, 0, 4 -> mean 4.25/3 -> rmse sqrt(1.41666...) = 1.1902380714
    // absolute: 0.5 + 0 + 2 = 2.5 -> mae 2.5/3
    const actual = [3, 4, 5];
    const predicted = Float64Array.from([2.5, 4, 3]);
    expect(rmse(actual, predicted)).toBeCloseTo(Math.sqrt(4.25 / 3), 12);
    expect(rmse(actual, predicted)).toBeCloseTo(1.1902380714, 9);
    expect(mae(actual, predicted)).toBeCloseTo(2.5 / 3, 12);
  });

  it('are NaN for no ratings and refuse misaligned input', () => {
    expect(rmse([], [])).toBeNaN();
    expect(mae([], [])).toBeNaN();
    expect(() => rmse([1], [1, 2])).toThrow(/lengths differ/);
  });
});
