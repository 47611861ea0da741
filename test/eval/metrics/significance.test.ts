// Reference values come from SciPy 1.17.1 (scipy.stats / scipy.special), as noted beside each.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import {
  bootstrapCI,
  lnGamma,
  normalCdf,
  normalTwoSidedP,
  pairedTest,
  quantileSorted,
  regularizedBeta,
  regularizedGammaQ,
  studentTCdf,
  studentTTwoSidedP,
  wilcoxonSignedRank,
} from '../../../src/eval/metrics/index.js';

describe('special functions', () => {
  it('lnGamma', () => {
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12); // 9!
    expect(lnGamma(1)).toBeCloseTo(0, 14);
  });

  it('regularizedBeta', () => {
    // I_0.4(2, 3) = sum_{j=2..4} C(4,j) 0.4^j 0.6^(4-j) = 6*.16*.36 + 4*.064*.6 + .0256 = 0.5248
    expect(regularizedBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 13);
    // I_0.9(1/2, 1/2) = (2/pi) asin(sqrt 0.9) = 0.7951672353008665 (scipy.special.betainc)
    expect(regularizedBeta(0.9, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(0.9)), 12);
    expect(regularizedBeta(0.45, 50, 60)).toBeCloseTo(0.4642352914306031, 11); // betainc(50, 60, 0.45)
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });

  it('regularizedGammaQ', () => {
    expect(regularizedGammaQ(0.5, 2)).toBeCloseTo(0.04550026389635857, 13); // gammaincc(0.5, 2)
    // Q(3, 1.5) = e^-1.5 (1 + 1.5 + 1.5^2/2) = 0.8088468305380582
    expect(regularizedGammaQ(3, 1.5)).toBeCloseTo(Math.exp(-1.5) * (1 + 1.5 + 1.125), 13);
  });

  it('Student t p-values', () => {
    expect(studentTTwoSidedP(2, 10)).toBeCloseTo(0.07338803477074037, 12); // 2 * t.sf(2, 10)
    expect(studentTTwoSidedP(-2, 10)).toBeCloseTo(0.07338803477074037, 12);
    expect(studentTTwoSidedP(1.5, 3.7)).toBeCloseTo(0.2135981692020135, 12);
    expect(studentTTwoSidedP(3, 30)).toBeCloseTo(0.005389964065651945, 13);
    expect(studentTTwoSidedP(10, 5)).toBeCloseTo(0.00017094757574296363, 15);
    // df = 1 is the Cauchy distribution: p = 1 - (2/pi) atan(0.5)
    expect(studentTTwoSidedP(0.5, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(0.5), 13);
    expect(studentTTwoSidedP(0, 7)).toBe(1);
    expect(studentTCdf(-1, 4)).toBeCloseTo(0.18695048315002943, 13); // t.cdf(-1, 4)
  });

  it('normal p-values', () => {
    expect(normalTwoSidedP(1.96)).toBeCloseTo(0.04999579029644087, 13);
    expect(normalTwoSidedP(6) / 1.973175290075389e-9).toBeCloseTo(1, 10); // 2 * norm.sf(6), relative
    expect(normalCdf(0.5)).toBeCloseTo(0.6914624612740131, 13);
    expect(normalCdf(-0.5)).toBeCloseTo(1 - 0.6914624612740131, 13);
  });
});

describe('bootstrapCI', () => {
  it('interpolates quantiles like NumPy', () => {
    // h = (4 - 1) * 0.25 = 0.75 -> 1 + 0.75 * (2 - 1)
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
  });

  it('is seeded, brackets the mean, and has the textbook width for a large sample', () => {
    const rng = new Rng(11);
    const x = Float64Array.from({ length: 2000 }, () => rng.normal());
    const ci = bootstrapCI(x, { seed: 5 });
    expect(bootstrapCI(x, { seed: 5 })).toEqual(ci);
    expect(bootstrapCI(x, { seed: 6 })).not.toEqual(ci);
    expect(ci.low).toBeLessThan(ci.mean);
    expect(ci.high).toBeGreaterThan(ci.mean);
    let s = 0;
    for (const v of x) s += v;
    expect(ci.mean).toBeCloseTo(s / x.length, 12);
    // normal theory: width 2 * 1.96 * sd / sqrt(n) with sd ~ 1 -> ~0.0877
    const width = ci.high - ci.low;
    expect(width).toBeGreaterThan(0.0877 * 0.85);
    expect(width).toBeLessThan(0.0877 * 1.15);
    const narrow = bootstrapCI(x, { seed: 5, level: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(width);
  });

  it('collapses for constant values, drops NaN, is NaN when empty', () => {
    expect(bootstrapCI([0.25, 0.25, 0.25], { samples: 50 })).toEqual({ mean: 0.25, low: 0.25, high: 0.25 });
    expect(bootstrapCI([1, NaN, 1], { samples: 10 }).mean).toBe(1);
    expect(bootstrapCI([]).mean).toBeNaN();
  });
});

describe('pairedTest', () => {
  it('matches a hand computation and scipy.stats.ttest_rel', () => {
    // d = a - b = [0.1, 0, 0.3, -0.1, 0.2, 0.5], mean 1/6; sum of squared deviations 0.23333 -> sd 0.216025
    // t = (1/6) / (0.216025 / sqrt 6) = 1.88982236, df 5; ttest_rel p = 0.11738679514629341
    const a = Float64Array.from([0.5, 0.3, 0.9, 0.1, 0.4, 0.6]);
    const b = Float64Array.from([0.4, 0.3, 0.6, 0.2, 0.2, 0.1]);
    const r = pairedTest(a, b);
    expect(r.n).toBe(6);
    expect(r.df).toBe(5);
    expect(r.meanDiff).toBeCloseTo(1 / 6, 12);
    expect(r.t).toBeCloseTo(1.8898223650461359, 10);
    expect(r.p).toBeCloseTo(0.11738679514629341, 10);
    const reversed = pairedTest(b, a);
    expect(reversed.t).toBeCloseTo(-r.t, 12);
    expect(reversed.p).toBeCloseTo(r.p, 12);
  });

  it('handles identical and constant differences', () => {
    expect(pairedTest([1, 2, 3], [1, 2, 3])).toMatchObject({ t: 0, p: 1 });
    expect(pairedTest([2, 3, 4], [1, 2, 3])).toMatchObject({ meanDiff: 1, t: Infinity, p: 0 });
    expect(pairedTest([1], [0]).p).toBeNaN();
  });
});

describe('wilcoxonSignedRank', () => {
  it('ranks |d| with ties averaged and corrects the variance for ties (hand-computed)', () => {
    // d = [1, 2, -1, 2, 2, 3, -2, 3, 2, 2], no zeros, n = 10.
    // |d| = 1 twice -> ranks 1,2 -> 1.5; |d| = 2 six times -> ranks 3..8 -> 5.5; |d| = 3 twice -> 9.5
    // W- = 1.5 (the -1) + 5.5 (the -2) = 7; W+ = 55 - 7 = 48; E = 27.5
    // Var = 10*11*21/24 - [(2^3-2) + (6^3-6) + (2^3-2)]/48 = 96.25 - 222/48 = 91.625
    // z = 20.5 / sqrt(91.625) = 2.14164; scipy wilcoxon(method='approx', correction=False) p = 0.03222230445704992
    const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const b = [0, 0, 4, 2, 3, 3, 9, 5, 7, 8];
    const r = wilcoxonSignedRank(a, b);
    expect(r.n).toBe(10);
    expect(r.wPlus).toBe(48);
    expect(r.wMinus).toBe(7);
    expect(r.z).toBeCloseTo(20.5 / Math.sqrt(91.625), 12);
    expect(r.p).toBeCloseTo(0.03222230445704992, 12);
    // continuity correction: z = 20 / sqrt(91.625)
    expect(wilcoxonSignedRank(a, b, { continuity: true }).z).toBeCloseTo(20 / Math.sqrt(91.625), 12);
  });

  it('drops zero differences', () => {
    const r = wilcoxonSignedRank([1, 5, 5], [1, 4, 7]); // d = [0, 1, -2] -> n = 2, W+ = 1, W- = 2
    expect(r).toMatchObject({ n: 2, wPlus: 1, wMinus: 2 });
    expect(wilcoxonSignedRank([1, 2], [1, 2])).toMatchObject({ n: 0, z: 0, p: 1 });
  });
});
