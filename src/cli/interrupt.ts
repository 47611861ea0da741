// Ctrl-C for every command: one line on stderr and exit code 130 (128 + SIGINT), at once. Nothing is
// left half-written: models and reports are written whole in one synchronous step, ingest merges in one
// transaction, so an interrupt lands before the write (nothing saved) or after it.
// A handler runs only when the event loop gets a turn: long fits are given `interruptSignal`, whose
// checks between iterations yield to the loop, so the interrupt is heard while they run.
import { ERROR_TABLE } from '../core/errors.js';
import { stopProgress } from './progress.js';

const controller = new AbortController();

/** Passed to fits (FitOptions.signal) so they yield between iterations; aborted by Ctrl-C. */
export const interruptSignal: AbortSignal = controller.signal;

function onInterrupt(): void {
  controller.abort();
  stopProgress();
  process.stderr.write('nextbest: interrupted; nothing was saved\n');
  process.exit(ERROR_TABLE.INTERRUPTED.exit);
}

/** Installs the handler; called once, before any command runs. */
export function handleInterrupts(): void {
  process.on('SIGINT', onInterrupt);
}

const nextCheck = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Handles a Ctrl-C pressed during synchronous work now (the process ends), before anything is saved:
 * two turns of setImmediate, so the loop polls for the signal at least once whatever phase it is in.
 */
export async function heedInterrupt(): Promise<void> {
  await nextCheck();
  await nextCheck();
}

/**
 * Runs synchronous work that lasts (a fit with no iteration checks) with Ctrl-C's default action:
 * the process ends at once (exit 130 by signal) instead of after the work, and the line is not printed.
 */
export function interruptibleAtOnce<T>(work: () => T): T {
  process.off('SIGINT', onInterrupt);
  try {
    return work();
  } finally {
    process.on('SIGINT', onInterrupt);
  }
}

/**
 * For a command that runs until stopped (serve): Ctrl-C or SIGTERM runs `stop` (which finishes what was
 * acknowledged) and ends the process with code 0; a second signal ends it at once.
 */
export function stopOnSignals(stop: () => Promise<void>): void {
  process.off('SIGINT', onInterrupt);
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) process.exit(ERROR_TABLE.INTERRUPTED.exit);
    stopping = true;
    process.stderr.write('nextbest: stopping the server\n');
    stop().then(
      () => process.exit(0),
      () => process.exit(ERROR_TABLE.INTERNAL.exit),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
