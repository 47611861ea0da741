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

/**
 * The error another thread threw (a training worker), raised again in this one with the code and message
 * it carried; its code's literal is at the throw site in that thread's code.
 */
export const relayedError = (e: { code: ErrorCode; message: string }): NextbestError => new NextbestError(e.code, e.message);

export const isNextbestError = (e: unknown): e is NextbestError => e instanceof NextbestError;

/** A short message for any thrown value, for places that must report without a stack. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
