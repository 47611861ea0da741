// Small catalogues and customers for the rules engine's unit tests.
import type { Attributes, EventType } from '../../src/data/model.js';
import type { EventBatch } from '../../src/data/rows.js';
import { markSnapshot } from '../../src/rules/holds.js';
import { parseRules } from '../../src/rules/load.js';
import type { Rules } from '../../src/rules/schema.js';
import type { Candidate, CustomerState, HoldingMark, ProductFacts } from '../../src/rules/types.js';

/** Type and attributes by product. */
export const CATALOGUE: Record<string, { type: string; min_income?: number }> = {
  A1: { type: 'account' },
  A2: { type: 'account' },
  C1: { type: 'card', min_income: 12000 },
  C2: { type: 'card', min_income: 90000 },
  L1: { type: 'loan', min_income: 15000 },
  S1: { type: 'savings' },
  S2: { type: 'savings' },
  I1: { type: 'insurance' },
};

export const facts: ProductFacts = {
  type: (p) => CATALOGUE[p]?.type ?? '',
  attribute: (p, name) => (CATALOGUE[p] as Record<string, string | number> | undefined)?.[name],
};

/** The catalogue scored in this order (first best). */
export const ranked = (ids: string[]): Candidate[] => ids.map((product, i) => ({ product, score: 1 - i / 10 }));

export const ALL = ranked(['C2', 'L1', 'A1', 'C1', 'S1', 'S2', 'I1', 'A2']);

export const NOW = Date.parse('2026-06-01T12:00:00Z') / 1000;
export const DAY = 86_400;

/** Events as [product, type, seconds before NOW]. */
export function events(rows: [string, EventType, number][]): EventBatch {
  const sorted = [...rows].sort((a, b) => b[2] - a[2]);
  return {
    length: sorted.length,
    customer: sorted.map(() => 'X'),
    product: sorted.map((r) => r[0]),
    time: Float64Array.from(sorted, (r) => NOW - r[2]),
    type: sorted.map((r) => r[1]),
    value: Float64Array.from(sorted, () => 1),
    context: sorted.map(() => '{}'),
  };
}

export const customer = (attributes: Attributes | null, over: Partial<CustomerState> = {}): CustomerState => ({
  attributes,
  events: events([]),
  holdings: new Map(),
  now: NOW,
  ...over,
});

export const rules = (json: object): Rules => parseRules(JSON.stringify(json), 'rules.json');

export const ADULT = { age: 40, income: 50000, segment: 'MASS' };

/** What a holdings snapshot `daysAgo` days before NOW says. */
export function snapshot(daysAgo: number, products: string[]): Map<string, HoldingMark> {
  const marks = new Map<string, HoldingMark>();
  markSnapshot(marks, { month: new Date((NOW - daysAgo * DAY) * 1000), products });
  return marks;
}
