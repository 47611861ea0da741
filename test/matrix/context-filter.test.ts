import { describe, expect, it } from 'vitest';
import { EventLogBuilder, filterContext } from '../../src/matrix/index.js';

describe('filterContext', () => {
  it('keeps only the chosen keys and shares everything else', () => {
    const b = new EventLogBuilder();
    b.add('C1', 'P1', 10, 'click', 1, { page: 'offers', tod: 'evening', duration: '79' });
    b.add('C2', 'P2', 20, 'display', 1, { duration: '220' });
    const log = b.build();
    const kept = filterContext(log, (key) => key !== 'duration');
    const names = (i: number): string[] =>
      Array.from(kept.contextIds.subarray(kept.contextPtr[i], kept.contextPtr[i + 1]), (c) => kept.contexts.id(c)).sort();
    expect(names(0)).toEqual(['page=offers', 'tod=evening']);
    expect(names(1)).toEqual([]);
    expect(kept.customer).toBe(log.customer);
    expect(kept.contexts).toBe(log.contexts);
  });
});
