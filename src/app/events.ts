// Real-time events as a client sends them (the server's events routes): each with the sender's event id,
// stamped with the server's time when it comes without one, written to the store's durable live log.
// An id the store already holds is acknowledged as a duplicate and not stored again, so a client may
// resend whatever it is not sure arrived.
import type { Context, Event, EventType } from '../data/model.js';
import type { AppendResult, LiveEventLog } from '../store/store.js';

/** An event as an API client sends it. */
export interface IncomingEvent {
  eventId: string;
  customer: string;
  product: string;
  type: EventType;
  /** When it happened; default the time it arrives. */
  timestamp?: Date;
  value: number;
  context: Context;
}

const toEvent = (e: IncomingEvent, now: Date): Event => ({
  eventId: e.eventId,
  customerId: e.customer,
  productId: e.product,
  type: e.type,
  timestamp: e.timestamp ?? now,
  value: e.value,
  context: e.context,
});

/** Stores the events in one transaction (all or none) and resolves once they are durable. */
export function recordEvents(log: LiveEventLog, events: readonly IncomingEvent[]): Promise<AppendResult> {
  const now = new Date();
  return log.appendMany(events.map((e) => toEvent(e, now)));
}
