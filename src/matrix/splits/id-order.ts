// Numeric-aware, locale-free id order ("2" < "10", "c2" < "c10"), so ids read from files get deterministic indices.

const isDigit = (ch: number): boolean => ch >= 48 && ch <= 57;

/**
 * Compares runs of digits by value and everything else by UTF-16 code unit; ids equal under that
 * rule ("01" and "1") fall back to plain code-unit order, so the order is total.
 */
export function compareIds(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let si = i;
      let sj = j;
      while (si < a.length && a.charCodeAt(si) === 48) si++;
      while (sj < b.length && b.charCodeAt(sj) === 48) sj++;
      let ei = si;
      let ej = sj;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      if (ei - si !== ej - sj) return ei - si - (ej - sj);
      for (let k = 0; k < ei - si; k++) {
        const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
        if (d !== 0) return d;
      }
      i = ei;
      j = ej;
    } else {
      if (ca !== cb) return ca - cb;
      i++;
      j++;
    }
  }
  if (i < a.length) return 1;
  if (j < b.length) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The ids sorted by compareIds (a new array). */
export const sortIds = (ids: Iterable<string>): string[] => Array.from(ids).sort(compareIds);
