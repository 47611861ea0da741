// Eligibility from the customer's attributes: age, income and segment limits per product or type
// (e.g. no credit products for minors), and the product's own minimum income attribute. A limit on an
// attribute the customer lacks fails: a bank does not offer credit to someone whose age it does not know.
import type { AttributeValue, Attributes } from '../data/model.js';
import type { EligibilityRule, Rules } from './schema.js';
import { selects } from './select.js';
import type { ProductFacts, Verdict } from './types.js';

/** The conditions one rule sets (the same fields as an offer's eligibility, plus denySegments). */
export interface Conditions {
  minAge?: number;
  maxAge?: number;
  minIncome?: number;
  segments?: readonly string[];
  denySegments?: readonly string[];
}

export interface CustomerFacts {
  age: number | undefined;
  income: number | undefined;
  segment: string | undefined;
}

const num = (v: AttributeValue | undefined): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const str = (v: AttributeValue | undefined): string | undefined => (v === undefined || v === null ? undefined : String(v));

export const customerFacts = (attributes: Attributes | null, names: Rules['customerAttributes']): CustomerFacts => ({
  age: num(attributes?.[names.age]),
  income: num(attributes?.[names.income]),
  segment: str(attributes?.[names.segment]),
});

/** Why a customer does not meet the conditions, or null when it does. */
export function unmet(c: Conditions, who: CustomerFacts): string | null {
  if (c.minAge !== undefined || c.maxAge !== undefined) {
    if (who.age === undefined) return 'age unknown';
    if (c.minAge !== undefined && who.age < c.minAge) return `age ${who.age} is under ${c.minAge}`;
    if (c.maxAge !== undefined && who.age > c.maxAge) return `age ${who.age} is over ${c.maxAge}`;
  }
  if (c.minIncome !== undefined && c.minIncome > 0) {
    if (who.income === undefined) return 'income unknown';
    if (who.income < c.minIncome) return `income ${who.income} is under ${c.minIncome}`;
  }
  if (c.segments !== undefined && (who.segment === undefined || !c.segments.includes(who.segment))) return `segment ${who.segment ?? 'unknown'} is not one of ${c.segments.join(', ')}`;
  if (c.denySegments !== undefined && who.segment !== undefined && c.denySegments.includes(who.segment)) return `segment ${who.segment} is excluded`;
  return null;
}

const ruleName = (r: EligibilityRule, i: number): string => r.name ?? `eligibility[${i}]`;

export const eligibilityVerdict = (rules: Rules, who: CustomerFacts, facts: ProductFacts) =>
  (product: string): Verdict => {
    for (const [i, r] of (rules.eligibility ?? []).entries()) {
      if (!selects(r, product, facts)) continue;
      const why = unmet(r, who);
      if (why) return { rule: 'eligibility', detail: `${ruleName(r, i)}: ${why}` };
    }
    const minIncome = num(facts.attribute(product, rules.productMinIncome));
    const why = minIncome === undefined ? null : unmet({ minIncome }, who);
    return why ? { rule: 'eligibility', detail: `product ${rules.productMinIncome}: ${why}` } : null;
  };
