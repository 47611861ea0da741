// Progress of rating and accept / decline evaluations: every FM iteration is reported, per fold.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { crossValidate, evaluatePointwise } from '../../src/eval/pointwise.js';
import { EventLogBuilder, subset } from '../../src/matrix/event-log.js';
import type { FitProgress } from '../../src/models/contract.js';

const none = { customer: [], product: [] };

describe('pointwise evaluation progress', () => {
  it('reports each FM sweep of a split run, and nothing for the prior', () => {
    const rng = new Rng(1);
    const b = new EventLogBuilder();
    for (let u = 0; u < 30; u++) for (let p = 0; p < 8; p++) if (rng.next() < 0.6) b.add(`u${u}`, `p${p}`, u * 10 + p, 'rating', 1 + ((u + p) % 5));
    const log = b.build();
    const rows = (odd: boolean) => Int32Array.from(log.customer.keys()).filter((i) => (i % 4 === 0) === odd);
    const split = { name: 'test', train: subset(log, rows(false)), test: subset(log, rows(true)) };
    const seen: [string, number, number, FitProgress][] = [];
    const report = evaluatePointwise('rating', [{ name: 'prior', params: {} }, { name: 'fm', params: { solver: 'als', iterations: '4', k: '2' } }], split, none,
      (name, fold, folds, p) => seen.push([name, fold, folds, p]));
    expect(report.models.map((m) => m.name)).toEqual(['prior', 'fm']);
    expect(seen.map(([name, fold, folds, p]) => [name, fold, folds, p.iteration, p.total])).toEqual([1, 2, 3, 4].map((i) => ['fm', 0, 1, i, 4]));
    expect(seen.every(([, , , p]) => p.loss! > 0 && p.elapsedSeconds >= 0)).toBe(true);
  });

  it('reports the fold of a cross-validation', () => {
    const b = new EventLogBuilder();
    for (let u = 0; u < 60; u++) b.add(`u${u}`, 'deposit', u, u % 3 === 0 ? 'accept' : 'decline', u % 3 === 0 ? 1 : 0);
    const folds: number[] = [];
    crossValidate('classification', [{ name: 'fm', params: { iterations: '2', k: '0' } }], b.build(), 3, none, 42, (_, fold, total, p) => {
      expect(total).toBe(3);
      if (p.iteration === 1) folds.push(fold);
    });
    expect(folds).toEqual([0, 1, 2]);
  });
});
