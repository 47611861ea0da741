// Pins: a product forced to a position of the list (when it passes every rule that removes products).
// Pins are placed in position order; what they push past the list's length leaves it.
import type { Rules } from './schema.js';
import type { Candidate } from './types.js';

export interface Pinned extends Candidate {
  /** 1-based position the pin asks for. */
  position: number;
  /** Index of the pin in the rules file. */
  index: number;
}

/** The pins that can land in a list of k, best position first, with the candidate each one names (absent ones dropped). */
export function pinsFor(rules: Rules, k: number, byProduct: ReadonlyMap<string, Candidate>): Pinned[] {
  return (rules.pins ?? [])
    .map((p, index) => ({ ...p, index, candidate: byProduct.get(p.product) }))
    .filter((p) => p.position <= k && p.candidate !== undefined)
    .sort((a, b) => a.position - b.position || a.index - b.index)
    .map((p) => ({ product: p.product, score: (p.candidate as Candidate).score, position: p.position, index: p.index }));
}

/** The list with each pinned product at its position (or last, when the list is shorter), cut to k; returns what fell off. */
export function placePins(list: Candidate[], pinned: readonly Pinned[], k: number): { list: Candidate[]; pushedOut: Candidate[] } {
  const out = [...list];
  for (const p of pinned) out.splice(Math.min(p.position - 1, out.length), 0, { product: p.product, score: p.score });
  return { list: out.slice(0, k), pushedOut: out.slice(k) };
}
