// Field parsers shared by the loaders. Each returns null for a value it cannot read, so the loader
// decides whether that rejects the row (a required field) or means "missing" (an attribute).
// `NaN` is not a missing value but a number out of range, like `Infinity` and `1e400` (isNonFinite).

const MISSING = new Set(['', 'NA', 'N/A', 'null', 'NULL', 'unknown']);

export const isMissing = (s: string | undefined): boolean => s === undefined || MISSING.has(s.trim());

export function parseNumber(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

const NOT_A_NUMBER = /^[+-]?(?:nan|inf|infinity)$/i;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** Whether the text names a number no double holds: NaN, Infinity, or one out of range (1e400). */
export function isNonFinite(s: string): boolean {
  const t = s.trim();
  return NOT_A_NUMBER.test(t) || (DECIMAL.test(t) && !Number.isFinite(Number(t)));
}

/** A number if the text is one, a trimmed string otherwise, null when missing: typed attributes. */
export function parseAttribute(s: string | undefined): number | string | null {
  if (isMissing(s)) return null;
  const n = parseNumber(s);
  return n !== null ? n : (s as string).trim();
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Timestamps as UTC dates: ISO dates and date-times (`2016-05-31`, `2016-05-31 14:02:11`, with an
 * optional zone), compact `20160531`, or epoch seconds (9-10 digits) and milliseconds (12-13 digits).
 */
export function parseTimestamp(s: string | undefined): Date | null {
  if (s === undefined) return null;
  const t = s.trim();
  let m = ISO.exec(t);
  if (m) {
    if (m[8]) {
      const d = new Date(t.replace(' ', 'T'));
      return Number.isNaN(d.getTime()) ? null : d;
    }
    return utc(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7] ? +`0.${m[7]}` * 1000 : 0);
  }
  m = COMPACT.exec(t);
  if (m) return utc(+m[1], +m[2], +m[3], 0, 0, 0, 0);
  if (/^\d{9,10}$/.test(t)) return new Date(+t * 1000);
  if (/^\d{12,13}$/.test(t)) return new Date(+t);
  return null;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  // Date.UTC reads years 0-99 as 1900-1999: those are built in 2000 (a leap year) and moved.
  const date = new Date(Date.UTC(y < 100 ? 2000 : y, mo - 1, d, h, mi, s, ms));
  if (y < 100) date.setUTCFullYear(y);
  return date.getUTCDate() === d ? date : null; // rejects 2016-02-31
}
