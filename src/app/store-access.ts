// How app functions reach the store: the CLI opens it for each piece of work and closes it after (so
// commands that only read can share it); a server passes the store it holds open.
import type { Store, StoreMode } from '../store/store.js';

export interface StoreAccess {
  /** The store as the user named it, for messages. */
  readonly name: string;
  /** Whether there is a store to read (scoring from a saved model can go without one). */
  exists(): boolean;
  /** Runs work on the open store; 'read' (the default) or 'write' (ingest). */
  use<T>(work: (store: Store) => Promise<T>, mode?: StoreMode): Promise<T>;
}
