// Every customer's holdings as the store knows them at one moment: the latest holdings snapshot and
// the events that start or end a holding (acquire, drop), read in one pass so a request only reads the
// customer's recent events. A server builds it once; events stored later reach a request through its
// own read of the customer's events since LATE_EVENT_DAYS before the index (business-rules.ts).
import { markEvent, markSnapshot } from '../rules/holds.js';
import type { Rules } from '../rules/schema.js';
import type { HoldingMark } from '../rules/types.js';
import type { Store } from '../store/store.js';

const NONE: ReadonlyMap<string, HoldingMark> = new Map();

export class HoldingsIndex {
  private constructor(
    /** Epoch seconds when the index was read: events up to it are in it. */
    readonly through: number,
    private readonly byCustomer: ReadonlyMap<string, ReadonlyMap<string, HoldingMark>>,
  ) {}

  static async read(store: Store, holds: Rules['holds']): Promise<HoldingsIndex> {
    const through = Date.now() / 1000;
    const byCustomer = new Map<string, Map<string, HoldingMark>>();
    const of = (customer: string): Map<string, HoldingMark> => {
      let marks = byCustomer.get(customer);
      if (!marks) byCustomer.set(customer, (marks = new Map()));
      return marks;
    };
    for await (const rows of store.latestHoldings()) for (const h of rows) markSnapshot(of(h.customer), h);
    for await (const e of store.events([...holds.events, ...holds.endedBy])) {
      for (let i = 0; i < e.length; i++) markEvent(of(e.customer[i]), e.product[i], e.time[i], e.type[i], holds);
    }
    return new HoldingsIndex(through, byCustomer);
  }

  of(customer: string): ReadonlyMap<string, HoldingMark> {
    return this.byCustomer.get(customer) ?? NONE;
  }
}
