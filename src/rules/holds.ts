// "Never offer a product the customer holds": what the customer holds now, from its latest holdings
// snapshot and its events (an acquire holds a product, a drop ends that; the latest word on a product
// wins), unless the product allows several.
import type { EventType } from '../data/model.js';
import type { CustomerHoldings } from '../store/store.js';
import type { Rules } from './schema.js';
import { selects } from './select.js';
import type { CustomerState, HoldingMark, ProductFacts, Verdict } from './types.js';

const day = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().slice(0, 10);

const mark = (marks: Map<string, HoldingMark>, product: string, next: HoldingMark): void => {
  const before = marks.get(product);
  if (!before || before.time <= next.time) marks.set(product, next);
};

/** Records what a holdings snapshot says of its products. */
export function markSnapshot(marks: Map<string, HoldingMark>, snapshot: Pick<CustomerHoldings, 'month' | 'products'>): void {
  const time = snapshot.month.getTime() / 1000;
  for (const p of snapshot.products) mark(marks, p, { time, held: true, how: `held in the ${day(time)} holdings snapshot` });
}

/** Records what one event says, if its type starts or ends a holding. */
export function markEvent(marks: Map<string, HoldingMark>, product: string, time: number, type: EventType, holds: Rules['holds']): void {
  const starts = holds.events.includes(type);
  if (starts || holds.endedBy.includes(type)) mark(marks, product, { time, held: starts, how: `${type} event on ${day(time)}` });
}

/** The products the customer holds now, each with how the store knows it. */
export function heldProducts(state: CustomerState, holds: Rules['holds']): Map<string, string> {
  const marks = new Map(state.holdings);
  const e = state.events;
  for (let i = 0; i < e.length; i++) markEvent(marks, e.product[i], e.time[i], e.type[i], holds);
  const held = new Map<string, string>();
  for (const [p, m] of marks) if (m.held) held.set(p, m.how);
  return held;
}

export const holdsVerdict = (held: ReadonlyMap<string, string>, holds: Rules['holds'], facts: ProductFacts) =>
  (product: string): Verdict => {
    const how = held.get(product);
    if (how === undefined) return null;
    const several = (holds.allowSeveral.products !== undefined || holds.allowSeveral.types !== undefined) && selects(holds.allowSeveral, product, facts);
    return several ? null : { rule: 'holds', detail: `the customer holds it (${how})` };
  };
