// A product as the dashboard's Product page shows it: its name, type and attributes, its events by
// type, and who holds it now (the latest monthly snapshot, then acquire / checkout / drop events after
// that month; without snapshots, every such event), with the holders' breakdown by a customer attribute.
import { NextbestError } from '../core/errors.js';
import type { Attributes } from '../data/model.js';
import type { Store } from '../store/store.js';
import { attributeValues } from './attribute-values.js';

export interface ProductDetail {
  product: string;
  name: string | null;
  type: string;
  attributes: Attributes;
  eventsByType: Record<string, number>;
  holders: {
    count: number;
    /** The first holders by id (at most `sample`). */
    customers: string[];
    attribute: string;
    /** Holders by the attribute's value, most first. */
    byAttribute: { value: string; customers: number }[];
  };
}

export async function productDetail(store: Store, product: string, opts: { attribute: string; sample?: number }): Promise<ProductDetail> {
  const attributes = await store.attributesOf('product', product);
  if (attributes === null) throw new NextbestError('PRODUCT_NOT_FOUND', `the store has no product ${JSON.stringify(product)}; check the id (GET /v1/products lists them)`);
  const [names, types] = await Promise.all([store.productDescriptions(), store.productTypes()]);
  const held = new Set<string>();
  let snapshotMonth: number | null = null;
  for await (const rows of store.latestHoldings())
    for (const r of rows) {
      snapshotMonth = Math.max(snapshotMonth ?? -Infinity, r.month.getTime() / 1000);
      if (r.products.includes(product)) held.add(r.customer);
    }
  const eventsByType: Record<string, number> = {};
  for await (const b of store.events()) {
    for (let i = 0; i < b.length; i++) {
      if (b.product[i] !== product) continue;
      const type = b.type[i];
      eventsByType[type] = (eventsByType[type] ?? 0) + 1;
      if (snapshotMonth !== null && b.time[i] < snapshotMonth) continue;
      if (type === 'acquire' || type === 'checkout') held.add(b.customer[i]);
      else if (type === 'drop') held.delete(b.customer[i]);
    }
  }
  // A holder whose attribute the store holds as missing counts under '', one without it under '(none)'.
  const valueOf = await attributeValues(store, 'customer', opts.attribute, held);
  const by = new Map<string, number>();
  for (const c of held) {
    const v = valueOf.get(c);
    const key = v === undefined ? '(none)' : (v ?? '');
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  return {
    product,
    name: names.get(product) ?? null,
    type: types.get(product) ?? '',
    attributes,
    eventsByType,
    holders: {
      count: held.size,
      customers: [...held].sort().slice(0, opts.sample ?? 20),
      attribute: opts.attribute,
      byAttribute: [...by.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value, customers]) => ({ value, customers })),
    },
  };
}

/** Every product with its name and type, sorted by id. */
export async function productCatalogue(store: Store): Promise<{ product: string; name: string | null; type: string }[]> {
  const [names, types] = await Promise.all([store.productDescriptions(), store.productTypes()]);
  const out: { product: string; name: string | null; type: string }[] = [];
  for await (const ids of store.ids('product')) for (const product of ids) out.push({ product, name: names.get(product) ?? null, type: types.get(product) ?? '' });
  return out;
}
