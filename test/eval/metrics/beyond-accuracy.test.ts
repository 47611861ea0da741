import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { catalogueCoverage, intraListDiversity, novelty, personalisation } from '../../../src/eval/metrics/index.js';
import { csrFromRows } from './csr-rows.js';

// 4 customers x 5 products in train: c0 {0,1}, c1 {0,2}, c2 {0}, c3 {1,3}; product 4 is never held.
const train = csrFromRows([[0, 1], [0, 2], [0], [1, 3]], 5);

describe('catalogueCoverage', () => {
  it('counts distinct recommended products over the catalogue', () => {
    const recs = [[0, 1], [2, 3], [0]];
    expect(catalogueCoverage(recs, 5)).toBe(4 / 5); // {0,1,2,3}
    expect(catalogueCoverage(recs, 5, 1)).toBe(2 / 5); // first entries only: {0, 2}
    expect(catalogueCoverage([[-1, 7]], 5)).toBe(0); // out-of-range indices are ignored
  });
});

describe('novelty', () => {
  it('averages -log2 popularity per list (hand-computed)', () => {
    // popularity: p0 3/4, p1 2/4, p2 1/4, p3 1/4, p4 0 -> counted as 1/4
    // -log2: p0 0.4150375, p1 1, p2 2, p3 2, p4 2
    const r = novelty([[0, 1], [2, 3], [4], []], train);
    const a = (-Math.log2(3 / 4) + 1) / 2; // 0.70751875
    expect(r.perUser[0]).toBeCloseTo(a, 12);
    expect(r.perUser[1]).toBe(2);
    expect(r.perUser[2]).toBe(2);
    expect(r.perUser[3]).toBeNaN(); // empty list: undefined, left out of the mean
    expect(r.mean).toBeCloseTo((a + 2 + 2) / 3, 12);
    expect(novelty([[0, 1, 2]], train, 1).perUser[0]).toBeCloseTo(-Math.log2(3 / 4), 12);
  });
});

describe('intraListDiversity', () => {
  it('averages pairwise cosine distance of product vectors (hand-computed)', () => {
    // product vectors over customers c0..c3: p0 [1,1,1,0], p1 [1,0,0,1], p2 [0,1,0,0], p3 [0,0,0,1], p4 0
    // cos(p0,p1) = 1/(sqrt3 sqrt2) = 1/sqrt6, cos(p0,p2) = 1/sqrt3, cos(p1,p2) = 0, cos(p2,p3) = 0
    const itemUsers = train.transpose();
    const r = intraListDiversity([[0, 1, 2], [2, 3], [0, 4], [1], [0, 0]], itemUsers);
    const list0 = (1 - 1 / Math.sqrt(6) + (1 - 1 / Math.sqrt(3)) + 1) / 3;
    expect(r.perUser[0]).toBeCloseTo(list0, 12);
    expect(r.perUser[1]).toBe(1); // disjoint customers
    expect(r.perUser[2]).toBe(1); // an all-zero vector is similar to nothing
    expect(r.perUser[3]).toBeNaN(); // one product: no pairs
    expect(r.perUser[4]).toBeCloseTo(0, 12); // a repeated product is at distance 0
    expect(r.mean).toBeCloseTo((list0 + 1 + 1 + 0) / 4, 12);
  });

  it('uses stored values as weights', () => {
    // p0 = [2, 0], p1 = [1, 1] over 2 customers: cos = 2 / (2 * sqrt2) = 1/sqrt2
    const weighted = csrFromRows([[0, 1], [1]], 2, [[2, 1], [1]]).transpose();
    expect(intraListDiversity([[0, 1]], weighted).perUser[0]).toBeCloseTo(1 - 1 / Math.SQRT2, 12);
  });
});

describe('personalisation', () => {
  const lists = [[0, 1, 2], [0, 1, 3], [4, 5]];

  it('is 1 - mean pairwise overlap (hand-computed)', () => {
    // cosine: A,B share 2 of 3 each -> 2 / sqrt(3*3) = 2/3; A,C and B,C share nothing -> mean 2/9
    expect(personalisation(lists)).toBeCloseTo(1 - 2 / 9, 12);
    // jaccard: A,B -> 2 / |{0,1,2,3}| = 1/2 -> mean 1/6
    expect(personalisation(lists, { similarity: 'jaccard' })).toBeCloseTo(1 - 1 / 6, 12);
    // with k = 1 every list is {0} except C = {4}: pairs (A,B) 1, (A,C) 0, (B,C) 0 -> 1 - 1/3
    expect(personalisation(lists, { k: 1 })).toBeCloseTo(2 / 3, 12);
  });

  it('is 0 for identical lists and NaN for fewer than two non-empty lists', () => {
    expect(personalisation([[1, 2], [2, 1], [1, 2, 2]])).toBeCloseTo(0, 12);
    expect(personalisation([[1], []])).toBeNaN();
  });

  it('samples pairs deterministically when there are many customers', () => {
    const rng = new Rng(3);
    const many = Array.from({ length: 400 }, () => Array.from({ length: 5 }, () => rng.int(30)));
    const exact = personalisation(many); // 79 800 pairs: all of them
    const sampled = personalisation(many, { maxPairs: 20_000, seed: 9 });
    expect(sampled).toBe(personalisation(many, { maxPairs: 20_000, seed: 9 }));
    expect(sampled).not.toBe(exact);
    expect(Math.abs(sampled - exact)).toBeLessThan(0.01);
  });
});
