// Each business rule on a small catalogue: what it removes or moves, and the trace naming it.
import { describe, expect, it } from 'vitest';
import { applyRules, type RulesInput } from '../../src/rules/engine.js';
import type { Rules } from '../../src/rules/schema.js';
import type { CustomerState, RequestFilters } from '../../src/rules/types.js';
import { ADULT, ALL, customer, DAY, events, facts, ranked, rules, snapshot } from './fixtures.js';

const run = (r: Rules | null, state: CustomerState = customer(ADULT), k = 8, filters: RequestFilters = {}, candidates = ALL) => {
  const input: RulesInput = { candidates, k, ruled: r ? { rules: r, state } : null, facts, filters };
  const out = applyRules(input);
  return { ...out, ids: out.list.map((x) => x.product) };
};

describe('no rules, no filters', () => {
  it('keeps the model\'s order, cut to k', () => {
    const out = run(null, undefined, 3);
    expect(out.ids).toEqual(['C2', 'L1', 'A1']);
    expect(out.list.map((x) => x.rank)).toEqual([1, 2, 3]);
    expect(out.trace).toEqual({ removed: [], moved: [] });
  });
});

describe('request filters', () => {
  it('include keeps only the named types; exclude leaves types out; the trace names the filter', () => {
    expect(run(null, undefined, 8, { include: ['card', 'savings'] }).ids).toEqual(['C2', 'C1', 'S1', 'S2']);
    const out = run(null, undefined, 3, { exclude: ['card'] });
    expect(out.ids).toEqual(['L1', 'A1', 'S1']);
    expect(out.trace.removed).toEqual([
      { product: 'C2', rule: 'exclude', detail: 'type card is in exclude=card' },
      { product: 'C1', rule: 'exclude', detail: 'type card is in exclude=card' },
    ]);
  });
});

describe('holds', () => {
  it('leaves out what the customer acquired (and not dropped since) or holds in its latest snapshot', () => {
    const state = customer(ADULT, {
      events: events([
        ['A1', 'acquire', 30 * DAY],
        ['S1', 'acquire', 20 * DAY],
        ['S1', 'drop', 10 * DAY],
        ['C1', 'click', DAY],
      ]),
      holdings: snapshot(40, ['I1', 'S2']),
    });
    const out = run(rules({ productMinIncome: 'none' }), state);
    expect(out.ids).toEqual(['C2', 'L1', 'C1', 'S1', 'A2']);
    expect(out.trace.removed.map((r) => [r.product, r.rule])).toEqual([['A1', 'holds'], ['S2', 'holds'], ['I1', 'holds']]);
    expect(out.trace.removed[0].detail).toMatch(/acquire event on \d{4}-\d\d-\d\d/);
    expect(out.trace.removed[1].detail).toMatch(/holdings snapshot/);
  });

  it('a drop after the snapshot ends a holding; products that allow several stay offered', () => {
    const state = customer(ADULT, {
      events: events([['I1', 'drop', DAY], ['A1', 'acquire', DAY]]),
      holdings: snapshot(40, ['I1', 'S2']),
    });
    const out = run(rules({ productMinIncome: 'none', holds: { allowSeveral: { types: ['savings'] } } }), state);
    expect(out.ids).toEqual(['C2', 'L1', 'C1', 'S1', 'S2', 'I1', 'A2']);
    expect(out.trace.removed).toEqual([expect.objectContaining({ product: 'A1', rule: 'holds' })]);
  });

  it('the events that mean holding are the file\'s choice (rating for a film catalogue)', () => {
    const state = customer(ADULT, { events: events([['A1', 'rating', DAY]]) });
    expect(run(rules({}), state, 3, {}, ranked(['A1', 'A2', 'S1'])).ids).toEqual(['A1', 'A2', 'S1']);
    expect(run(rules({ holds: { events: ['rating'] } }), state, 3, {}, ranked(['A1', 'A2', 'S1'])).ids).toEqual(['A2', 'S1']);
  });
});

describe('eligibility', () => {
  const credit = { name: 'no credit for minors', types: ['loan'], products: ['C1', 'C2'], minAge: 18 };

  it('no credit products for minors: the rule by name, with the age', () => {
    const out = run(rules({ eligibility: [credit], productMinIncome: 'none' }), customer({ age: 16, income: 0, segment: 'YOUTH' }));
    expect(out.ids).toEqual(['A1', 'S1', 'S2', 'I1', 'A2']);
    expect(out.trace.removed).toEqual([
      { product: 'C2', rule: 'eligibility', detail: 'no credit for minors: age 16 is under 18' },
      { product: 'L1', rule: 'eligibility', detail: 'no credit for minors: age 16 is under 18' },
      { product: 'C1', rule: 'eligibility', detail: 'no credit for minors: age 16 is under 18' },
    ]);
    expect(run(rules({ eligibility: [credit], productMinIncome: 'none' }), customer({ age: 18 })).ids).toContain('L1');
  });

  it('an age limit on a customer of unknown age fails (a bank does not lend to an unknown age)', () => {
    const out = run(rules({ eligibility: [credit], productMinIncome: 'none' }), customer(null));
    expect(out.ids).not.toContain('L1');
    expect(out.trace.removed[0].detail).toBe('no credit for minors: age unknown');
  });

  it('the product\'s min_income attribute against the customer\'s income', () => {
    const out = run(rules({}), customer({ age: 40, income: 20000 }));
    expect(out.ids).toEqual(['L1', 'A1', 'C1', 'S1', 'S2', 'I1', 'A2']);
    expect(out.trace.removed).toEqual([{ product: 'C2', rule: 'eligibility', detail: 'product min_income: income 20000 is under 90000' }]);
    // The attribute names come from the file.
    const renamed = run(rules({ customerAttributes: { income: 'renta' } }), customer({ age: 40, renta: 10000 }));
    expect(renamed.ids).toEqual(['A1', 'S1', 'S2', 'I1', 'A2']);
  });

  it('segment allow and deny lists', () => {
    const r = rules({ productMinIncome: 'none', eligibility: [{ types: ['savings'], segments: ['AFFLUENT'] }, { products: ['I1'], denySegments: ['MASS'] }] });
    const out = run(r, customer(ADULT));
    expect(out.ids).toEqual(['C2', 'L1', 'A1', 'C1', 'A2']);
    expect(out.trace.removed.map((x) => x.detail)).toEqual([
      'eligibility[0]: segment MASS is not one of AFFLUENT',
      'eligibility[0]: segment MASS is not one of AFFLUENT',
      'eligibility[1]: segment MASS is excluded',
    ]);
    expect(run(r, customer({ ...ADULT, segment: 'AFFLUENT' })).ids).toEqual(ALL.map((c) => c.product));
  });
});

describe('frequency caps', () => {
  it('a product displayed N times within D days is not shown again; older displays do not count', () => {
    const state = customer(ADULT, {
      events: events([
        ['C2', 'display', 1 * DAY],
        ['C2', 'display', 2 * DAY],
        ['C2', 'display', 3 * DAY],
        ['L1', 'display', 1 * DAY],
        ['L1', 'display', 2 * DAY],
        ['L1', 'display', 9 * DAY], // older than 7 days
      ]),
    });
    const out = run(rules({ productMinIncome: 'none', caps: [{ displays: 3, days: 7 }] }), state, 3);
    expect(out.ids).toEqual(['L1', 'A1', 'C1']);
    expect(out.trace.removed).toEqual([{ product: 'C2', rule: 'frequencyCap', detail: 'displayed 3 times in the last 7 days (caps[0]: at most 3)' }]);
    // A cap on loans only, and a longer window, take L1 out too.
    const loans = run(rules({ productMinIncome: 'none', caps: [{ types: ['loan'], displays: 3, days: 10 }] }), state, 3);
    expect(loans.ids).toEqual(['C2', 'A1', 'C1']);
  });
});

describe('boosts and pins', () => {
  it('a boost re-ranks on the boosted score, and the trace says from where to where', () => {
    const out = run(rules({ productMinIncome: 'none', boosts: [{ types: ['savings'], multiply: 2.5 }] }), undefined, 4);
    expect(out.ids).toEqual(['S1', 'S2', 'C2', 'L1']);
    expect(out.list[0].score).toBeCloseTo(1.5, 6);
    const moves = out.trace.moved.map((m) => [m.product, m.rule, m.from, m.to]);
    expect(moves).toEqual([['S1', 'boost', 5, 1], ['S2', 'boost', 6, 2]]);
    expect(out.trace.moved[0].detail).toBe('score 0.6000 -> 1.500 (boosts[0] x2.5)');
  });

  it('a negative boost can take a product out of the list (moved to null)', () => {
    const out = run(rules({ productMinIncome: 'none', boosts: [{ products: ['C2'], add: -1 }] }), undefined, 3);
    expect(out.ids).toEqual(['L1', 'A1', 'C1']);
    expect(out.trace.moved).toEqual([expect.objectContaining({ product: 'C2', rule: 'boost', from: 1, to: null })]);
  });

  it('a pin puts its product at its position; what it pushes past k leaves the list', () => {
    const out = run(rules({ productMinIncome: 'none', pins: [{ product: 'I1', position: 2 }] }), undefined, 3);
    expect(out.ids).toEqual(['C2', 'I1', 'L1']);
    expect(out.trace.moved).toEqual([
      { product: 'I1', rule: 'pin', detail: 'pins[0]: position 2', from: 7, to: 2 },
      { product: 'A1', rule: 'pin', detail: 'pushed out of the list by pinned products', from: 3, to: null },
    ]);
  });

  it('a pinned product still passes the removing rules; a pin beyond k does nothing', () => {
    const state = customer(ADULT, { events: events([['I1', 'acquire', DAY]]) });
    const out = run(rules({ productMinIncome: 'none', pins: [{ product: 'I1', position: 1 }, { product: 'A2', position: 9 }] }), state, 3);
    expect(out.ids).toEqual(['C2', 'L1', 'A1']);
    expect(out.trace.removed).toEqual([expect.objectContaining({ product: 'I1', rule: 'holds' })]);
    expect(out.trace.moved).toEqual([]);
  });
});

describe('at most M of a type', () => {
  it('keeps the best M of each type, with per-type limits over the default', () => {
    const candidates = ranked(['C1', 'C2', 'S1', 'S2', 'A1', 'A2', 'L1']);
    const out = run(rules({ productMinIncome: 'none', maxPerType: { default: 1, byType: { savings: 2 } } }), undefined, 5, {}, candidates);
    expect(out.ids).toEqual(['C1', 'S1', 'S2', 'A1', 'L1']);
    expect(out.trace.removed).toEqual([
      { product: 'C2', rule: 'maxPerType', detail: 'the list already holds 1 products of type card' },
      { product: 'A2', rule: 'maxPerType', detail: 'the list already holds 1 products of type account' },
    ]);
  });

  it('pinned products count toward their type\'s limit', () => {
    const out = run(rules({ productMinIncome: 'none', maxPerType: { default: 1 }, pins: [{ product: 'C1', position: 3 }] }), undefined, 3);
    expect(out.ids).toEqual(['L1', 'A1', 'C1']);
    expect(out.trace.removed.map((r) => [r.product, r.rule])).toEqual([['C2', 'maxPerType']]);
  });
});
