// What a source row's fields may hold. Size: an id (customer, product, offer) holds at most 256
// characters and any other field at most 4,096, so a runaway field (a 10 MB description) never reaches
// the store. Content: no NUL character, which PostgreSQL's text cannot hold (22021). A field that breaks
// either rejects its row.

export const MAX_ID_CHARS = 256;
export const MAX_FIELD_CHARS = 4096;

/** Why a value holding NUL is refused, in a loader's reject reason and the model's checks (one rule for both stores). */
export const NUL_REASON = 'holds a NUL character, which PostgreSQL cannot store';

export const hasNul = (s: string): boolean => s.includes('\u0000');

const count = (n: number): string => n.toLocaleString('en-US');

/** The reject reason when an id (already trimmed) is longer than MAX_ID_CHARS, else null. */
export function longId(name: string, id: string): string | null {
  if (id.length <= MAX_ID_CHARS) return null;
  return `${name} is ${count(id.length)} characters long; the limit for an id is ${MAX_ID_CHARS}`;
}

/** The reject reason for the first field longer than MAX_FIELD_CHARS, else for the first holding NUL, else null; `name` says which field it is. */
export function badField(fields: readonly string[], name: (index: number) => string): string | null {
  const long = fields.findIndex((f) => f.length > MAX_FIELD_CHARS);
  if (long >= 0) return `${name(long)} is ${count(fields[long].length)} characters long; the limit is ${count(MAX_FIELD_CHARS)}`;
  const nul = fields.findIndex(hasNul);
  return nul < 0 ? null : `${name(nul)} ${NUL_REASON}`;
}
