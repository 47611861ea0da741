import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/data/model.js';
import { EventLogBuilder, IdMap, eventTypeCode, sortByTime, subset } from '../../src/matrix/index.js';

const contextsOf = (log: ReturnType<EventLogBuilder['build']>, i: number): string[] =>
  Array.from(log.contextIds.subarray(log.contextPtr[i], log.contextPtr[i + 1])).map((c) => log.contexts.id(c));

describe('EventLogBuilder', () => {
  it('stores columns and keeps cold-start customers and products', () => {
    const b = new EventLogBuilder();
    b.addCustomer('cold');
    b.add('c1', 'p1', 100, 'click', 1, { channel: 'web' });
    b.add('c2', 'p2', 50, 'acquire', 1);
    b.addProduct('unsold');
    b.add('c1', 'p2', 200, 'rating', 4, { channel: 'app', hour: '9' });
    const log = b.build();
    expect(log.length).toBe(3);
    expect(log.customers.ids()).toEqual(['cold', 'c1', 'c2']);
    expect(log.products.ids()).toEqual(['p1', 'p2', 'unsold']);
    expect(Array.from(log.customer)).toEqual([1, 2, 1]);
    expect(Array.from(log.product)).toEqual([0, 1, 1]);
    expect(Array.from(log.time)).toEqual([100, 50, 200]);
    expect(Array.from(log.type).map((t) => EVENT_TYPES[t])).toEqual(['click', 'acquire', 'rating']);
    expect(Array.from(log.value)).toEqual([1, 1, 4]);
    expect(Array.from(log.contextPtr)).toEqual([0, 1, 1, 3]);
    expect(contextsOf(log, 0)).toEqual(['channel=web']);
    expect(contextsOf(log, 1)).toEqual([]);
    expect(contextsOf(log, 2)).toEqual(['channel=app', 'hour=9']);
    expect(log.contexts.ids()).toEqual(['channel=web', 'channel=app', 'hour=9']);
  });

  it('grows past its initial capacity and trims on build', () => {
    const b = new EventLogBuilder();
    for (let i = 0; i < 5000; i++) b.add(`c${i % 7}`, `p${i % 11}`, i, 'click', i, { k: String(i % 3) });
    const log = b.build();
    expect(log.length).toBe(5000);
    expect(log.customer.length).toBe(5000);
    expect(log.contextPtr.length).toBe(5001);
    expect(log.contextIds.length).toBe(5000);
    expect(log.time[4999]).toBe(4999);
    expect(log.customers.id(log.customer[4999])).toBe(`c${4999 % 7}`);
    expect(contextsOf(log, 4999)).toEqual([`k=${4999 % 3}`]);
  });

  it('uses given id maps so indices match another log', () => {
    const customers = IdMap.from(['a', 'b']);
    const products = IdMap.from(['x']);
    const b = new EventLogBuilder({ customers, products });
    b.add('b', 'x', 1, 'click', 1);
    const log = b.build();
    expect(log.customers).toBe(customers);
    expect(log.customer[0]).toBe(1);
    expect(log.product[0]).toBe(0);
  });

  it('rejects bad events', () => {
    const b = new EventLogBuilder();
    expect(() => b.add('c', 'p', NaN, 'click', 1)).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    expect(() => b.add('c', 'p', 1, 'click', Infinity)).toThrow(/value/);
    expect(() => b.add('c', 'p', 1, 'bogus' as never, 1)).toThrow(/unknown event type/);
    expect(b.length).toBe(0);
  });

  it('eventTypeCode indexes EVENT_TYPES', () => {
    EVENT_TYPES.forEach((t, i) => expect(eventTypeCode(t)).toBe(i));
  });
});

describe('subset and sortByTime', () => {
  const build = () => {
    const b = new EventLogBuilder();
    b.addCustomer('cold');
    b.add('c1', 'p1', 30, 'click', 1, { ch: 'web' });
    b.add('c2', 'p2', 10, 'acquire', 2);
    b.add('c1', 'p2', 20, 'rating', 5, { ch: 'app', h: '1' });
    b.add('c2', 'p1', 10, 'display', 0, { ch: 'web' });
    return b.build();
  };

  it('subset keeps the same id maps and gathers every column', () => {
    const log = build();
    const part = subset(log, new Int32Array([2, 0]));
    expect(part.customers).toBe(log.customers);
    expect(part.products).toBe(log.products);
    expect(part.contexts).toBe(log.contexts);
    expect(part.length).toBe(2);
    expect(Array.from(part.customer)).toEqual([1, 1]);
    expect(Array.from(part.product)).toEqual([1, 0]);
    expect(Array.from(part.time)).toEqual([20, 30]);
    expect(Array.from(part.value)).toEqual([5, 1]);
    expect(Array.from(part.type).map((t) => EVENT_TYPES[t])).toEqual(['rating', 'click']);
    expect(contextsOf(part, 0)).toEqual(['ch=app', 'h=1']);
    expect(contextsOf(part, 1)).toEqual(['ch=web']);
    expect(subset(log, new Int32Array(0)).contextPtr).toEqual(new Int32Array([0]));
    expect(() => subset(log, new Int32Array([4]))).toThrow(/outside/);
  });

  it('sortByTime is a stable time order', () => {
    const log = build();
    expect(Array.from(sortByTime(log))).toEqual([1, 3, 2, 0]);
    const sorted = subset(log, sortByTime(log));
    expect(Array.from(sorted.time)).toEqual([10, 10, 20, 30]);
  });
});
