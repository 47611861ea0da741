// "Never offer a product the customer holds": what the customer holds now, from its latest holdings
// snapshot and its events (an acquire holds a product, a drop ends that), unless the product allows several.
import type { Rules } from './schema.js';
import { selects } from './select.js';
import type { CustomerState, ProductFacts, Verdict } from './types.js';

const day = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().slice(0, 10);

/** The products the customer holds now, each with how the store knows it. */
export function heldProducts(state: CustomerState, holds: Rules['holds']): Map<string, string> {
  // The latest word on each product wins: the snapshot at its date, then each event at its time.
  const latest = new Map<string, { time: number; held: boolean; how: string }>();
  if (state.holdings) {
    const time = state.holdings.month.getTime() / 1000;
    for (const p of state.holdings.products) latest.set(p, { time, held: true, how: `held in the ${day(time)} holdings snapshot` });
  }
  const starts = new Set<string>(holds.events);
  const ends = new Set<string>(holds.endedBy);
  const e = state.events;
  for (let i = 0; i < e.length; i++) {
    const starting = starts.has(e.type[i]);
    if (!starting && !ends.has(e.type[i])) continue;
    const before = latest.get(e.product[i]);
    if (before && before.time > e.time[i]) continue;
    latest.set(e.product[i], { time: e.time[i], held: starting, how: `${e.type[i]} event on ${day(e.time[i])}` });
  }
  const held = new Map<string, string>();
  for (const [p, s] of latest) if (s.held) held.set(p, s.how);
  return held;
}

export const holdsVerdict = (held: ReadonlyMap<string, string>, holds: Rules['holds'], facts: ProductFacts) =>
  (product: string): Verdict => {
    const how = held.get(product);
    if (how === undefined) return null;
    const several = (holds.allowSeveral.products !== undefined || holds.allowSeveral.types !== undefined) && selects(holds.allowSeveral, product, facts);
    return several ? null : { rule: 'holds', detail: `the customer holds it (${how})` };
  };
