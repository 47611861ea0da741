// The catalogue as business rules read it: each product's type and attributes, from the store (a
// server reads it once and keeps it). The request's type filters are checked against the known types.
import { NextbestError } from '../core/errors.js';
import type { AttributeValue } from '../data/model.js';
import type { ProductFacts, RequestFilters } from '../rules/types.js';
import type { Store } from '../store/store.js';

export class StoreProductFacts implements ProductFacts {
  private constructor(
    private readonly types: ReadonlyMap<string, string>,
    private readonly attributes: ReadonlyMap<string, Map<string, AttributeValue>>,
  ) {}

  static async read(store: Store): Promise<StoreProductFacts> {
    const attributes = new Map<string, Map<string, AttributeValue>>();
    for await (const rows of store.attributes('product')) {
      for (const r of rows) {
        let a = attributes.get(r.id);
        if (!a) attributes.set(r.id, (a = new Map()));
        a.set(r.name, r.num ?? r.str);
      }
    }
    return new StoreProductFacts(await store.productTypes(), attributes);
  }

  type(product: string): string {
    return this.types.get(product) ?? '';
  }

  attribute(product: string, name: string): AttributeValue | undefined {
    return this.attributes.get(product)?.get(name);
  }

  /** The product types the store knows, sorted. */
  knownTypes(): string[] {
    return [...new Set(this.types.values())].filter(Boolean).sort();
  }

  /** Refuses a filter that names a type no product has (a misspelt type would silently empty or keep the list). */
  checkFilters(filters: RequestFilters): void {
    const known = new Set(this.knownTypes());
    for (const field of ['include', 'exclude'] as const) {
      const unknown = filters[field]?.find((t) => !known.has(t));
      if (unknown !== undefined)
        throw new NextbestError('BAD_OPTION', `${field}: no product has the type "${unknown}"; use one of ${[...known].join(', ') || '(the store has no product types)'}`);
    }
  }
}
