// Small hand-made event logs and readers of split sides for the split tests.
import type { EventType } from '../../../src/data/model.js';
import { EventLogBuilder, type EventLog } from '../../../src/matrix/index.js';

/** One event per [customer, product, time], type click unless given. */
export function logOf(rows: readonly (readonly [string, string, number, EventType?])[]): EventLog {
  const b = new EventLogBuilder();
  for (const [c, p, t, type] of rows) b.add(c, p, t, type ?? 'click', 1);
  return b.build();
}

/** "customer/product@time" per event, in log order. */
export const eventsOf = (log: EventLog): string[] =>
  Array.from({ length: log.length }, (_, i) => `${log.customers.id(log.customer[i])}/${log.products.id(log.product[i])}@${log.time[i]}`);

/** Sorted "customer/product" pairs, one per event. */
export const pairsOf = (log: EventLog): string[] =>
  Array.from({ length: log.length }, (_, i) => `${log.customers.id(log.customer[i])}/${log.products.id(log.product[i])}`).sort();

/** Events per customer id. */
export function countByCustomer(log: EventLog): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < log.length; i++) {
    const id = log.customers.id(log.customer[i]);
    m.set(id, (m.get(id) ?? 0) + 1);
  }
  return m;
}

/** c0..c{customers-1}, each with `perCustomer` distinct products at times 0, 1, ... */
export function gridLog(customers: number, perCustomer: (c: number) => number): EventLog {
  const rows: [string, string, number][] = [];
  for (let c = 0; c < customers; c++) for (let k = 0; k < perCustomer(c); k++) rows.push([`c${c}`, `p${k}`, 1000 * c + k]);
  return logOf(rows);
}
