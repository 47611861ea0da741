// Request-time scoring: a customer's next list is ranked from the history known now, the training
// history plus the store's live events since training, without retraining. An acquired product is not
// offered again, clicks on one product type move that type up (a history model and ALS), and a
// customer the model never saw is scored from its live events instead of getting a cold-start list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventType } from '../../src/data/model.js';
import { openStore } from '../../src/store/index.js';
import { runCli, scratchDir } from './run-cli.js';

interface Rec {
  customer: string;
  known: boolean;
  liveEvents: boolean;
  coldStart: unknown;
  recommendations: { rank: number; product: string; score: number }[];
}

const dir = scratchDir();
const store = join(dir, '.nextbest', 'store.duckdb');

/** Appends events through the store's durable live log, as the server will, then closes the store. */
async function live(events: [string, string, EventType][]): Promise<void> {
  const s = await openStore(store, { mode: 'write' });
  try {
    const log = s.liveLog();
    const now = Date.now() - 60_000;
    await log.appendMany(events.map(([customerId, productId, type], i) => ({ customerId, productId, type, timestamp: new Date(now + i), value: 1, context: {} })));
    await log.close();
  } finally {
    await s.close();
  }
}

function recommend(model: string, customer: string, k = 24): Rec {
  const r = runCli(['recommend', '--model', model, '--customer', customer, '--k', String(k), '--json'], dir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).customers[0] as Rec;
}

/** Mean rank of the given products in a list (absent ones rank after the list). */
const meanRank = (rec: Rec, products: string[]): number =>
  products.reduce((sum, p) => sum + (rec.recommendations.find((r) => r.product === p)?.rank ?? rec.recommendations.length + 1), 0) / products.length;

describe('live events reach the next recommendation without retraining', () => {
  let byType: Map<string, string[]>;

  beforeAll(() => {
    expect(runCli(['generate', '--customers', '1500', '--seed', '5', '--no-santander'], dir).code).toBe(0);
    expect(runCli(['ingest', join('.nextbest', 'synthetic')], dir).code).toBe(0);
    for (const model of ['als', 'ease']) expect(runCli(['train', '--model', model], dir).code).toBe(0);
    const products = readFileSync(join(dir, '.nextbest', 'synthetic', 'products.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    byType = new Map();
    for (const [id, type] of products) byType.set(type, [...(byType.get(type) ?? []), id]);
  });

  it('an acquired product leaves the list at once', async () => {
    const before = recommend('ease', '1000007', 5);
    expect(before).toMatchObject({ known: true, liveEvents: false });
    const top = before.recommendations[0].product;
    await live([['1000007', top, 'acquire']]);
    for (const model of ['ease', 'als']) {
      const after = recommend(model, '1000007', 5);
      expect(after.liveEvents).toBe(true);
      expect(after.recommendations.map((r) => r.product)).not.toContain(top);
    }
  });

  for (const model of ['ease', 'als']) {
    it(`${model}: clicks on two products of one type move the type's other products up`, async () => {
      // The first customer (from 1000011 on) with a four-product type none of whose products it has yet;
      // of those types, the one ranked lowest for it.
      let customer = '';
      let before: Rec | undefined;
      let target: { ids: string[]; rank: number } | undefined;
      for (let n = 1000011 + (model === 'als' ? 1 : 0); !target; n += 2) {
        customer = String(n);
        before = recommend(model, customer);
        const listed = new Set(before.recommendations.map((r) => r.product));
        const open = [...byType.values()].filter((ids) => ids.length === 4 && ids.every((p) => listed.has(p)));
        target = open.map((ids) => ({ ids, rank: meanRank(before as Rec, ids) })).sort((a, b) => b.rank - a.rank)[0];
      }
      const [clicked, rest] = [target.ids.slice(0, 2), target.ids.slice(2)];
      await live(clicked.flatMap((p) => [[customer, p, 'click'], [customer, p, 'click']] as [string, string, EventType][]));
      const after = recommend(model, customer);
      expect(after.liveEvents).toBe(true);
      expect(after.recommendations.map((r) => r.product)).not.toContain(clicked[0]);
      expect(meanRank(after, rest)).toBeLessThan(meanRank(before as Rec, rest));
    });
  }

  it('a customer unknown at training time is scored from its live events, not cold start', async () => {
    const cold = recommend('als', 'NEW-1', 5);
    expect(cold).toMatchObject({ known: false, liveEvents: false });
    expect(cold.coldStart).not.toBeNull();
    const ids = byType.get('card') as string[];
    await live(ids.slice(0, 2).map((p) => ['NEW-1', p, 'click'] as [string, string, EventType]));
    const warm = recommend('als', 'NEW-1', 5);
    expect(warm).toMatchObject({ known: true, liveEvents: true, coldStart: null });
    expect(warm.recommendations.map((r) => r.product)).not.toContain(ids[0]);
  });
});
