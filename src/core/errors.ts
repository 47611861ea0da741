// Errors a user can cause: each has a stable code and a one-line message that says what to do. The
// code's HTTP status and CLI exit code come from the one error table (error-table.ts); the CLI prints
// `message` alone (no stack) and exits with `exit`, the HTTP layer answers `{code, message}` with `status`.
import { ERROR_TABLE, type ErrorCode } from './error-table.js';

export { ERROR_CODES, ERROR_TABLE, type ErrorCode, type ErrorSpec } from './error-table.js';

export class NextbestError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly exit: number;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'NextbestError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.exit = ERROR_TABLE[code].exit;
  }
}

export const isNextbestError = (e: unknown): e is NextbestError => e instanceof NextbestError;

/** What a NextbestError raised in another thread (a worker) sends back: its code and message. */
export interface SentError {
  code: ErrorCode;
  message: string;
}

export const sendable = (e: NextbestError): SentError => ({ code: e.code, message: e.message });

/**
 * The error a worker raised, raised again in this thread with its code. Its code was a literal at the
 * worker's throw site; this is the one place a code is not (the throw-site scan in test/core skips this file).
 */
export const raisedInWorker = (e: SentError): NextbestError => new NextbestError(e.code, e.message);

/** A short message for any thrown value, for places that must report without a stack. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
