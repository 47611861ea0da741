// Which products a rule applies to: listed by id or by type; a selector that lists neither takes every product.
import type { Selector } from './schema.js';
import type { ProductFacts } from './types.js';

export const selects = (s: Selector, product: string, facts: ProductFacts): boolean =>
  (s.products === undefined && s.types === undefined) || (s.products?.includes(product) ?? false) || (s.types?.includes(facts.type(product)) ?? false);
