import { describe, expect, it } from 'vitest';
import { leaveLastOut, randomSplit, validationSplit } from '../../../src/matrix/splits/index.js';
import { countByCustomer, eventsOf, gridLog } from './fixtures.js';

describe('validationSplit', () => {
  const log = gridLog(5, (c) => 4 + 4 * c);
  const outer = randomSplit(log, { ratio: 0.75, seed: 1 });

  it('carves validation out of train only, random per customer by default', () => {
    const v = validationSplit(outer.train);
    expect(v.name).toBe('validation(random:0.75:42)');
    expect(v.train.length + v.test.length).toBe(outer.train.length);
    const trainEvents = new Set(eventsOf(outer.train));
    for (const e of [...eventsOf(v.train), ...eventsOf(v.test)]) expect(trainEvents.has(e)).toBe(true);
    const outerTest = new Set(eventsOf(outer.test));
    for (const e of eventsOf(v.test)) expect(outerTest.has(e)).toBe(false);
    const inner = countByCustomer(v.train);
    for (const [id, n] of countByCustomer(outer.train)) expect(inner.get(id)).toBe(Math.ceil(0.75 * n));
    expect(v.train.customers).toBe(log.customers);
  });

  it('is reproducible and follows the ratio and seed given', () => {
    const a = validationSplit(outer.train, { ratio: 0.5, seed: 3 });
    expect(eventsOf(a.test)).toEqual(eventsOf(validationSplit(outer.train, { ratio: 0.5, seed: 3 }).test));
    expect(a.name).toBe('validation(random:0.5:3)');
  });

  it('can mirror a temporal or leave-last-out outer split', () => {
    const lloTrain = leaveLastOut(log).train;
    const v = validationSplit(lloTrain, { method: 'leave-last-out' });
    expect(v.name).toBe('validation(leave-last-out:1)');
    expect(countByCustomer(v.test).size).toBe(5);
    expect(v.test.length).toBe(5);
    // each customer's validation event is their latest remaining one
    for (let i = 0; i < v.test.length; i++) {
      const c = v.test.customer[i];
      const times = Array.from(v.train.time).filter((_, k) => v.train.customer[k] === c);
      expect(v.test.time[i]).toBeGreaterThan(Math.max(...times));
    }
    const t = validationSplit(lloTrain, { method: 'temporal-ratio', ratio: 0.5 });
    expect(t.name).toBe('validation(temporal-ratio:0.5)');
  });

  it('rejects an unknown method', () => {
    expect(() => validationSplit(outer.train, { method: 'kfold' } as never)).toThrow(/validation method must be/);
  });
});
