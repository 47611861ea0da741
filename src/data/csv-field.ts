// CSV quoting shared by every writer (rejects, exports, the generator).

const NEEDS_QUOTES = /[",\n\r]/;

/** A CSV field, quoted (with doubled quotes) only when it holds a comma, quote or line break. */
export const csvField = (value: string): string => (NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
