// A customer as the store knows it now: attributes, the products it holds, and its latest events.
// Holdings: the products of the store's latest snapshot month (Santander-style holdings), then the
// events after that month in time order: an acquire or checkout adds its product, a drop removes it.
// Without snapshots every event counts.
import { NextbestError } from '../core/errors.js';
import type { Attributes } from '../data/model.js';
import type { Store, StoredEvent } from '../store/store.js';

export interface Holding {
  product: string;
  /** The time of the event that added it; null when it comes from the snapshot month. */
  since: Date | null;
}

export interface CustomerProfile {
  customer: string;
  attributes: Attributes;
  /** The store's latest snapshot month, when it holds snapshots. */
  snapshotMonth: Date | null;
  holdings: Holding[];
  /** Newest first. */
  recentEvents: StoredEvent[];
}

const ADDS = new Set(['acquire', 'checkout']);

export async function customerProfile(store: Store, customer: string, recent: number): Promise<CustomerProfile> {
  const [attributes, recentEvents] = await Promise.all([store.attributesOf('customer', customer), store.recentEvents(customer, recent)]);
  // Live events may name a customer no customer file gave: the store knows it from its events.
  if (attributes === null && recentEvents.length === 0) {
    throw new NextbestError('CUSTOMER_NOT_FOUND', `the store has no customer ${JSON.stringify(customer)}; check the id (recommendations answer an unknown customer with a cold-start list)`);
  }
  const snapshot = await store.snapshotOf(customer);
  const held = new Map<string, Date | null>(snapshot.products.map((p) => [p, null]));
  const events = await store.customerEvents(customer, snapshot.month ?? undefined);
  for (let i = 0; i < events.length; i++) {
    const product = events.product[i];
    if (ADDS.has(events.type[i])) {
      if (!held.has(product)) held.set(product, new Date(events.time[i] * 1000));
    } else if (events.type[i] === 'drop') {
      held.delete(product);
    }
  }
  const holdings = [...held].map(([product, since]) => ({ product, since })).sort((a, b) => a.product.localeCompare(b.product));
  return { customer, attributes: attributes ?? {}, snapshotMonth: snapshot.month, holdings, recentEvents };
}
