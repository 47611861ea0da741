// Side features from the store through every model command, as a user meets them: popularity per
// segment (segmentAttribute defaulting to `segment`) and the ranking fm with customer, product and
// context features, in evaluate, train, recommend and export, on a generated bank; a saved model
// encodes the store's current attributes as in training when it scores.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArtifact } from '../../src/models/artifact.js';
import { runCli, scratchDir } from './run-cli.js';

interface Rec {
  customer: string;
  known: boolean;
  recommendations: { rank: number; product: string; score: number }[];
}

interface Report {
  models: { name: string; params: Record<string, unknown>; metrics: Record<string, number> }[];
}

const csvRows = (path: string): string[][] => readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

function ok(args: string[], dir: string): string {
  const r = runCli(args, dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const ndcg = (dir: string, args: string[]): Report['models'][number] => {
  const report = JSON.parse(ok(['evaluate', '--json', '--bootstrap', '0', '--split', 'random:0.75:7', ...args], dir)) as Report;
  return report.models[report.models.length - 1];
};

const recommend = (dir: string, model: string, customer: string, k = 5): Rec =>
  (JSON.parse(ok(['recommend', '--model', model, '--customer', customer, '--k', String(k), '--json'], dir)).customers as Rec[])[0];

/** Export rows (customer, product, rank, score) of one customer. */
const exported = (dir: string, file: string, customer: string): string[][] => csvRows(join(dir, file)).filter((r) => r[0] === customer);

describe('side features from the store in every model command', () => {
  const dir = scratchDir();
  let customers: string[][];
  let events: string[][];

  beforeAll(() => {
    ok(['generate', '--customers', '1500', '--seed', '5', '--out', 'data', '--no-santander'], dir);
    expect(runCli(['ingest', 'data'], dir).code).toBe(0);
    customers = csvRows(join(dir, 'data', 'customers.csv'));
    events = csvRows(join(dir, 'data', 'events.csv'));
  });

  it('evaluate: popularity per segment (the planted segment preferences) beats global popularity on NDCG@10', () => {
    const global = ndcg(dir, ['--models', 'popularity']);
    const segment = ndcg(dir, ['--models', 'popularity', '--param', 'popularity.mode=segment']);
    expect(segment.params).toMatchObject({ mode: 'segment', segmentAttribute: 'segment' });
    expect(segment.metrics['ndcg@10']).toBeGreaterThan(global.metrics['ndcg@10'] + 0.05);
    // Another attribute the store has works too, and a behavioural segment carries less than the planted one.
    const behaviour = ndcg(dir, ['--models', 'popularity', '--param', 'popularity.mode=segment', '--param', 'popularity.segmentAttribute=beh_segment']);
    expect(behaviour.metrics['ndcg@10']).toBeLessThan(segment.metrics['ndcg@10']);
    // A numeric attribute names segments by its values (active_ind=0, active_ind=1), not by quantile buckets.
    const active = ndcg(dir, ['--models', 'popularity', '--param', 'popularity.mode=segment', '--param', 'popularity.segmentAttribute=active_ind']);
    expect(active.metrics['ndcg@10']).toBeGreaterThan(0);
  });

  it('evaluate: fm with customer, product and context features differs from fm on ids alone', () => {
    const ids = ndcg(dir, ['--models', 'fm', '--param', 'fm.iterations=5']);
    const side = ndcg(dir, ['--models', 'fm', '--param', 'fm.iterations=5', '--param', 'fm.features=ids,customer,product,context']);
    expect(ids.params.features).toEqual(['ids']);
    expect(side.params.features).toEqual(['ids', 'customer', 'product', 'context']);
    expect(side.metrics['ndcg@10']).toBeGreaterThan(0.3);
    expect(side.metrics['ndcg@10']).not.toBe(ids.metrics['ndcg@10']);
  });

  it('a segment attribute the store lacks is one line naming the attributes it has', () => {
    const r = runCli(['evaluate', '--models', 'popularity', '--param', 'popularity.mode=segment', '--param', 'popularity.segmentAttribute=tier'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'nextbest: model "popularity" with mode=segment needs the customer attribute "tier", which the store .nextbest/store.duckdb lacks ' +
        '(its customers have active_ind, age, beh_segment, income, life_stage, segment); set segmentAttribute to one of them\n',
    );
    const t = runCli(['train', '--model', 'fm', 'features=ids,customer', 'customerAttributes=tier'], dir);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/^nextbest: model "fm" with features=ids,customer finds no customer attributes matching tier in the store .*; ingest customers with attributes or leave customer out of features\n$/);
  });

  it('train, recommend and export: popularity per segment, scoring from the store\'s current segment', () => {
    const trained = JSON.parse(ok(['train', '--model', 'popularity', 'mode=segment', '--out', 'seg.nbm', '--json'], dir));
    expect(trained.params).toEqual({ mode: 'segment', halfLifeDays: 30, segmentAttribute: 'segment' });
    const saved = readArtifact(join(dir, 'seg.nbm')).meta.features as { customer: { attributes: string[]; features: string[] } };
    expect(saved.customer.attributes).toEqual(['segment']);
    expect([...saved.customer.features].sort()).toEqual(['segment=AFFLUENT', 'segment=MASS', 'segment=PRIVATE', 'segment=SME', 'segment=YOUTH']);

    // Expected lists from the generated files: distinct customers of the segment with any event per product, global count breaking ties.
    const segmentOf = new Map(customers.map((c) => [c[0], c[3]]));
    const pairs = [...new Set(events.map((e) => `${e[0]}\t${e[3]}`))].map((p) => p.split('\t'));
    const count = (segment: string | null, product: string): number =>
      pairs.filter(([c, p]) => p === product && (segment === null || segmentOf.get(c) === segment)).length;
    const products = [...new Set(pairs.map(([, p]) => p))].sort();
    const expected = (customer: string, segment: string): { product: string; count: number }[] => {
      const held = new Set(pairs.filter(([c]) => c === customer).map(([, p]) => p));
      return products
        .filter((p) => !held.has(p))
        .map((p) => ({ product: p, count: count(segment, p), global: count(null, p) }))
        .sort((a, b) => b.count - a.count || b.global - a.global || (a.product < b.product ? -1 : 1))
        .slice(0, 3);
    };
    const customer = events.map((e) => e[0]).find((c) => pairs.filter(([x]) => x === c).length <= 6) as string;
    const before = recommend(dir, 'seg.nbm', customer, 3);
    expect(before.known).toBe(true);
    const want = expected(customer, segmentOf.get(customer) as string);
    expect(before.recommendations.map((r) => r.product)).toEqual(want.map((w) => w.product));
    expect(before.recommendations.map((r) => Math.floor(r.score))).toEqual(want.map((w) => w.count));

    ok(['export', '--model', 'seg.nbm', '--out', 'seg.csv', '--k', '3'], dir);
    expect(exported(dir, 'seg.csv', customer).map((r) => r[1])).toEqual(want.map((w) => w.product));

    // The customer moves to another segment in the store: the saved model encodes the current attribute.
    const moved = ['SME', 'YOUTH', 'PRIVATE'].find((s) => s !== segmentOf.get(customer)) as string;
    writeFileSync(join(dir, 'moved.csv'), `customer_id,segment\n${customer},${moved}\n`);
    expect(runCli(['ingest', '--format', 'customers', 'moved.csv'], dir).code).toBe(0);
    const after = recommend(dir, 'seg.nbm', customer, 3);
    const wantAfter = expected(customer, moved);
    expect(after.recommendations.map((r) => Math.floor(r.score))).toEqual(wantAfter.map((w) => w.count));
    expect(after.recommendations.map((r) => r.product)).toEqual(wantAfter.map((w) => w.product));
    ok(['export', '--model', 'seg.nbm', '--out', 'seg-after.csv', '--k', '3'], dir);
    expect(exported(dir, 'seg-after.csv', customer).map((r) => r[1])).toEqual(wantAfter.map((w) => w.product));
  });

  it('train, recommend and export: fm with customer, product and context features, saved with its encoding', () => {
    ok(['train', '--model', 'fm', 'iterations=5', '--out', 'fm-ids.nbm'], dir);
    ok(['train', '--model', 'fm', 'iterations=5', 'features=ids,customer,product,context', '--out', 'fm-side.nbm'], dir);
    const saved = readArtifact(join(dir, 'fm-side.nbm')).meta.features as {
      customer: { attributes: string[]; cuts: Record<string, number[]>; features: string[] };
      product: { attributes: string[] };
      context: { features: string[] };
    };
    expect([...saved.customer.attributes].sort()).toEqual(['active_ind', 'age', 'beh_segment', 'income', 'life_stage', 'segment']);
    expect(saved.customer.cuts.age.length).toBeGreaterThanOrEqual(3);
    expect(saved.customer.features).toContain('segment=MASS');
    expect([...saved.product.attributes].sort()).toEqual(['annual_fee', 'min_income']);
    expect(saved.context.features).toEqual(expect.arrayContaining(['page=home', 'tod=morning']));

    // A customer with events on few products, so that five products are left to rank.
    const held = new Map<string, Set<string>>();
    for (const e of events) held.set(e[0], (held.get(e[0]) ?? new Set()).add(e[3]));
    const customer = [...held].find(([c, products]) => products.size <= 6 && c !== events[0][0])?.[0] as string;
    const ids = recommend(dir, 'fm-ids.nbm', customer);
    expect(ids.recommendations).toHaveLength(5);
    const side = recommend(dir, 'fm-side.nbm', customer);
    expect(side.recommendations).toHaveLength(ids.recommendations.length);
    expect(side.recommendations.map((r) => r.score)).not.toEqual(ids.recommendations.map((r) => r.score));

    ok(['export', '--model', 'fm-side.nbm', '--out', 'fm-side.csv', '--k', '5'], dir);
    const rows = exported(dir, 'fm-side.csv', customer);
    expect(rows.map((r) => r[1])).toEqual(side.recommendations.map((r) => r.product));
    rows.forEach((r, i) => expect(Number(r[3])).toBeCloseTo(side.recommendations[i].score, 4));

    // A change of the customer's attributes in the store changes the side-feature model's scores, not the ids-only model's.
    const row = customers.find((c) => c[0] === customer) as string[];
    const other = customers.find((c) => c[3] !== row[3] && c[4] !== row[4]) as string[];
    writeFileSync(join(dir, 'changed.csv'), `customer_id,segment,beh_segment\n${customer},${other[3]},${other[4]}\n`);
    expect(runCli(['ingest', '--format', 'customers', 'changed.csv'], dir).code).toBe(0);
    expect(recommend(dir, 'fm-ids.nbm', customer)).toEqual(ids);
    const changed = recommend(dir, 'fm-side.nbm', customer);
    expect(changed.recommendations.map((r) => r.score)).not.toEqual(side.recommendations.map((r) => r.score));
  });
});
