// PgLiveEventLog: a PostgreSQL store's durable writer for real-time events (one call per served request).
//
// Group commit, as the embedded store's log (src/store/duckdb/live-log.ts): events queue, and one
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
import { describeIssues, Event } from '../../data/model.js';
import { contextJson } from '../duckdb/staging-sink.js';
import type { AppendResult, LiveEventLog, LiveEventLogOptions, LiveEventLogStats } from '../store.js';

interface Row {
  customerId: string;
  productId: string;
  ms: number;
  type: string;
  value: number;
  context: string;
  eventId: string | null;
}

interface Waiter {
  rows: Row[];
  result: AppendResult;
  resolve: (r: AppendResult) => void;
  reject: (e: Error) => void;
}

const DEFAULT_MAX_BATCH = 5000;
const DEFAULT_MAX_DELAY_MS = 2;

const INSERT = {
  name: 'live-events-insert',
  text: `INSERT INTO events (customer_id, product_id, ts, type, value, context, event_id, received)
    SELECT c, p, to_timestamp(t / 1000) AT TIME ZONE 'UTC', ty, v, cx, id, now() AT TIME ZONE 'UTC'
    FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::float8[], $6::text[], $7::text[]) AS u(c, p, t, ty, v, cx, id)
    ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
};

const noop = (): void => undefined;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const toRow = (e: Event): Row => ({
  customerId: e.customerId,
  productId: e.productId,
  ms: e.timestamp.getTime(),
  type: e.type,
  value: e.value,
  context: contextJson(e.context),
  eventId: e.eventId ?? null,
});

export class PgLiveEventLog implements LiveEventLog {
  readonly stats: LiveEventLogStats = { committed: 0, duplicates: 0, batches: 0, failedBatches: 0 };
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private queue: Waiter[] = [];
  private queuedRows = 0;
  private draining = false;
  private cancelTimer: (() => void) | null = null;
  private tail: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    /** The store as the user named it, for messages. */
    private readonly location: string,
    opts: LiveEventLogOptions = {},
    private readonly onClose: () => void = noop,
  ) {
    const maxBatch = opts.maxBatch ?? DEFAULT_MAX_BATCH;
    const maxDelayMs = opts.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new NextbestError('BAD_OPTION', `maxBatch must be a whole number of at least 1, got ${maxBatch}`);
    if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0) throw new NextbestError('BAD_OPTION', `maxDelayMs must be a number of milliseconds of at least 0, got ${maxDelayMs}`);
    this.maxBatch = maxBatch;
    this.maxDelayMs = maxDelayMs;
  }

  append(e: Event): Promise<AppendResult> {
    const parsed = Event.safeParse(e);
    if (!parsed.success) return Promise.reject(new NextbestError('INVALID_EVENT', `invalid event: ${describeIssues(parsed.error)}`));
    return this.enqueue([toRow(parsed.data)]);
  }

  appendMany(es: Event[]): Promise<AppendResult> {
    if (!Array.isArray(es)) return Promise.reject(new NextbestError('INVALID_EVENT', 'appendMany expects an array of events'));
    const rows: Row[] = [];
    for (let i = 0; i < es.length; i++) {
      const parsed = Event.safeParse(es[i]);
      if (!parsed.success) {
        return Promise.reject(
          new NextbestError('INVALID_EVENT', `invalid event at index ${i}: ${describeIssues(parsed.error)}; none of the ${es.length} events was written`),
        );
      }
      rows.push(toRow(parsed.data));
    }
    if (rows.length === 0) return Promise.resolve({ accepted: 0, duplicates: [] });
    return this.enqueue(rows);
  }

  async flush(): Promise<void> {
    this.schedule(true);
    await this.tail;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush();
      this.onClose();
    })();
    return this.closing;
  }

  private enqueue(rows: Row[]): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new NextbestError('STORE_UNAVAILABLE', 'the live event log is closed; events can no longer be appended'));
    const p = new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ rows, result: { accepted: 0, duplicates: [] }, resolve, reject });
    });
    this.queuedRows += rows.length;
    this.tail = p.then(noop, noop);
    this.schedule(false);
    return p;
  }

  private schedule(now: boolean): void {
    if (this.draining) return;
    if (now || this.queuedRows >= this.maxBatch) {
      this.cancelTimer?.();
      this.cancelTimer = null;
      void this.drain();
      return;
    }
    if (this.cancelTimer !== null) return;
    const fire = (): void => {
      this.cancelTimer = null;
      void this.drain();
    };
    const t = setTimeout(fire, this.maxDelayMs);
    this.cancelTimer = () => clearTimeout(t);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        await this.commit(this.takeBatch());
        await nextTurn();
      }
    } finally {
      this.draining = false;
    }
  }

  private takeBatch(): Waiter[] {
    let n = 0;
    let rows = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n].rows.length <= this.maxBatch)) {
      rows += this.queue[n].rows.length;
      n++;
    }
    this.queuedRows -= rows;
    return this.queue.splice(0, n);
  }

  private async commit(batch: Waiter[]): Promise<void> {
    let written: number;
    try {
      written = await this.write(batch);
    } catch (err) {
      this.stats.failedBatches++;
      const rows = batch.reduce((n, w) => n + w.rows.length, 0);
      const e = new NextbestError('STORE_UNAVAILABLE', `could not store ${rows} live event(s) in ${this.location}, none of them was written: ${errorMessage(err).split('\n')[0]}; retry later`);
      for (const w of batch) w.reject(e);
      return;
    }
    if (written > 0) this.stats.batches++;
    this.stats.committed += written;
    for (const w of batch) this.stats.duplicates += w.result.duplicates.length;
    for (const w of batch) w.resolve(w.result);
  }

  /** One INSERT of the batch's events, copies within the batch left out; fills each waiter's result. */
  private async write(batch: Waiter[]): Promise<number> {
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
