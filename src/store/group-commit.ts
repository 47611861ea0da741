// Group commit for a store's live event log, whatever the backend: appends queue as waiters, and the
// backend's `write` commits a batch of them at a time. While a commit is in flight new waiters queue
// for the next one; an idle queue lets the first waiter wait at most `maxDelayMs` for company, and a
// queue of `maxBatch` rows commits at once. A waiter settles when its batch's commit has returned:
// resolved with what `write` filled into its result, or rejected with `failure`'s error (the whole
// batch written or none of it).
import { NextbestError } from '../core/errors.js';
import type { AppendResult, LiveEventLogOptions, LiveEventLogStats } from './store.js';

export interface Waiter<Row> {
  rows: Row[];
  /** Filled in by the commit: what was written and which ids were already held. */
  result: AppendResult;
  resolve: (r: AppendResult) => void;
  reject: (e: Error) => void;
}

const DEFAULT_MAX_BATCH = 5000;
const DEFAULT_MAX_DELAY_MS = 2;

const noop = (): void => undefined;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class GroupCommit<Row> {
  readonly stats: LiveEventLogStats = { committed: 0, duplicates: 0, batches: 0, failedBatches: 0 };
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private queue: Waiter<Row>[] = [];
  private queuedRows = 0;
  private draining = false;
  private closed = false;
  private cancelTimer: (() => void) | null = null;
  /** Settles when the last queued waiter settles; batches commit in queue order. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    opts: LiveEventLogOptions,
    /** Commits the batch's new rows in one transaction, fills each waiter's result; returns how many rows it wrote. */
    private readonly write: (batch: Waiter<Row>[]) => Promise<number>,
    /** The error every waiter of a failed batch of `rows` rows is rejected with. */
    private readonly failure: (rows: number, err: unknown) => Error,
  ) {
    const maxBatch = opts.maxBatch ?? DEFAULT_MAX_BATCH;
    const maxDelayMs = opts.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new NextbestError('BAD_OPTION', `maxBatch must be a whole number of at least 1, got ${maxBatch}`);
    }
    if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0) {
      throw new NextbestError('BAD_OPTION', `maxDelayMs must be a number of milliseconds of at least 0, got ${maxDelayMs}`);
    }
    this.maxBatch = maxBatch;
    this.maxDelayMs = maxDelayMs;
  }

  /** Queues rows as one waiter (committed together); rejected once the queue is closed. */
  enqueue(rows: Row[]): Promise<AppendResult> {
    if (this.closed) {
      return Promise.reject(new NextbestError('STORE_UNAVAILABLE', 'the live event log is closed; events can no longer be appended'));
    }
    const p = new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ rows, result: { accepted: 0, duplicates: [] }, resolve, reject });
    });
    this.queuedRows += rows.length;
    this.tail = p.then(noop, noop);
    this.schedule(false);
    return p;
  }

  /** Commits everything queued without waiting for maxDelayMs; resolves when all of it has settled. */
  async flush(): Promise<void> {
    this.schedule(true);
    await this.tail;
  }

  /** Refuses new rows, then commits what is queued. */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  private schedule(now: boolean): void {
    if (this.draining) return; // the running drain loop takes the queue after its commit
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
    if (this.maxDelayMs === 0) {
      const t = setImmediate(fire);
      this.cancelTimer = () => clearImmediate(t);
    } else {
      const t = setTimeout(fire, this.maxDelayMs);
      this.cancelTimer = () => clearTimeout(t);
    }
  }

  /** Commits batches back to back until the queue is empty. Never rejects: failures go to the waiters. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        await this.commit(this.takeBatch());
        // Let the producers woken by this commit (and requests that arrived meanwhile) queue
        // their next events before the next batch is cut.
        await nextTurn();
      }
    } finally {
      this.draining = false;
    }
  }

  private takeBatch(): Waiter<Row>[] {
    let n = 0;
    let rows = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n].rows.length <= this.maxBatch)) {
      rows += this.queue[n].rows.length;
      n++;
    }
    this.queuedRows -= rows;
    return this.queue.splice(0, n);
  }

  private async commit(batch: Waiter<Row>[]): Promise<void> {
    let written: number;
    try {
      written = await this.write(batch);
    } catch (err) {
      this.stats.failedBatches++;
      const e = this.failure(batch.reduce((n, w) => n + w.rows.length, 0), err);
      for (const w of batch) w.reject(e);
      return;
    }
    if (written > 0) this.stats.batches++;
    this.stats.committed += written;
    for (const w of batch) this.stats.duplicates += w.result.duplicates.length;
    for (const w of batch) w.resolve(w.result);
  }
}
