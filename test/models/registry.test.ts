import { describe, expect, it } from 'vitest';
import { NextbestError, type ErrorCode } from '../../src/core/errors.js';
import { createModel, MODEL_NAMES, MODELS, resolveParams } from '../../src/models/registry.js';

const failure = (f: () => unknown, code: ErrorCode = 'BAD_PARAMETER'): NextbestError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NextbestError);
    expect((e as NextbestError).code).toBe(code);
    expect((e as NextbestError).message).not.toContain('\n');
    return e as NextbestError;
  }
  throw new Error('expected a NextbestError');
};

describe('model registry', () => {
  it('registers the five models with descriptions and defaults', () => {
    expect(MODEL_NAMES).toEqual(['popularity', 'sims', 'item-knn', 'user-knn', 'ease', 'als', 'bpr', 'warp', 'fm', 'factors', 'adds-logit', 'sequential', 'two-tower']);
    // Factors trained elsewhere name their two files (read when fitted); every other model has defaults for all.
    const required: Record<string, Record<string, string>> = { factors: { customers: 'users.parquet', products: 'items.parquet' } };
    for (const name of MODEL_NAMES) {
      expect(MODELS[name].description.length).toBeGreaterThan(10);
      const model = createModel(name, required[name]);
      expect(model.name).toBe(name);
      expect(model.params).toEqual(resolveParams(name, required[name]));
    }
    expect(() => createModel('factors')).toThrow(/customers/);
    expect(resolveParams('ease')).toEqual({ lambda: 500, maxProducts: 20_000, solver: 'auto' });
  });

  it('coerces command-line strings', () => {
    expect(createModel('ease', { lambda: '300' }).params).toMatchObject({ lambda: 300 });
    expect(createModel('sims', { useValue: 'true', halfLifeDays: '30', threshold: '2' }).params).toEqual({
      similarity: 'jaccard',
      threshold: 2,
      halfLifeDays: 30,
      useValue: true,
    });
    expect(createModel('user-knn', { neighbours: 80, shrink: '2.5' }).params).toEqual({ neighbours: 80, shrink: 2.5 });
  });

  it('rebuilds a model from the params it reports (as saved artifacts do)', () => {
    const model = createModel('popularity', { mode: 'segment', segmentAttribute: 'segment' });
    const saved = JSON.parse(JSON.stringify(model.params)) as Record<string, string | number | boolean>;
    expect(createModel('popularity', saved).params).toEqual(model.params);
  });

  it('rejects unknown models and parameters and bad values with one clear line', () => {
    expect(failure(() => createModel('lightgcn'), 'BAD_OPTION').message).toBe(
      'unknown model "lightgcn"; choose one of popularity, sims, item-knn, user-knn, ease, als, bpr, warp, fm, factors, adds-logit, sequential, two-tower',
    );
    expect(failure(() => createModel('constructor'), 'BAD_OPTION').message).toMatch(/unknown model/);
    expect(failure(() => createModel('ease', { lamda: 3 })).message).toBe(
      'model "ease" has no parameter "lamda" (its parameters: lambda, maxProducts, solver)',
    );
    expect(failure(() => createModel('ease', { lambda: 'abc' })).message).toBe('model "ease" parameter lambda=abc: expected a number');
    expect(failure(() => createModel('ease', { lambda: '-1' })).message).toBe('model "ease" parameter lambda=-1: must be > 0');
    expect(failure(() => createModel('item-knn', { neighbours: '2.5' })).message).toBe(
      'model "item-knn" parameter neighbours=2.5: expected a whole number',
    );
    expect(failure(() => createModel('sims', { useValue: 'maybe' })).message).toBe(
      'model "sims" parameter useValue=maybe: expected a boolean',
    );
    expect(failure(() => createModel('sims', { similarity: 'dice' })).message).toBe(
      'model "sims" parameter similarity=dice: expected one of "count", "jaccard", "lift", "cosine"',
    );
  });
});
