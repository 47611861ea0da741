// A request rate such as "100/s" or "6000/min": how many requests a client may make per period.
import { NextbestError } from '../core/errors.js';

export interface Rate {
  requests: number;
  /** The period in seconds (1 or 60). */
  seconds: number;
}

const PERIODS: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60 };

/** "100/s", "6000/min" (also /second, /minute); `where` names the option or field in the error. */
export function parseRate(text: string, where: string): Rate {
  const m = /^\s*(\d+)\s*\/\s*([a-z]+)\s*$/i.exec(text);
  const seconds = m ? PERIODS[m[2].toLowerCase()] : undefined;
  const requests = m ? Number(m[1]) : 0;
  if (!m || seconds === undefined || !(requests >= 1)) throw new NextbestError('BAD_OPTION', `${where} is "${text}", not a rate; write requests per second or minute, e.g. 100/s or 6000/min`);
  return { requests, seconds };
}
