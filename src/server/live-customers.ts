// Which customers may have events since the served model's training, so that a recommendation reads
// the store's live events only for them instead of querying the store on every request: those with
// events after the model's cut-off when it was activated (one query), and every customer this
// server's live log has been given an event for since the server started. A server holding an
// embedded store is its only writer, so no event reaches the store another way meanwhile. A shared
// store (PostgreSQL) has other writers (replicas): there every recommendation reads the customer's
// events since training from the store (one indexed query), so an event another replica acknowledged
// (committed before its answer) is in the next list this server makes: a staleness bound of zero.
import type { LiveEventLog, Store } from '../store/store.js';
import { readAt, trainedThrough } from '../app/live-history.js';
import type { TrainedModel } from '../models/trained-model.js';

export class LiveCustomers {
  private readonly appended = new Set<string>();

  /** The log, recording each event's customer before it is written (so it is known before the event is acknowledged). */
  track(log: LiveEventLog): LiveEventLog {
    const note = (customer: unknown): void => {
      if (typeof customer === 'string') this.appended.add(customer);
    };
    return {
      get stats() {
        return log.stats;
      },
      append: (e) => {
        note(e?.customerId);
        return log.append(e);
      },
      appendMany: (es) => {
        if (Array.isArray(es)) for (const e of es) note(e?.customerId);
        return log.appendMany(es);
      },
      flush: () => log.flush(),
      close: () => log.close(),
    };
  }

  /** For one model: whether a customer may have events after its training cut-off (always false without one: live events are then not read). */
  async forModel(store: Store, trained: TrainedModel): Promise<(customer: string) => boolean> {
    const cutoff = trainedThrough(trained);
    if (cutoff === undefined) return () => false;
    if (store.shared) return () => true;
    const before = await store.customersWithEventsSince(new Date(cutoff * 1000), readAt(trained));
    return (customer) => before.has(customer) || this.appended.has(customer);
  }
}
