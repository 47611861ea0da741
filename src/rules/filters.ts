// The request's own filters: keep only the types in `include`, leave out the types in `exclude`.
import type { ProductFacts, RequestFilters, Verdict } from './types.js';

export const filterVerdict = (filters: RequestFilters, facts: ProductFacts) =>
  (product: string): Verdict => {
    const type = facts.type(product);
    if (filters.include?.length && !filters.include.includes(type)) return { rule: 'include', detail: `type ${type || '(none)'} is not in include=${filters.include.join(',')}` };
    if (filters.exclude?.includes(type)) return { rule: 'exclude', detail: `type ${type} is in exclude=${filters.exclude.join(',')}` };
    return null;
  };
