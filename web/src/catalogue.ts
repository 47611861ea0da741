// What several pages share, read once per page load: the product catalogue (names for ids) and the time
// offers are shown at (now, or, when no offer runs now, the latest day the store's offers ran: the
// synthetic data's offers ended in its past).
import { get } from './api';
import type { Offer, Product } from './types';

let products: Promise<Map<string, Product>> | null = null;

export function catalogue(): Promise<Map<string, Product>> {
  products ??= get<{ products: Product[] }>('/v1/products').then((r) => new Map(r.products.map((p) => [p.product, p])));
  products.catch(() => (products = null));
  return products;
}

export const productName = (c: Map<string, Product>, id: string): string => c.get(id)?.name ?? id;

let at: Promise<string | undefined> | null = null;

/** undefined: offers run now; else the last day any offer ran (YYYY-MM-DD). */
export function offersAt(): Promise<string | undefined> {
  at ??= get<{ offers: Offer[] }>('/v1/offers').then(({ offers }) => {
    if (offers.some((o) => o.active)) return undefined;
    const ends = offers.filter((o) => o.retiredAt === null && o.validTo !== null).map((o) => o.validTo as string).sort();
    return ends.length ? ends[ends.length - 1].slice(0, 10) : undefined;
  });
  at.catch(() => (at = null));
  return at;
}
