// At most M products of one type in a list: the best M of each type stay, the rest are left out.
import type { Rules } from './schema.js';
import type { ProductFacts, Verdict } from './types.js';

export class TypeCap {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly cap: Rules['maxPerType'],
    private readonly facts: ProductFacts,
  ) {}

  /** Whether one more product of this one's type would break the cap. */
  verdict(product: string): Verdict {
    const type = this.facts.type(product);
    const limit = this.cap?.byType?.[type] ?? this.cap?.default;
    if (limit === undefined || (this.counts.get(type) ?? 0) < limit) return null;
    return { rule: 'maxPerType', detail: `the list already holds ${limit} products of type ${type || '(none)'}` };
  }

  /** Counts a product that joins the list. */
  take(product: string): void {
    const type = this.facts.type(product);
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
  }
}
