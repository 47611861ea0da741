// Model activation across the replicas of a shared store (PostgreSQL): activating a model records it in
// the store (Store.setActiveModel, by the activate route and training jobs), and every server polls that
// record every `pollMs` (default 2 s) and activates a newer record's model itself. So a model activated
// on one replica serves on all of them within pollMs plus the time a model takes to load. A record whose
// model does not load here (its file is not in this replica's models folder) is tried again at the next
// poll, and the current model keeps serving meanwhile; a store that does not answer is polled again.
import { errorMessage } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { ActiveModel } from './active-model.js';

export const DEFAULT_MODEL_POLL_MS = 2000;

export class SharedModel {
  /** The activation time of the last record this server applied (or found serving at start). */
  private seen = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** The last failure reported, so a record that keeps failing is reported once. */
  private reported = '';

  constructor(
    private readonly store: Store,
    private readonly models: ActiveModel,
    private readonly warn: (message: string) => void,
  ) {}

  /** The recorded model's name, for a server that starts without --model (null when none is recorded). */
  async recorded(): Promise<string | null> {
    const r = await this.store.activeModel();
    if (r) this.seen = r.activatedAt.getTime();
    return r?.model ?? null;
  }

  start(pollMs: number): void {
    this.timer = setInterval(() => {
      this.polling ??= this.poll().finally(() => (this.polling = null));
    }, pollMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
  }

  private async poll(): Promise<void> {
    try {
      const r = await this.store.activeModel();
      if (!r || r.activatedAt.getTime() <= this.seen) return;
      if (r.model !== this.models.current?.name) await this.models.activate(r.model);
      this.seen = r.activatedAt.getTime();
      this.reported = '';
    } catch (e) {
      const message = `could not follow the store's active model: ${errorMessage(e).split('\n')[0]}`;
      if (message !== this.reported) this.warn(message);
      this.reported = message;
    }
  }
}
