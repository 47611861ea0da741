// Parsers for numeric options that fail with one clear line.
import { InvalidArgumentError } from 'commander';
import { EVENT_TYPES, type EventType } from '../data/model.js';

export const positiveInt =
  (name: string, min = 1) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number >= ${min}`);
    return n;
  };

/** A weight in [0, 1], such as --ev-weight. */
export const unitInterval =
  (name: string) =>
  (value: string): number => {
    const n = value.trim() === '' ? Number.NaN : Number(value);
    if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`${name} must be a number from 0 to 1`);
    return n;
  };

/** A date (YYYY-MM-DD, midnight UTC) or an ISO 8601 time, such as --at. */
export const dateTime =
  (name: string) =>
  (value: string): Date => {
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 time`);
    return d;
  };

/** "display=0,click=1,checkout=3": interaction weights by event type, each >= 0. */
export const eventWeights =
  (name: string) =>
  (value: string): Partial<Record<EventType, number>> => {
    const out: Partial<Record<EventType, number>> = {};
    for (const part of value.split(',')) {
      const [type, w] = part.split('=').map((s) => s.trim());
      if (!(EVENT_TYPES as readonly string[]).includes(type) || w === undefined || w === '' || !(Number(w) >= 0))
        throw new InvalidArgumentError(`${name} takes type=weight pairs such as display=0,click=1 with types ${EVENT_TYPES.join(', ')} and weights >= 0`);
      out[type as EventType] = Number(w);
    }
    return out;
  };

/** "tod=evening,page=offers": a request context, key=value pairs. */
export const contextPairs =
  (name: string) =>
  (value: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const part of value.split(',')) {
      const at = part.indexOf('=');
      const key = part.slice(0, at).trim();
      const v = part.slice(at + 1).trim();
      if (at < 0 || !key || !v || key in out) throw new InvalidArgumentError(`${name} takes key=value pairs such as tod=evening,page=offers, each key once`);
      out[key] = v;
    }
    return out;
  };
