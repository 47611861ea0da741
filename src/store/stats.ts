// A data summary of the store: what `nextbest stats` prints and the dashboard will show.
import type { StoreCounts } from './store.js';

export interface StoreStats extends StoreCounts {
  eventsByType: Record<string, number>;
  firstEvent: string | null;
  lastEvent: string | null;
  customersWithEvents: number;
  coldCustomers: number;
  eventsPerCustomer: { min: number; median: number; mean: number; max: number };
  topProducts: { productId: string; type: string | null; events: number; customers: number }[];
  customerAttributes: { name: string; present: number; numeric: number; distinct: number }[];
  productTypes: Record<string, number>;
  holdingMonths: { month: string; customers: number; holdings: number }[];
}
