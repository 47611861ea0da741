// Offer eligibility against a customer's attributes and holdings, and the blend of relevance with
// expected value, on small hand-made inputs.
import { describe, expect, it } from 'vitest';
import { blendScores } from '../../src/app/expected-value.js';
import { bestOffer, isEligible } from '../../src/app/offers.js';
import type { StoredOffer } from '../../src/store/index.js';

const offer = (over: Partial<StoredOffer> = {}): StoredOffer => ({
  id: 'O1',
  productId: 'P1',
  reward: 'r',
  rewardValue: 10,
  validFrom: null,
  validTo: null,
  eligibility: {},
  retiredAt: null,
  ...over,
});
const none = new Set<string>();

describe('isEligible', () => {
  it('checks age, income and segment against the customer\'s attributes; a missing attribute fails a condition on it', () => {
    const o = offer({ eligibility: { minAge: 21, maxAge: 65, minIncome: 30000, segments: ['MASS', 'AFFLUENT'] } });
    expect(isEligible(o, { age: 30, income: 40000, segment: 'MASS' }, none)).toBe(true);
    expect(isEligible(o, { age: '30', income: '40000', segment: 'AFFLUENT' }, none)).toBe(true);
    expect(isEligible(o, { age: 20, income: 40000, segment: 'MASS' }, none)).toBe(false);
    expect(isEligible(o, { age: 66, income: 40000, segment: 'MASS' }, none)).toBe(false);
    expect(isEligible(o, { age: 30, income: 29999, segment: 'MASS' }, none)).toBe(false);
    expect(isEligible(o, { age: 30, income: 40000, segment: 'YOUTH' }, none)).toBe(false);
    expect(isEligible(o, { income: 40000, segment: 'MASS' }, none)).toBe(false);
    expect(isEligible(o, null, none)).toBe(false);
    expect(isEligible(offer(), null, none)).toBe(true);
  });

  it('excludes holders of the product only when the offer says so', () => {
    expect(isEligible(offer({ eligibility: { excludeHolders: true } }), {}, new Set(['P1']))).toBe(false);
    expect(isEligible(offer({ eligibility: { excludeHolders: true } }), {}, new Set(['P2']))).toBe(true);
    expect(isEligible(offer(), {}, new Set(['P1']))).toBe(true);
  });

  it('bestOffer takes the first eligible of a product\'s offers (sorted by reward value)', () => {
    const list = [offer({ id: 'A', rewardValue: 100, eligibility: { minAge: 50 } }), offer({ id: 'B', rewardValue: 20 })];
    expect(bestOffer(list, { age: 60 }, none)?.id).toBe('A');
    expect(bestOffer(list, { age: 30 }, none)?.id).toBe('B');
    expect(bestOffer(undefined, { age: 30 }, none)).toBeNull();
  });
});

describe('blendScores', () => {
  const items = [
    { score: 3, expectedValue: 1 },
    { score: 2, expectedValue: 8 },
    { score: 1, expectedValue: null },
  ];
  it('is the normalized relevance at weight 0 and the normalized expected value at weight 1', () => {
    expect(blendScores(items, 0)).toEqual([1, 0.5, 0]);
    expect(blendScores(items, 1)).toEqual([1 / 8, 1, 0]);
    const half = blendScores(items, 0.5);
    half.forEach((b, i) => expect(b).toBeCloseTo(0.5 * [1, 0.5, 0][i] + 0.5 * [1 / 8, 1, 0][i], 12));
  });

  it('gives every item relevance 1 when the scores are equal and value 0 when no item has expected value', () => {
    expect(blendScores([{ score: 2, expectedValue: null }, { score: 2, expectedValue: 0 }], 0.25)).toEqual([0.75, 0.75]);
    expect(blendScores([], 0.5)).toEqual([]);
  });
});
