// Exploration of cold products through `evaluate --explore` on the synthetic bank data with launched
// products (`generate --launches`: P26 launched 2016-04-18 and P27 on 2016-05-02, both with a planted
// uptake above their template's): the young products get the configured share of the lists, and the
// NDCG cost the report gives is the difference from the same evaluation without exploration.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/server/build.js';
import { getJson } from '../helpers/served-store.js';
import { runCli, scratchDir } from './run-cli.js';

let dir: string;
const run = (args: string[]) => runCli(args, dir);
const SPLIT = ['evaluate', '--split', 'temporal:2016-05-01', '--models', 'popularity,ease', '--bootstrap', '0', '--json'];

beforeAll(() => {
  dir = scratchDir();
  for (const args of [
    ['generate', '--customers', '3000', '--seed', '7', '--no-santander', '--launches'],
    ['ingest', join('.nextbest', 'synthetic')],
  ]) {
    const r = run(args);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

interface Result {
  name: string;
  metrics: Record<string, number>;
  exploration?: { weight: number; ageDays: number; youngProducts: number; share: number; shareWithout: number; ndcgWithout: number; ndcgCost: number };
}

describe('evaluate --explore', () => {
  it('gives products younger than the cut-off the configured share, and reports the NDCG cost the plain run confirms', () => {
    const plain = run(SPLIT);
    expect(plain.code, plain.stderr).toBe(0);
    const explored = run([...SPLIT, '--explore', '0.2']);
    expect(explored.code, explored.stderr).toBe(0);
    const before: Result[] = JSON.parse(plain.stdout).models;
    const after: Result[] = JSON.parse(explored.stdout).models;
    for (const name of ['popularity', 'ease']) {
      const a = after.find((m) => m.name === name) as Result;
      const b = before.find((m) => m.name === name) as Result;
      const e = a.exploration;
      expect(e, name).toBeDefined();
      if (!e) continue;
      expect(e).toMatchObject({ weight: 0.2, ageDays: 30, youngProducts: 2 });
      // Two slots of ten go to P26 and P27 (a list shorter than ten, of a customer holding much, keeps its two).
      expect(e.share).toBeGreaterThanOrEqual(0.2);
      expect(e.share).toBeLessThan(0.23);
      expect(e.shareWithout).toBeLessThan(e.share);
      expect(e.ndcgWithout).toBeCloseTo(b.metrics['ndcg@10'], 12);
      expect(e.ndcgCost).toBeCloseTo(b.metrics['ndcg@10'] - a.metrics['ndcg@10'], 12);
      // The planted uptake: the launched products are clicked more than their templates, so exploring them pays here.
      expect(e.ndcgCost).toBeLessThan(0);
    }
    expect(before.every((m) => m.exploration === undefined)).toBe(true);
  }, 120_000);

  it('counts only products first seen within the cut-off (P27, launched after the split, is never seen in train)', () => {
    const r = run([...SPLIT, '--explore', '0.1', '--explore-age-days', '5']);
    expect(r.code, r.stderr).toBe(0);
    const [popularity] = JSON.parse(r.stdout).models as Result[];
    expect(popularity.exploration).toMatchObject({ youngProducts: 1, weight: 0.1 });
    expect(popularity.exploration?.share).toBeGreaterThanOrEqual(0.1);
  }, 120_000);

  it('prints the share and the cost in the table, and refuses a weight outside 0..1 in one line', () => {
    const table = run(['evaluate', '--split', 'temporal:2016-05-01', '--models', 'popularity', '--bootstrap', '0', '--explore', '0.2']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/exploration popularity: weight 0\.2, 2 products younger than 30 days got 2\d\.\d% of the lists/);
    const bad = run(['evaluate', '--explore', '1.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--explore must be a number from 0 to 1/);
  });
});

describe('recommend and serve with exploration', () => {
  const young = new Set(['P26', 'P27']);
  const customer = '1000010';

  beforeAll(() => {
    // Trained on the events before May: P27 (launched 2 May) has none, P26 (18 April) a fortnight's.
    const r = run(['train', '--model', 'ease', '--split', 'temporal:2016-05-01']);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('recommend --explore puts the young products in the exploration slots (ranks 4 and 7 of 10)', () => {
    const plain = JSON.parse(run(['recommend', '--customer', customer, '--json']).stdout).customers[0].recommendations;
    const explored = JSON.parse(run(['recommend', '--customer', customer, '--explore', '0.2', '--json']).stdout).customers[0].recommendations;
    expect(explored).toHaveLength(10);
    expect(explored.filter((r: { product: string }) => young.has(r.product)).map((r: { rank: number }) => r.rank)).toEqual([4, 7]);
    // The established products keep their order around the slots.
    const established = (list: { product: string }[]) => list.map((r) => r.product).filter((p) => !young.has(p));
    expect(established(explored)).toEqual(established(plain).slice(0, 8));
  });

  it('serves the same list with explore=0.2 or the server\'s --explore, and none without', async () => {
    const store = join(dir, '.nextbest', 'store.duckdb');
    const cli = JSON.parse(run(['recommend', '--customer', customer, '--explore', '0.2', '--json']).stdout).customers[0].recommendations;
    const products = (body: { recommendations: { product: string }[] }) => body.recommendations.map((r) => r.product);
    let app = await build({ store });
    try {
      const asked = await getJson(app, `/v1/customers/${customer}/recommendations?k=10&explore=0.2`);
      expect(asked.status).toBe(200);
      expect(products(asked.body)).toEqual(cli.map((r: { product: string }) => r.product));
      const none = await getJson(app, `/v1/customers/${customer}/recommendations?k=10`);
      expect(products(none.body).filter((p) => young.has(p)).length).toBeLessThan(2);
      expect((await getJson(app, `/v1/customers/${customer}/recommendations?explore=2`)).status).toBe(400);
    } finally {
      await app.close();
    }
    app = await build({ store, explore: { weight: 0.2, ageDays: 30 } });
    try {
      const byDefault = await getJson(app, `/v1/customers/${customer}/recommendations?k=10`);
      expect(products(byDefault.body)).toEqual(cli.map((r: { product: string }) => r.product));
    } finally {
      await app.close();
    }
  });
});
