// Size limits of a source row's fields: an id (customer, product, offer) holds at most 256 characters
// and any other field at most 4,096. A longer field rejects its row, so a runaway field (a 10 MB
// description) never reaches the store.

export const MAX_ID_CHARS = 256;
export const MAX_FIELD_CHARS = 4096;

const count = (n: number): string => n.toLocaleString('en-US');

/** The reject reason when an id (already trimmed) is longer than MAX_ID_CHARS, else null. */
export function longId(name: string, id: string): string | null {
  if (id.length <= MAX_ID_CHARS) return null;
  return `${name} is ${count(id.length)} characters long; the limit for an id is ${MAX_ID_CHARS}`;
}

/** The reject reason for the first field longer than MAX_FIELD_CHARS, else null; `name` says which field it is. */
export function longField(fields: readonly string[], name: (index: number) => string): string | null {
  const i = fields.findIndex((f) => f.length > MAX_FIELD_CHARS);
  return i < 0 ? null : `${name(i)} is ${count(fields[i].length)} characters long; the limit is ${count(MAX_FIELD_CHARS)}`;
}
