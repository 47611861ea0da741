// Date arithmetic on integer day and month numbers, with prebuilt date strings, because building
// Date objects for each of millions of rows would dominate the run time.

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) of a calendar date; month is 1-12. */
export const epochDay = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / DAY_MS;

/** A month as one integer (year * 12 + month - 1), so month differences are plain subtraction. */
export const monthNumber = (year: number, month: number): number => year * 12 + month - 1;

/** Epoch day of the given day of a month number. */
export const dayOfMonthNumber = (month: number, day = 1): number => epochDay(Math.floor(month / 12), (month % 12) + 1, day);

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export const isoDate = (day: number): string => {
  const d = new Date(day * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
};

/** `YYYY-MM-DD` strings and month numbers for every day in [first, last]. */
export class DayTable {
  readonly first: number;
  readonly strings: string[];
  /** Month number (year * 12 + month - 1) of each day. */
  readonly month: Int32Array;

  constructor(first: number, last: number) {
    this.first = first;
    const n = last - first + 1;
    this.strings = new Array<string>(n);
    this.month = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const d = new Date((first + i) * DAY_MS);
      this.strings[i] = isoDate(first + i);
      this.month[i] = monthNumber(d.getUTCFullYear(), d.getUTCMonth() + 1);
    }
  }
}

/** `HH:MM:SS` for each second of the day. */
export const hmsStrings = (): string[] => {
  const two = Array.from({ length: 60 }, (_, i) => pad(i, 2));
  return Array.from({ length: 86_400 }, (_, s) => `${two[(s / 3600) | 0]}:${two[((s / 60) | 0) % 60]}:${two[s % 60]}`);
};
