// Catalogue coverage: the share of products that at least one customer is recommended. A model that
// shows everyone the same few products scores low however accurate it is.
import { NextbestError } from '../../core/errors.js';
import { itemsOf, type RankedList } from './lists.js';

/**
 * Distinct products among the first k entries (all entries when k is omitted) of all lists, divided by
 * nItems. Indices outside 0..nItems-1 are ignored.
 */
export function catalogueCoverage(recs: readonly RankedList[], nItems: number, k = Infinity): number {
  if (!(Number.isInteger(nItems) && nItems >= 1))
    throw new NextbestError('INTERNAL', `catalogueCoverage needs the catalogue size (>= 1), got ${nItems}`);
  const seen = new Uint8Array(nItems);
  let distinct = 0;
  for (const list of recs) {
    const items = itemsOf(list);
    const len = Math.min(items.length, k);
    for (let p = 0; p < len; p++) {
      const i = items[p];
      if (i >= 0 && i < nItems && seen[i] === 0) {
        seen[i] = 1;
        distinct++;
      }
    }
  }
  return distinct / nItems;
}
