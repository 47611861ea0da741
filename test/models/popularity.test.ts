import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../src/core/errors.js';
import { buildInteractions, buildSideFeatures, EventLogBuilder } from '../../src/matrix/index.js';
import { PopularityRecommender } from '../../src/models/popularity.js';
import { DAY, historyOf } from './fixtures.js';

const none = historyOf([]);

/** p0 held by 2 customers (one of them twice), p1 by 3, p2 by 1, p3 by 3; c3 is in no segment. */
function sample() {
  const b = new EventLogBuilder();
  for (const p of ['p0', 'p1', 'p2', 'p3']) b.addProduct(p);
  const t = 100 * DAY;
  b.add('c0', 'p0', t, 'acquire', 1);
  b.add('c0', 'p0', t, 'click', 1);
  b.add('c0', 'p1', t, 'acquire', 1);
  b.add('c1', 'p0', t, 'acquire', 1);
  b.add('c1', 'p1', t, 'acquire', 1);
  b.add('c1', 'p3', t, 'acquire', 1);
  b.add('c2', 'p1', t, 'acquire', 1);
  b.add('c2', 'p2', t, 'acquire', 1);
  b.add('c2', 'p3', t, 'acquire', 1);
  b.add('c3', 'p3', t, 'acquire', 1);
  const log = b.build();
  const customerFeatures = buildSideFeatures(log.customers, [
    { id: 'c0', name: 'segment', num: null, str: 'gold' },
    { id: 'c1', name: 'segment', num: null, str: 'gold' },
    { id: 'c2', name: 'segment', num: null, str: 'basic' },
    { id: 'c2', name: 'age', num: 40, str: null },
  ]);
  return { log, interactions: buildInteractions(log), customerFeatures };
}

const scores = (m: PopularityRecommender, customer: number) => {
  const out = new Float32Array(m.products);
  m.scoreInto(customer, none, out);
  return Array.from(out);
};

describe('PopularityRecommender', () => {
  it('global: distinct customers per product, ties to the lower index', async () => {
    const m = new PopularityRecommender();
    await m.fit(sample());
    expect(scores(m, 0)).toEqual([2, 3, 1, 3]);
    const [list] = m.recommend(Int32Array.of(99), { k: 4, history: buildInteractions(sample().log).userItem });
    expect(Array.from(list.items)).toEqual([1, 3, 0, 2]);
    expect(Array.from(m.similarItems(Int32Array.of(1), 3)[0].items)).toEqual([3, 0, 2]);
  });

  it('segment: popularity within the segment, global order breaks ties, unknown segment falls back to global', async () => {
    const m = new PopularityRecommender({ mode: 'segment', segmentAttribute: 'segment' });
    await m.fit(sample());
    const gold = scores(m, 0);
    expect(gold.map(Math.floor)).toEqual([2, 2, 0, 1]);
    expect(gold[1]).toBeGreaterThan(gold[0]); // p1 is more popular overall
    expect(gold[3]).toBeGreaterThan(1);
    expect(scores(m, 1)).toEqual(gold);
    expect(scores(m, 2).map(Math.floor)).toEqual([0, 1, 1, 1]);
    expect(scores(m, 3)).toEqual([2, 3, 1, 3]); // no segment
    expect(scores(m, -1)).toEqual([2, 3, 1, 3]); // unknown customer
    const [list] = m.recommend(Int32Array.of(2), { k: 1, history: buildInteractions(sample().log).userItem });
    expect(Array.from(list.items)).toEqual([0]);
  });

  it('trending: each positive event decays by half per half-life before the latest event', async () => {
    const b = new EventLogBuilder();
    const t = 1_000 * DAY;
    b.add('a', 'old', t - 2 * DAY, 'acquire', 1);
    b.add('b', 'old', t - 2 * DAY, 'acquire', 1);
    b.add('c', 'old', t - 2 * DAY, 'acquire', 1);
    b.add('a', 'new', t, 'acquire', 1);
    b.add('b', 'new', t - DAY, 'click', 1);
    b.add('c', 'new', t, 'decline', 1); // not a positive signal
    const log = b.build();
    const m = new PopularityRecommender({ mode: 'trending', halfLifeDays: 1 });
    await m.fit({ log, interactions: buildInteractions(log) });
    const s = scores(m, 0);
    expect(s[0]).toBeCloseTo(3 * 0.25, 6);
    expect(s[1]).toBeCloseTo(1 + 0.5, 6);
  });

  it('explains missing segment settings in one line', async () => {
    expect(new PopularityRecommender({ mode: 'segment' }).params.segmentAttribute).toBe('segment'); // the default
    expect(new PopularityRecommender().params.segmentAttribute).toBeUndefined();
    const { log, interactions } = sample();
    await expect(new PopularityRecommender({ mode: 'segment', segmentAttribute: 'segment' }).fit({ log, interactions })).rejects.toThrow(
      /needs customer features/,
    );
    await expect(new PopularityRecommender({ mode: 'segment', segmentAttribute: 'tier' }).fit(sample())).rejects.toThrow(NextbestError);
    expect(() => new PopularityRecommender({ mode: 'hot' })).toThrow(/mode=hot: expected one of "global", "segment", "trending"/);
  });
});
