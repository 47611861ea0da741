// Business rules on a customer's list: the scorer ranked the whole catalogue, the rules engine
// (src/rules/) removes, re-ranks and pins, and the list is cut to k after it.
import { NextbestError } from '../core/errors.js';
import { applyRules } from '../rules/engine.js';
import type { Rules } from '../rules/schema.js';
import type { RankedItem, RequestFilters, RuleTrace } from '../rules/types.js';
import type { Store } from '../store/store.js';
import { readCustomerState } from './customer-state.js';
import type { StoreProductFacts } from './product-facts.js';

/** What a list is cut by: a rules file (or none), the request's type filters and the catalogue they read. */
export interface ListRules {
  rules: Rules | null;
  filters: RequestFilters;
  facts: StoreProductFacts;
  /** The request's time (default now): frequency caps count displays back from it. */
  now?: Date;
}

/** The customer's list after the rules, k long at most, with the trace of what each rule did. */
export async function applyListRules(
  customer: string,
  ranked: readonly RankedItem[],
  k: number,
  store: Store | null,
  list: ListRules,
): Promise<{ recommendations: RankedItem[]; debug: RuleTrace }> {
  let ruled = null;
  if (list.rules) {
    if (!store) throw new NextbestError('STORE_MISSING', 'business rules read the customer\'s holdings and events from the store, and there is none; pass --store or leave out --rules');
    ruled = { rules: list.rules, state: await readCustomerState(store, customer, list.now) };
  }
  const out = applyRules({ candidates: ranked, k, ruled, facts: list.facts, filters: list.filters });
  return { recommendations: out.list, debug: out.trace };
}
