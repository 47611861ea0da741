// The one error table: every error code nextbest raises, with the HTTP status the API answers, the exit
// code the CLI ends with and what it means (for the README and the API's OpenAPI document). A code is a
// distinct way for a client to react, not a message: the message says what exactly is wrong.

export interface ErrorSpec {
  /** HTTP status of the API's `{code, message}` answer. */
  readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503;
  /** CLI exit code: 2 a user mistake, 1 an internal fault, 130 interrupted. */
  readonly exit: 1 | 2 | 130;
  /** What the code means and what a client does about it, in one sentence. */
  readonly summary: string;
  /** Not raised as a NextbestError yet: kept for the part of nextbest named here (the HTTP server). */
  readonly reserved?: 'serve';
}

const TABLE = {
  BAD_OPTION: {
    status: 400,
    exit: 2,
    summary: 'A command-line option, environment variable or request field has a value nextbest cannot use; correct it.',
  },
  BAD_PARAMETER: {
    status: 400,
    exit: 2,
    summary: 'A model parameter (--param) is unknown, malformed or out of range, or does not suit the data; correct it.',
  },
  UNKNOWN_FORMAT: {
    status: 400,
    exit: 2,
    summary: 'The format of an input cannot be told or is not one nextbest reads; name it with --format.',
  },
  WRONG_FORMAT: {
    status: 400,
    exit: 2,
    summary: 'A data, split or libFM file is not in the format it should be; fix the file or choose another format.',
  },
  WRONG_COLUMNS: {
    status: 400,
    exit: 2,
    summary: 'A CSV file lacks columns its format needs, or a column list names them wrongly; fix the header or the list.',
  },
  BAD_MAPPING: {
    status: 400,
    exit: 2,
    summary: 'A column-mapping file is not a valid mapping; fix the mapping file.',
  },
  BAD_RULES: {
    status: 400,
    exit: 2,
    summary: 'The business-rules file (--rules) is not valid JSON or a field breaks its schema (the message names it); fix the rules file.',
  },
  BAD_STORE: {
    status: 400,
    exit: 2,
    summary: 'The --store location is not a usable nextbest store (not a .duckdb file or postgres:// URL, not DuckDB, a folder, another database, a login or right PostgreSQL refuses); pass another or fix its user and password.',
  },
  INVALID_EVENT: {
    status: 400,
    exit: 2,
    summary: 'An event is malformed (missing field, unknown type, a value that is not a number); nothing of its batch was stored.',
  },
  UNSUITABLE_DATA: {
    status: 400,
    exit: 2,
    summary: 'The data cannot support what was asked (a split that leaks, too few customers with an attribute); choose another split or load other data.',
  },
  TOO_LARGE: {
    status: 400,
    exit: 2,
    summary: 'The data is too large for the chosen model or for memory; choose another model or use less data.',
  },
  UNAUTHORIZED: {
    status: 401,
    exit: 2,
    summary: 'The request carries no API key or an unknown one; send a valid key.',
  },
  FORBIDDEN: {
    status: 403,
    exit: 2,
    summary: "The API key's scope does not allow this request (events, offers, models and training need admin).",
  },
  FILE_NOT_FOUND: {
    status: 404,
    exit: 2,
    summary: 'An input file or folder does not exist; check the path.',
  },
  STORE_MISSING: {
    status: 404,
    exit: 2,
    summary: 'A command that reads a store was given one that does not exist; create it with nextbest ingest or start.',
  },
  MODEL_NOT_FOUND: {
    status: 404,
    exit: 2,
    summary: 'No trained model by that name or path; train one or name another.',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    exit: 2,
    summary: 'No API route has that method and path; see the server\'s /docs page.',
  },
  CUSTOMER_NOT_FOUND: {
    status: 404,
    exit: 2,
    summary: 'The customer is not in the store (a profile); recommendations never raise it, an unknown customer gets a cold-start list.',
  },
  JOB_NOT_FOUND: {
    status: 404,
    exit: 2,
    summary: 'No training job has that id (the server keeps the last 100 finished ones); start one with POST /v1/models/train.',
  },
  PRODUCT_NOT_FOUND: {
    status: 404,
    exit: 2,
    summary: 'The product is not in the model or the store; check the id.',
  },
  OFFER_NOT_FOUND: {
    status: 404,
    exit: 2,
    summary: 'No offer has that id in the store; list the offers (GET /v1/offers) or check the id.',
  },
  NO_EVENTS: {
    status: 409,
    exit: 2,
    summary: 'The store, or the part of a split asked for, holds no events of the kind needed; ingest events or choose another split.',
  },
  STORE_LOCKED: {
    status: 409,
    exit: 2,
    summary: 'Another process holds the store; stop it, use the API of the server holding it, or pass another --store.',
  },
  STORE_READ_ONLY: {
    status: 409,
    exit: 2,
    summary: 'The store cannot be written (read-only file or folder); make it writable or pass another --store.',
  },
  OFFER_CONFLICT: {
    status: 409,
    exit: 2,
    summary: 'An offer with that id exists already (create), or the offer is retired and cannot change (update); use another id or create a new offer.',
  },
  CORRUPT_MODEL: {
    status: 409,
    exit: 2,
    summary: 'A model or pipeline file fails its checksum, is truncated or is from another format version; train or export it again.',
  },
  BODY_TOO_LARGE: {
    status: 413,
    exit: 2,
    summary: 'The request body is larger than the server accepts; send smaller batches.',
  },
  RATE_LIMITED: {
    status: 429,
    exit: 2,
    summary: "The API key has used up its request rate; retry after the time the answer's Retry-After gives.",
  },
  INTERNAL: {
    status: 500,
    exit: 1,
    summary: 'A fault inside nextbest (an internal consistency check failed); report it with the message.',
  },
  KERNELS_MISSING: {
    status: 500,
    exit: 1,
    summary: 'The WebAssembly kernels are not built or do not load; run npm run build.',
  },
  STORE_UNAVAILABLE: {
    status: 503,
    exit: 1,
    summary: 'The store failed to write, is closed (a shutdown) or does not answer (PostgreSQL unreachable); nothing of the request was stored, retry later.',
  },
  INTERRUPTED: {
    status: 503,
    exit: 130,
    summary: 'The work stopped before anything was saved: Ctrl-C in the CLI (src/cli/interrupt.ts), a shutdown of the server; run it again.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof TABLE;

export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorSpec>> = TABLE;

export const ERROR_CODES = Object.keys(ERROR_TABLE) as ErrorCode[];
