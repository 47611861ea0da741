// Customers whose id contains a text (the dashboard's customer search), with one attribute each to tell
// them apart (the segment).
import type { Store } from '../store/store.js';

export interface FoundCustomer {
  customer: string;
  /** The attribute's value, null when the customer has none. */
  value: string | number | null;
}

/** The first `limit` customers (sorted by id) whose id contains `query` (case-insensitive; empty: any). */
export async function searchCustomers(store: Store, query: string, opts: { limit: number; attribute: string }): Promise<FoundCustomer[]> {
  const q = query.toLowerCase();
  const ids: string[] = [];
  for await (const batch of store.ids('customer')) {
    for (const id of batch) if (id.toLowerCase().includes(q) && ids.length < opts.limit) ids.push(id);
    if (ids.length >= opts.limit) break;
  }
  return Promise.all(ids.map(async (customer) => ({ customer, value: (await store.attributesOf('customer', customer))?.[opts.attribute] ?? null })));
}
