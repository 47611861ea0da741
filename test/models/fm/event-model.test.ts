// A saved rating / accept-decline FM scores events exactly as the model that was fitted did, from the
// file alone, and matches new events to its features by name.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { createPointwiseModel, trainEventModel, type SideAttributes } from '../../../src/eval/pointwise-models.js';
import { EventLogBuilder, subset, type EventLog } from '../../../src/matrix/event-log.js';
import { EventModel } from '../../../src/models/fm/event-model.js';
import { writeArtifact } from '../../../src/models/artifact.js';

/** 50 customers with a tier, 12 products with a kind, offers shown on two pages, accepted more by tier-2 customers on "home". */
function offers(seed: number): { log: EventLog; attributes: SideAttributes } {
  const rng = new Rng(seed);
  const b = new EventLogBuilder();
  for (let u = 0; u < 50; u++)
    for (let p = 0; p < 12; p++) {
      if (rng.next() > 0.5) continue;
      const page = rng.next() < 0.5 ? 'home' : 'offers';
      const accept = rng.next() < 0.2 + 0.4 * Number(u % 3 === 2 && page === 'home') + 0.2 * Number(p < 4);
      b.add(`c${u}`, `p${p}`, 1000 + u * 12 + p, accept ? 'accept' : 'decline', accept ? 1 : 0, { page });
    }
  const attributes: SideAttributes = {
    customer: Array.from({ length: 50 }, (_, u) => ({ id: `c${u}`, name: 'tier', num: null, str: `t${u % 3}` })),
    product: Array.from({ length: 12 }, (_, p) => ({ id: `p${p}`, name: 'kind', num: null, str: p < 4 ? 'card' : 'loan' })),
  };
  return { log: b.build(), attributes };
}

const FEATURES = { features: 'ids,customer,product,context,time,held', k: '3', iterations: '8' };

describe('saved rating and accept / decline FM', () => {
  const { log, attributes } = offers(3);
  const rows = (inTest: boolean) => Int32Array.from(log.customer.keys()).filter((i) => (i % 5 === 0) === inTest);
  const train = subset(log, rows(false));
  const test = subset(log, rows(true));

  it.each(['als', 'sgd', 'mcmc'])('%s: the event model and its saved file score the test events as the fitted model does', (solver) => {
    const model = createPointwiseModel('fm', { ...FEATURES, solver }, 'classification', attributes);
    model.fit(train, test);
    const direct = model.predict();
    const saved = trainEventModel({ ...FEATURES, solver }, 'classification', attributes, train);
    const path = join(mkdtempSync(join(tmpdir(), 'nextbest-event-model-')), 'fm.nbm');
    saved.save(path);
    const loaded = EventModel.load(path);
    expect(loaded.task).toBe('classification');
    const fromFile = loaded.predict(test, attributes);
    if (solver === 'mcmc') {
      // The fitted model averages every sample over its test set; the saved one its kept samples.
      const gap = Math.max(...Array.from(direct, (d, i) => Math.abs(d - fromFile[i])));
      expect(gap).toBeLessThan(0.05);
    } else {
      // Equal up to the order of a sum (the fitted model keeps held products as a block).
      const gap = (a: Float64Array) => Math.max(...Array.from(direct, (d, i) => Math.abs(d - a[i])));
      expect(gap(fromFile)).toBeLessThan(1e-12);
      expect(gap(saved.predict(test, attributes))).toBeLessThan(1e-12);
    }
    expect(fromFile.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('scores events from a log of its own id order, new customers from their attributes, unseen values without weight', () => {
    const saved = trainEventModel({ ...FEATURES, solver: 'als' }, 'classification', attributes, train);
    const b = new EventLogBuilder();
    const first = test.customers.id(test.customer[0]);
    b.add('someone-new', 'p1', 5000, 'accept', 1, { page: 'home' });
    b.add('someone-new-tier-2', 'p1', 5000, 'accept', 1, { page: 'home' });
    b.add(first, test.products.id(test.product[0]), test.time[0], 'accept', 1, { page: test.contexts.id(test.contextIds[test.contextPtr[0]]).slice(5) });
    b.add(first, test.products.id(test.product[0]), test.time[0], 'accept', 1, { page: 'a-page-never-seen' });
    const withNew = { ...attributes, customer: [...attributes.customer, { id: 'someone-new-tier-2', name: 'tier', num: null, str: 't2' }] };
    const scores = saved.predict(b.build(), withNew);
    expect(scores[2]).toBeCloseTo(saved.predict(subset(test, Int32Array.of(0)), attributes)[0], 12);
    expect(scores[3]).not.toBe(scores[2]);
    // The planted tier-2 lift on "home" reaches a customer the model never saw, through its attribute.
    expect(scores[1]).toBeGreaterThan(scores[0]);
    expect(scores.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('refuses a ranking model file with one line', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'nextbest-event-model-')), 'als.nbm');
    writeArtifact(path, { model: 'als', params: {}, state: { arrays: {}, json: {} }, meta: {} });
    expect(() => EventModel.load(path)).toThrow(`${path} holds a ranking model (als), not a rating or accept / decline one; use nextbest recommend with it`);
  });
});
