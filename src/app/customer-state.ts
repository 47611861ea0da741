// One customer as business rules see it at request time, read through the Store: its attributes,
// every event it has (training and live: holdings and display counts come from them) and its latest
// holdings snapshot.
import type { CustomerState } from '../rules/types.js';
import type { Store } from '../store/store.js';

export async function readCustomerState(store: Store, customer: string, now: Date = new Date()): Promise<CustomerState> {
  const [attributes, events, holdings] = [await store.attributesOf('customer', customer), await store.customerEvents(customer), await store.holdingsOf(customer)];
  return { attributes, events, holdings, now: now.getTime() / 1000 };
}
