import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../../src/core/errors.js';
import { EventLogBuilder, subset } from '../../../src/matrix/index.js';
import { assertNoLeakage } from '../../../src/matrix/splits/index.js';
import { logOf } from './fixtures.js';

describe('assertNoLeakage', () => {
  const log = logOf([
    ['a', 'x', 1],
    ['a', 'y', 2],
    ['b', 'x', 3],
    ['b', 'y', 4],
    ['a', 'x', 5], // repeat of a/x
  ]);
  const cut = (train: number[], test: number[]) => ({
    train: subset(log, Int32Array.from(train)),
    test: subset(log, Int32Array.from(test)),
    name: 'hand-made',
  });

  it('passes a split with disjoint pairs, even when customers and products are shared', () => {
    expect(() => assertNoLeakage(cut([0, 3, 4], [1, 2]))).not.toThrow();
    expect(() => assertNoLeakage(cut([0, 3, 4], [1, 2]), { what: 'pairs' })).not.toThrow();
  });

  it('throws on a (customer, product) pair in both train and test', () => {
    const split = cut([0, 1], [2, 4]);
    expect(() => assertNoLeakage(split)).toThrow(NextbestError);
    expect(() => assertNoLeakage(split)).toThrow(
      'split "hand-made" leaks: 1 test event(s) repeat a (customer, product) pair from train (e.g. customer "a", product "x")',
    );
    try {
      assertNoLeakage(split);
    } catch (e) {
      expect((e as NextbestError).code).toBe('UNSUITABLE_DATA');
    }
  });

  it('counts every leaking test event', () => {
    expect(() => assertNoLeakage(cut([0, 1, 2, 3], [3, 4, 1]))).toThrow(/leaks: 3 test event\(s\)/);
  });

  it('with what: customers, throws when a customer is on both sides', () => {
    expect(() => assertNoLeakage(cut([0, 1, 4], [2, 3]), { what: 'customers' })).not.toThrow();
    expect(() => assertNoLeakage(cut([0, 1, 2], [3, 4]), { what: 'customers' })).toThrow(
      /leaks: 2 customer\(s\) have events in both train and test \(e\.g\. "b"\)/,
    );
  });

  it('throws when train and test do not share id maps', () => {
    const other = new EventLogBuilder();
    other.add('a', 'z', 1, 'click', 1);
    expect(() => assertNoLeakage({ train: log, test: other.build() })).toThrow(/do not share id maps/);
  });

  it('rejects an unknown check', () => {
    expect(() => assertNoLeakage(cut([0], [1]), { what: 'items' as 'pairs' })).toThrow(/must be 'pairs' or 'customers'/);
  });
});
