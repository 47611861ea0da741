// Typed attributes from a row's fields: numbers stay numbers, NA / unknown / blank are missing (null).
// A number no double holds (1e400, NaN, Infinity) rejects the row instead of becoming text.
import type { Attributes } from './model.js';
import { isNonFinite, parseAttribute } from './parse.js';

/** The attributes named by `columns` (attribute name, field index), or the reject reason. */
export function readAttributes(fields: readonly string[], columns: readonly (readonly [string, number])[]): Attributes | string {
  const attributes: Attributes = {};
  for (const [name, i] of columns) {
    if (isNonFinite(fields[i])) return `${name} ${JSON.stringify(fields[i].trim())} is not a finite number`;
    attributes[name] = parseAttribute(fields[i]);
  }
  return attributes;
}
