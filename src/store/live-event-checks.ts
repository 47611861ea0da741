// What a live event log does before its backend writes, whatever the backend: each event checked valid by
// the canonical model (ids trimmed, a known type, a finite value), a batch all valid or refused whole,
// then the backend's rows of them queued for its group commit (GroupCommitLog, which both logs extend).
import { NextbestError } from '../core/errors.js';
import { describeIssues, Event } from '../data/model.js';
import type { GroupCommit } from './group-commit.js';
import type { AppendResult, LiveEventLogStats } from './store.js';

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

/** A live event log's appends and flush over its backend's group commit of rows; the backend writes and closes. */
export abstract class GroupCommitLog<Row> {
  protected abstract readonly queue: GroupCommit<Row>;

  constructor(private readonly toRow: (e: Event) => Row) {}

  get stats(): LiveEventLogStats {
    return this.queue.stats;
  }

  /** Resolves once the event is committed; rejects (writing nothing) if it is invalid. */
  append(e: Event): Promise<AppendResult> {
    return this.enqueue(checkedEvent(e));
  }

  /** All or nothing: the events are committed in one transaction, or none is written if one is invalid. */
  appendMany(es: Event[]): Promise<AppendResult> {
    return this.enqueue(checkedEvents(es));
  }

  /** Commits everything appended so far without waiting for maxDelayMs; resolves when all of it has settled. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  private enqueue(checked: Event | Event[] | NextbestError): Promise<AppendResult> {
    if (checked instanceof NextbestError) return Promise.reject(checked);
    const events = Array.isArray(checked) ? checked : [checked];
    return events.length === 0 ? Promise.resolve({ accepted: 0, duplicates: [] }) : this.queue.enqueue(events.map(this.toRow));
  }
}
