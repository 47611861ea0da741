// What a live event log checks before it queues events, whatever the backend: each event valid by the
// canonical model (ids trimmed, a known type, a finite value), and a batch all valid or refused whole;
// then the backend's rows of them queued for its group commit.
import { NextbestError } from '../core/errors.js';
import { describeIssues, Event } from '../data/model.js';
import type { GroupCommit } from './group-commit.js';
import type { AppendResult } from './store.js';

/** The event as parsed, or the INVALID_EVENT error that refuses it. */
export function checkedEvent(e: Event): Event | NextbestError {
  const parsed = Event.safeParse(e);
  return parsed.success ? parsed.data : new NextbestError('INVALID_EVENT', `invalid event: ${describeIssues(parsed.error)}`);
}

/** Every event parsed, or the INVALID_EVENT error naming the first invalid one (then none is written). */
export function checkedEvents(es: Event[]): Event[] | NextbestError {
  if (!Array.isArray(es)) return new NextbestError('INVALID_EVENT', 'appendMany expects an array of events');
  const out: Event[] = [];
  for (let i = 0; i < es.length; i++) {
    const parsed = Event.safeParse(es[i]);
    if (!parsed.success) {
      return new NextbestError('INVALID_EVENT', `invalid event at index ${i}: ${describeIssues(parsed.error)}; none of the ${es.length} events was written`);
    }
    out.push(parsed.data);
  }
  return out;
}

/** Queues the rows of checked events (one, or a batch) for the group commit; an invalid one is refused, nothing written. */
export function enqueueChecked<Row>(queue: GroupCommit<Row>, checked: Event | Event[] | NextbestError, toRow: (e: Event) => Row): Promise<AppendResult> {
  if (checked instanceof NextbestError) return Promise.reject(checked);
  const events = Array.isArray(checked) ? checked : [checked];
  return events.length === 0 ? Promise.resolve({ accepted: 0, duplicates: [] }) : queue.enqueue(events.map(toRow));
}
