// How a caller watches and stops the long work of an app function: cancellation between iterations,
// and hooks around the parts that cannot be interrupted (the CLI's Ctrl-C, a server's shutdown).

export interface WorkHooks {
  /** Checked between iterations of long fits. */
  signal?: AbortSignal;
  /** Runs synchronous work that has no cancellation checks (default: just runs it). */
  blocking?: <T>(work: () => T) => T;
  /** Awaited after the work and before anything is written: the last moment to stop with nothing saved. */
  beforeWrite?: () => Promise<void>;
}

export const runBlocking = <T>(hooks: WorkHooks, work: () => T): T => (hooks.blocking ? hooks.blocking(work) : work());
