// The rules engine: from the model's ranking of the whole catalogue to the list a customer sees.
// Boosts re-rank first; then the list is filled best first with the products every removing rule
// lets through (request filters, holdings, eligibility, frequency caps, at most M per type), pinned
// products go to their positions, and the trace says which rule removed or moved each product.
import { applyBoosts } from './boosts.js';
import { capVerdict, displayTimes } from './caps.js';
import { customerFacts, eligibilityVerdict } from './eligibility.js';
import { filterVerdict } from './filters.js';
import { heldProducts, holdsVerdict } from './holds.js';
import { pinsFor, placePins } from './pins.js';
import type { Rules } from './schema.js';
import { TypeCap } from './type-cap.js';
import type { Candidate, CustomerState, Move, ProductFacts, RankedItem, RequestFilters, RuleTrace, Verdict } from './types.js';

export interface RulesInput {
  /** The model's scores for the whole catalogue, best first (held products included: the rules decide). */
  candidates: readonly Candidate[];
  k: number;
  /** The rules file and the customer as the store knows it now; null: only the request's filters apply. */
  ruled: { rules: Rules; state: CustomerState } | null;
  facts: ProductFacts;
  filters: RequestFilters;
}

export interface RulesOutput {
  list: RankedItem[];
  trace: RuleTrace;
}

/** The rules that take a product out of a list whatever else is in it, in the order they are asked. */
function removingRules(input: RulesInput): ((product: string) => Verdict)[] {
  const { ruled, facts } = input;
  const checks = [filterVerdict(input.filters, facts)];
  if (!ruled) return checks;
  const { rules, state } = ruled;
  checks.push(
    holdsVerdict(heldProducts(state, rules.holds), rules.holds, facts),
    eligibilityVerdict(rules, customerFacts(state.attributes, rules.customerAttributes), facts),
    capVerdict(rules, displayTimes(state), state.now, facts),
  );
  return checks;
}

export function applyRules(input: RulesInput): RulesOutput {
  const { candidates, k, facts } = input;
  const rules = input.ruled?.rules ?? null;
  const modelRank = new Map(candidates.map((c, i) => [c.product, i + 1]));
  const { ranked, boosted } = rules ? applyBoosts(candidates, rules, facts) : { ranked: [...candidates], boosted: new Map<string, string>() };
  const checks = removingRules(input);
  const typeCap = new TypeCap(rules?.maxPerType, facts);
  const trace: RuleTrace = { removed: [], moved: [] };
  const removed = new Set<string>();
  const admit = (product: string): boolean => {
    for (const check of [...checks, (p: string) => typeCap.verdict(p)]) {
      const v = check(product);
      if (v) {
        trace.removed.push({ product, ...v });
        removed.add(product);
        return false;
      }
    }
    typeCap.take(product);
    return true;
  };

  // Pinned products claim their places (and their types' share of the cap) first.
  const pinned = rules ? pinsFor(rules, k, new Map(ranked.map((c) => [c.product, c]))).filter((p) => admit(p.product)) : [];
  const pinnedIds = new Set(pinned.map((p) => p.product));
  const list: Candidate[] = [];
  for (const c of ranked) {
    if (list.length >= k) break;
    if (!pinnedIds.has(c.product) && admit(c.product)) list.push(c);
  }
  const placed = placePins(list, pinned, k);
  const finalRank = new Map(placed.list.map((c, i) => [c.product, i + 1]));
  const move = (product: string, rule: Move['rule'], detail: string): Move => ({ product, rule, detail, from: modelRank.get(product) as number, to: finalRank.get(product) ?? null });

  for (const p of pinned) trace.moved.push(move(p.product, 'pin', `pins[${p.index}]: position ${p.position}`));
  for (const c of placed.pushedOut) trace.moved.push(move(c.product, 'pin', 'pushed out of the list by pinned products'));
  for (const [product, detail] of boosted) {
    const wasShown = (modelRank.get(product) as number) <= k;
    if (pinnedIds.has(product) || removed.has(product) || (!finalRank.has(product) && !wasShown)) continue;
    const m = move(product, 'boost', detail);
    if (m.from !== m.to) trace.moved.push(m);
  }
  return { list: placed.list.map((c, i) => ({ rank: i + 1, product: c.product, score: c.score })), trace };
}
