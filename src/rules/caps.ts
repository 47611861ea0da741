// Frequency caps: a product displayed N times within D days to a customer is not shown again until
// the oldest of those displays is more than D days old. Counted from the customer's display events.
import type { Rules } from './schema.js';
import { selects } from './select.js';
import type { CustomerState, ProductFacts, Verdict } from './types.js';

const DAY = 86_400;

/** Each product's display times, newest last. */
export function displayTimes(state: CustomerState): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const e = state.events;
  for (let i = 0; i < e.length; i++) {
    if (e.type[i] !== 'display') continue;
    const times = out.get(e.product[i]);
    if (times) times.push(e.time[i]);
    else out.set(e.product[i], [e.time[i]]);
  }
  return out;
}

export const capVerdict = (rules: Rules, displays: ReadonlyMap<string, number[]>, now: number, facts: ProductFacts) =>
  (product: string): Verdict => {
    const times = displays.get(product);
    if (!times) return null;
    for (const [i, cap] of (rules.caps ?? []).entries()) {
      if (!selects(cap, product, facts)) continue;
      const since = now - cap.days * DAY;
      const shown = times.filter((t) => t > since && t <= now).length;
      if (shown >= cap.displays) return { rule: 'frequencyCap', detail: `displayed ${shown} times in the last ${cap.days} days (caps[${i}]: at most ${cap.displays})` };
    }
    return null;
  };
