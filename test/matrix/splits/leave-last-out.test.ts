import { describe, expect, it } from 'vitest';
import { leaveLastOut } from '../../../src/matrix/splits/index.js';
import { eventsOf, logOf } from './fixtures.js';

describe('leaveLastOut', () => {
  const log = logOf([
    ['a', 'p1', 10],
    ['a', 'p3', 30],
    ['a', 'p2', 20],
    ['b', 'q1', 5],
    ['c', 'r2', 9], // c's two events tie at t=9: the later row is "last"
    ['c', 'r1', 9],
    ['c', 'r0', 1],
  ]);

  it("sends each customer's latest event to test, one-event customers staying in train", () => {
    const s = leaveLastOut(log);
    expect(eventsOf(s.test)).toEqual(['a/p3@30', 'c/r1@9']);
    expect(eventsOf(s.train)).toEqual(['a/p1@10', 'a/p2@20', 'b/q1@5', 'c/r2@9', 'c/r0@1']);
    expect(s.name).toBe('leave-last-out:1');
    expect(s.train.products).toBe(log.products);
  });

  it('holds out the latest n, keeping customers with n events or fewer in train', () => {
    const s = leaveLastOut(log, { n: 2 });
    expect(eventsOf(s.test)).toEqual(['a/p3@30', 'a/p2@20', 'c/r2@9', 'c/r1@9']);
    expect(eventsOf(s.train)).toEqual(['a/p1@10', 'b/q1@5', 'c/r0@1']);
    expect(leaveLastOut(log, { n: 3 }).test.length).toBe(0);
  });

  it('holds out the latest new pair; a repeat of an older pair stays in train with it', () => {
    const rep = logOf([
      ['a', 'x', 1],
      ['a', 'y', 2],
      ['a', 'x', 3],
    ]);
    const s = leaveLastOut(rep);
    expect(eventsOf(s.test)).toEqual(['a/y@2']);
    expect(eventsOf(s.train)).toEqual(['a/x@1', 'a/x@3']);
  });

  it('rejects n below 1 or fractional', () => {
    expect(() => leaveLastOut(log, { n: 0 })).toThrow(/n must be an integer of at least 1/);
    expect(() => leaveLastOut(log, { n: 1.5 })).toThrow(/n must be an integer of at least 1/);
  });
});
