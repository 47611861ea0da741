// The server reads live events only for customers that may have them (those with events after the
// model's training when it was activated, and those its live log took events for): an event sent
// through the server's log reaches the customer's very next list, and one already in the store when
// the server starts is found by the activation's query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/build.js';
import { buildServer, servedStore, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let app: App;

beforeAll(async () => {
  served = servedStore(['ease'], 300, 3);
  app = await buildServer(served);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const list = async (customer: string) => (await app.inject({ method: 'GET', url: `/v1/customers/${customer}/recommendations?k=5` })).json();

describe('live events on a served model', () => {
  it('an acquire through the server\'s log leaves the next list, and is still found after a restart', async () => {
    const before = await list('1000004');
    expect(before.liveEvents).toBe(false);
    const top = before.recommendations[0].product;
    expect(app.nextbest.models.require().mayHaveLiveEvents('1000004')).toBe(false);
    await app.nextbest.events.append({ customerId: '1000004', productId: top, timestamp: new Date(), type: 'acquire', value: 1, context: {} });
    expect(app.nextbest.models.require().mayHaveLiveEvents('1000004')).toBe(true);
    const after = await list('1000004');
    expect(after.liveEvents).toBe(true);
    expect(after.recommendations.map((r: { product: string }) => r.product)).not.toContain(top);

    await app.close();
    app = await buildServer(served);
    expect(app.nextbest.models.require().mayHaveLiveEvents('1000004')).toBe(true);
    expect(app.nextbest.models.require().mayHaveLiveEvents('1000005')).toBe(false);
    const restarted = await list('1000004');
    expect(restarted).toMatchObject({ liveEvents: true });
    expect(restarted.recommendations).toEqual(after.recommendations);
    expect((await list('1000005')).liveEvents).toBe(false);
  });
});
