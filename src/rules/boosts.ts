// Boosts: a product's score times `multiply` plus `add`, for the products or types a boost selects
// (several boosts compose in file order); the list is ranked again on the boosted scores.
import type { Rules } from './schema.js';
import { selects } from './select.js';
import type { Candidate, ProductFacts } from './types.js';

export interface Boosted {
  /** The candidates on their boosted scores, best first (ties keep the model's order). */
  ranked: Candidate[];
  /** What each boosted product's score went through. */
  boosted: Map<string, string>;
}

export function applyBoosts(candidates: readonly Candidate[], rules: Rules, facts: ProductFacts): Boosted {
  const boosts = rules.boosts ?? [];
  const boosted = new Map<string, string>();
  if (!boosts.length) return { ranked: [...candidates], boosted };
  const ranked = candidates.map((c, order) => {
    let score = c.score;
    const steps: string[] = [];
    boosts.forEach((b, i) => {
      if (!selects(b, c.product, facts)) return;
      score = score * (b.multiply ?? 1) + (b.add ?? 0);
      steps.push(`boosts[${i}]${b.multiply !== undefined ? ` x${b.multiply}` : ''}${b.add !== undefined ? ` ${b.add < 0 ? '-' : '+'}${Math.abs(b.add)}` : ''}`);
    });
    if (steps.length) boosted.set(c.product, `score ${c.score.toPrecision(4)} -> ${score.toPrecision(4)} (${steps.join(', ')})`);
    return { product: c.product, score, order };
  });
  ranked.sort((a, b) => b.score - a.score || a.order - b.order);
  return { ranked: ranked.map(({ product, score }) => ({ product, score })), boosted };
}
