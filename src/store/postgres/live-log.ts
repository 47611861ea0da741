// PgLiveEventLog: a PostgreSQL store's durable writer for real-time events (one call per served request).
//
// Group commit (src/store/group-commit.ts, as the embedded store's log): events queue, and one
// INSERT (a prepared statement over unnest() of one array per column, so one round trip whatever the
// batch size) commits a batch; while it is in flight, new events queue for the next one; an idle log
// lets the first event wait at most `maxDelayMs` for company. A promise resolves only once PostgreSQL
// answered the statement's COMMIT (synchronous_commit: the WAL is flushed), so an acknowledged event
// is durable, and visible to every process that reads the store.
//
// Idempotency is the store's: events.event_id is UNIQUE, the INSERT says ON CONFLICT DO NOTHING and
// returns the ids it stored, so an id another replica (or this one, before a restart) stored is a
// duplicate, with no id set held in memory. Copies within one batch are left out before the INSERT.
//
// Failure. A batch that fails (PostgreSQL unreachable, ...) writes nothing, and each of its waiters is
// rejected with STORE_UNAVAILABLE; the next batch takes a fresh connection from the pool, so the log
// recovers by itself once PostgreSQL is back. A batch whose COMMIT PostgreSQL received but whose answer
// was lost is reported as failed though stored: a client that resends it with its event id is told it
// is a duplicate, so it is stored exactly once.
import type pg from 'pg';
import { errorMessage, NextbestError } from '../../core/errors.js';
import type { Event } from '../../data/model.js';
import { contextJson } from '../duckdb/staging-sink.js';
import { GroupCommit, type Waiter } from '../group-commit.js';
import { GroupCommitLog } from '../live-event-checks.js';
import type { LiveEventLog, LiveEventLogOptions } from '../store.js';

interface Row {
  customerId: string;
  productId: string;
  ms: number;
  type: string;
  value: number;
  context: string;
  eventId: string | null;
}

const INSERT = {
  name: 'live-events-insert',
  text: `INSERT INTO events (customer_id, product_id, ts, type, value, context, event_id, received)
    SELECT c, p, to_timestamp(t / 1000) AT TIME ZONE 'UTC', ty, v, cx, id, now() AT TIME ZONE 'UTC'
    FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::float8[], $6::text[], $7::text[]) AS u(c, p, t, ty, v, cx, id)
    ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
};

const noop = (): void => undefined;

const toRow = (e: Event): Row => ({
  customerId: e.customerId,
  productId: e.productId,
  ms: e.timestamp.getTime(),
  type: e.type,
  value: e.value,
  context: contextJson(e.context),
  eventId: e.eventId ?? null,
});

export class PgLiveEventLog extends GroupCommitLog<Row> implements LiveEventLog {
  protected readonly queue: GroupCommit<Row>;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    /** The store as the user named it, for messages. */
    location: string,
    opts: LiveEventLogOptions = {},
    private readonly onClose: () => void = noop,
  ) {
    super(toRow);
    this.queue = new GroupCommit<Row>(
      opts,
      (batch) => this.write(batch),
      (rows, err) =>
        new NextbestError('STORE_UNAVAILABLE', `could not store ${rows} live event(s) in ${location}, none of them was written: ${errorMessage(err).split('\n')[0]}; retry later`),
    );
  }

  close(): Promise<void> {
    this.closing ??= this.queue.close().then(this.onClose);
    return this.closing;
  }

  /** One INSERT of the batch's events, copies within the batch left out; fills each waiter's result. */
  private async write(batch: Waiter<Row>[]): Promise<number> {
    const seen = new Set<string>();
    const rows: Row[] = [];
    const repeated = new Set<Row>();
    for (const w of batch) {
      for (const r of w.rows) {
        if (r.eventId !== null && seen.has(r.eventId)) repeated.add(r);
        else {
          if (r.eventId !== null) seen.add(r.eventId);
          rows.push(r);
        }
      }
    }
    const r = await this.pool.query<{ event_id: string | null }>({
      ...INSERT,
      values: [
        rows.map((x) => x.customerId),
        rows.map((x) => x.productId),
        rows.map((x) => x.ms),
        rows.map((x) => x.type),
        rows.map((x) => x.value),
        rows.map((x) => x.context),
        rows.map((x) => x.eventId),
      ],
    });
    const stored = new Set(r.rows.map((x) => x.event_id));
    for (const w of batch) {
      w.result = { accepted: 0, duplicates: [] };
      for (const x of w.rows) {
        if (x.eventId !== null && (repeated.has(x) || !stored.has(x.eventId))) w.result.duplicates.push(x.eventId);
        else w.result.accepted++;
      }
    }
    return r.rowCount ?? 0;
  }
}
