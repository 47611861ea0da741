// Errors a user can cause: each has a stable code and a one-line message that says what to do.
// The CLI prints `message` alone (no stack); the HTTP layer maps `status`.

export type ErrorCode =
  | 'FILE_NOT_FOUND'
  | 'UNKNOWN_FORMAT'
  | 'WRONG_FORMAT'
  | 'WRONG_COLUMNS'
  | 'BAD_ARGUMENT'
  | 'BAD_MAPPING'
  | 'STORE_LOCKED'
  | 'STORE_ERROR'
  | 'NOT_FOUND';

export class NextbestError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, status = 400) {
    super(message);
    this.name = 'NextbestError';
    this.code = code;
    this.status = status;
  }
}

export const isNextbestError = (e: unknown): e is NextbestError => e instanceof NextbestError;

/** A short message for any thrown value, for places that must report without a stack. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
