// The ranking fm scores in the request's context: a context it was trained on reorders the products
// that happened in it, no context is the training average, the context's contributions add up to what
// it changes, and a customer without a trained row is scored from the attributes a request gives.
import { describe, expect, it } from 'vitest';
import { buildInteractions, buildPairContexts, buildSideFeatures, EventLogBuilder, IdMap } from '../../src/matrix/index.js';
import type { RequestContext } from '../../src/models/contract.js';
import { FmRecommender } from '../../src/models/fm-recommender.js';

/** 40 customers, each clicking half the products: p0-p2 in the morning, p3-p5 in the evening; customers have a segment. */
function data() {
  const b = new EventLogBuilder();
  for (let p = 0; p < 6; p++) b.addProduct(`p${p}`);
  for (let c = 0; c < 40; c++)
    for (let p = 0; p < 6; p++) {
      b.add(`c${c}`, `p${p}`, c * 10 + p, 'display', 1, { tod: p % 2 ? 'morning' : 'evening' });
      if ((c + p) % 2 === 0) b.add(`c${c}`, `p${p}`, c * 10 + p, 'click', 1, { tod: p < 3 ? 'morning' : 'evening' });
    }
  const log = b.build();
  const interactions = buildInteractions(log, { weights: { display: 0 } });
  const customerFeatures = buildSideFeatures(
    log.customers,
    Array.from(log.customers.ids(), (id) => ({ id, name: 'segment', num: null, str: Number(id.slice(1)) % 2 ? 'ODD' : 'EVEN' })),
  );
  return { log, interactions, customerFeatures, pairContexts: buildPairContexts(log, interactions.userItem, { display: 0 }) };
}

/** A request context of tod=value in the model's columns (the log's context ids). */
function tod(contexts: IdMap, value: string): RequestContext {
  const replaced = Int32Array.from(['tod=morning', 'tod=evening'], (n) => contexts.index(n));
  return { replaced, set: Int32Array.of(contexts.index(`tod=${value}`)) };
}

const top = (scores: Float32Array, skip: Int32Array): number => {
  let best = -1;
  scores.forEach((s, p) => {
    if (!skip.includes(p) && (best < 0 || s > scores[best])) best = p;
  });
  return best;
};

describe('ranking fm in the request\'s context', () => {
  it.each(['logistic', 'warp'])('puts the products clicked in the morning first in the morning, the evening ones in the evening (%s)', async (loss) => {
    const d = data();
    const model = new FmRecommender({ k: 8, iterations: 60, loss, features: 'ids,context', seed: 3 });
    await model.fit(d);
    const scores = new Float32Array(6);
    let morningFirst = 0;
    let eveningFirst = 0;
    for (let u = 0; u < 40; u++) {
      const held = d.interactions.userItem.row(u).indices;
      model.scoreInto(u, d.interactions.userItem.row(u), scores, false, { context: tod(d.log.contexts, 'morning') });
      if (top(scores, held) < 3) morningFirst++;
      model.scoreInto(u, d.interactions.userItem.row(u), scores, false, { context: tod(d.log.contexts, 'evening') });
      if (top(scores, held) >= 3) eveningFirst++;
    }
    expect(morningFirst).toBeGreaterThanOrEqual(36);
    expect(eveningFirst).toBeGreaterThanOrEqual(36);
  });

  it('scores without a context, or with one naming no key, in the training-average context', async () => {
    const d = data();
    const model = new FmRecommender({ k: 4, iterations: 20, loss: 'logistic', features: 'ids,context' });
    await model.fit(d);
    const a = new Float32Array(6);
    const b = new Float32Array(6);
    const c = new Float32Array(6);
    model.scoreInto(2, d.interactions.userItem.row(2), a);
    model.scoreInto(2, d.interactions.userItem.row(2), b, false, { context: { replaced: new Int32Array(0), set: new Int32Array(0) } });
    model.scoreInto(2, d.interactions.userItem.row(2), c, false, { context: tod(d.log.contexts, 'evening') });
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('gives context contributions that add up to the change of the score against the average context', async () => {
    const d = data();
    const model = new FmRecommender({ k: 4, iterations: 20, loss: 'logistic', features: 'ids,customer,context' });
    await model.fit(d);
    const evening = { context: tod(d.log.contexts, 'evening') };
    const inContext = new Float32Array(6);
    const average = new Float32Array(6);
    model.scoreInto(5, d.interactions.userItem.row(5), inContext, false, evening);
    model.scoreInto(5, d.interactions.userItem.row(5), average);
    const sum = (x: Float64Array) => x.reduce((s, v) => s + v, 0);
    for (let p = 0; p < 6; p++) {
      const c = model.contextContributions(5, p, evening);
      const m = model.contextContributions(5, p);
      expect(c && m).toBeTruthy();
      expect(c?.values[d.log.contexts.index('tod=evening')]).toBe(1);
      expect(c?.values[d.log.contexts.index('tod=morning')]).toBe(0);
      expect(sum(c!.contributions) - sum(m!.contributions)).toBeCloseTo(inContext[p] - average[p], 4);
    }
    expect(new FmRecommender({ features: 'ids' }).contextFeatures).toBe(0);
  });

  it('scores a customer without a trained row from the side features a request gives, in its context', async () => {
    const d = data();
    const model = new FmRecommender({ k: 4, iterations: 20, loss: 'logistic', features: 'ids,customer,context' });
    await model.fit(d);
    expect(model.scoresFromAttributes).toBe(true);
    const empty = { indices: new Int32Array(0), data: new Float32Array(0) };
    const odd = { indices: Int32Array.of(d.customerFeatures.features.index('segment=ODD')), data: Float32Array.of(1) };
    const none = new Float32Array(6);
    const withSegment = new Float32Array(6);
    const evening = new Float32Array(6);
    model.scoreInto(-1, empty, none);
    model.scoreInto(-1, empty, withSegment, false, { customerFeatures: odd });
    model.scoreInto(-1, empty, evening, false, { customerFeatures: odd, context: tod(d.log.contexts, 'evening') });
    expect(Array.from(withSegment)).not.toEqual(Array.from(none));
    expect(Array.from(evening)).not.toEqual(Array.from(withSegment));
    // A customer with a trained row scores from it; the features a request gives do not replace it.
    const own = new Float32Array(6);
    const given = new Float32Array(6);
    model.scoreInto(4, empty, own);
    model.scoreInto(4, empty, given, false, { customerFeatures: odd });
    expect(Array.from(given)).toEqual(Array.from(own));
  });
});
