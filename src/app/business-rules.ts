// Business rules as a server (or one CLI command) runs them over its store: the rules file, the
// catalogue facts and holdings index read once, and per request the customer's state through the Store
// and the rules engine (src/rules/) over the whole ranked catalogue, cut to k after it.
import { applyRules } from '../rules/engine.js';
import type { Rules } from '../rules/schema.js';
import type { CustomerState, RankedItem, RequestFilters, RuleTrace } from '../rules/types.js';
import type { Store } from '../store/store.js';
import { HoldingsIndex } from './holdings-index.js';
import { StoreProductFacts } from './product-facts.js';

const DAY = 86_400;
/**
 * How late an event may arrive (stored this long after its own timestamp, once the holdings index was
 * read) and still reach the holds rule: each request reads the customer's events this far back from the index.
 */
export const LATE_EVENT_DAYS = 7;

/** What a list is cut by: the rules (a file or none) and the request's type filters. */
export interface ListRules {
  business: BusinessRules;
  filters: RequestFilters;
  /** The request's time (default now): frequency caps count displays back from it. */
  now?: Date;
}

/** A promise made once and kept, unless it fails (then the next call tries again). */
function cached<T>(make: () => Promise<T>): () => Promise<T> {
  let kept: Promise<T> | null = null;
  return () =>
    (kept ??= make().catch((e: unknown) => {
      kept = null;
      throw e;
    }));
}

export class BusinessRules {
  /** Product types and attributes, read from the store once. */
  readonly productFacts: () => Promise<StoreProductFacts>;
  /** Every customer's holdings, read once (only with rules). */
  private readonly holdings: (() => Promise<HoldingsIndex>) | null;

  constructor(
    /** The rules file's rules; null: only the request's filters apply. */
    readonly rules: Rules | null,
    private readonly store: Store,
  ) {
    this.productFacts = cached(() => StoreProductFacts.read(store));
    this.holdings = rules ? cached(() => HoldingsIndex.read(store, rules.holds)) : null;
  }

  /** The customer now: attributes, holdings (index plus events since it) and the events the caps look back over. */
  private async customerState(rules: Rules, index: HoldingsIndex, customer: string, now: Date): Promise<CustomerState> {
    const longestCap = Math.max(0, ...(rules.caps ?? []).map((c) => c.days));
    const since = Math.min(index.through - LATE_EVENT_DAYS * DAY, now.getTime() / 1000 - longestCap * DAY);
    const attributes = await this.store.attributesOf('customer', customer);
    const events = await this.store.customerEvents(customer, new Date(since * 1000));
    return { attributes, holdings: index.of(customer), events, now: now.getTime() / 1000 };
  }

  /**
   * The customer's list after the rules and filters, k long at most, with the trace of what each rule did;
   * each item keeps what it carried besides rank and score (its reason).
   */
  async apply<T extends RankedItem>(customer: string, ranked: readonly T[], k: number, list: Omit<ListRules, 'business'>): Promise<{ recommendations: T[]; debug: RuleTrace }> {
    const facts = await this.productFacts();
    const ruled = this.rules && this.holdings ? { rules: this.rules, state: await this.customerState(this.rules, await this.holdings(), customer, list.now ?? new Date()) } : null;
    const out = applyRules({ candidates: ranked, k, ruled, facts, filters: list.filters });
    const given = new Map(ranked.map((r) => [r.product, r]));
    return { recommendations: out.list.map((r) => ({ ...(given.get(r.product) as T), ...r })), debug: out.trace };
  }
}
