// The sequential model reads the request-time history: the live events a server received since
// training reach it in time order (ScoringRequest.recent), so the next list follows the last clicks
// without retraining, and a different order of the same clicks gives the list that order scores.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topK } from '../../src/matrix/index.js';
import { loadTrainedModel, type TrainedModel } from '../../src/models/trained-model.js';
import type { App } from '../../src/server/build.js';
import { buildServer, getJson, servedStore, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let trained: TrainedModel;
let app: App;
let ids = 0;

beforeAll(async () => {
  served = servedStore(['sequential epochs=2'], 600, 7);
  trained = loadTrainedModel(join(served.dir, '.nextbest', 'models', 'sequential.nbm'));
  app = await buildServer(served);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

const listOf = async (customer: string): Promise<string[]> => {
  const r = await getJson(app, `/v1/customers/${customer}/recommendations?k=5`);
  expect(r.status).toBe(200);
  return r.body.recommendations.map((x: { product: string }) => x.product);
};

const click = async (customer: string, product: string, at: string): Promise<void> => {
  const r = await app.inject({ method: 'POST', url: '/v1/events', payload: { eventId: `seq-${++ids}`, customer, product, type: 'click', timestamp: at } });
  expect(r.statusCode).toBe(200);
};

/** The list the saved model scores for a customer whose events since training are `recent`, in that order. */
function expected(customer: string, recent: string[]): string[] {
  const u = trained.customers.index(customer);
  const row = trained.history.row(u);
  const skip = new Uint8Array(trained.products.size);
  for (const p of row.indices) skip[p] = 1;
  const order = Int32Array.from(recent, (p) => trained.products.index(p));
  for (const p of order) skip[p] = 1;
  const indices = Int32Array.from(new Set([...row.indices, ...order])).sort();
  const scores = new Float32Array(trained.products.size);
  trained.model.scoreInto(u, { indices, data: new Float32Array(indices.length).fill(1) }, scores, true, { recent: order });
  return Array.from(topK(scores, 5, skip).items, (p) => trained.products.id(p));
}

describe('sequential: live events in time order', () => {
  it('ranks the next list from the clicks since training, in the order they happened', async () => {
    // Two customers, the same two clicks in opposite orders (timestamps, not arrival, set the order).
    const [a, b] = ['1000011', '1000013'];
    const held = (c: string) => new Set(trained.history.row(trained.customers.index(c)).indices);
    const open = trained.products.ids().filter((p) => !held(a).has(trained.products.index(p)) && !held(b).has(trained.products.index(p)));
    const [x, y] = open;
    const before = await listOf(a);
    await click(a, y, '2016-06-02T10:00:00Z');
    await click(a, x, '2016-06-01T10:00:00Z');
    await click(b, x, '2016-06-02T10:00:00Z');
    await click(b, y, '2016-06-01T10:00:00Z');
    const afterA = await listOf(a);
    expect(afterA).toEqual(expected(a, [x, y]));
    expect(await listOf(b)).toEqual(expected(b, [y, x]));
    expect(afterA).not.toEqual(before);
    // The order matters to the model: the same clicks the other way round score another list.
    expect(expected(a, [y, x])).not.toEqual(expected(a, [x, y]));
    const { body } = await getJson(app, `/v1/customers/${a}/recommendations?k=5`);
    expect(body.liveEvents).toBe(true);
    expect(body.recommendations[0].reason.kind).toBe('held-product');
  });
});
