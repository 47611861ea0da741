// The Santander task through the built CLI: on the holdings `nextbest generate` writes (planted add
// hazards), `evaluate --task adds` scores every model with Kaggle's MAP@7 beside the limit (ranking by
// the true hazards); train --task adds, recommend and export rank next month's adds without what is held;
// fewer than two months is a one-line error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPopulation } from '../../src/data/generate/index.js';
import { plantedAddsLimit } from '../../src/eval/adds-limit.js';
import type { EvaluationReport } from '../../src/eval/runner.js';
import { MonthlyHoldings } from '../../src/matrix/holdings.js';
import { openStore } from '../../src/store/index.js';
import { sharedData } from '../helpers/shared-data.js';
import { runCli, scratchDir } from './run-cli.js';

const CUSTOMERS = 20_000;
const SEED = 11;
const sample = sharedData('santander-sample/train_ver2_head9999.csv');

const ok = (args: string[], cwd: string): string => {
  const r = runCli(args, cwd);
  expect(r.stderr.split('\n').filter((l) => l.startsWith('nextbest:') && !l.startsWith('nextbest: note'))).toEqual([]);
  expect(r.code).toBe(0);
  return r.stdout;
};

async function holdingsOf(dir: string): Promise<MonthlyHoldings> {
  const store = await openStore(join(dir, '.nextbest', 'store.duckdb'), { mode: 'read' });
  try {
    return await MonthlyHoldings.load(store.holdings());
  } finally {
    await store.close();
  }
}

describe(`the adds task on generated holdings (${CUSTOMERS.toLocaleString('en-US')} customers x 17 months, seed ${SEED})`, () => {
  const dir = scratchDir();
  let holdings: MonthlyHoldings;
  beforeAll(async () => {
    ok(['generate', '--customers', String(CUSTOMERS), '--seed', String(SEED), '--out', 'gen'], dir);
    ok(['ingest', 'gen/santander.csv', '--format', 'santander'], dir);
    holdings = await holdingsOf(dir);
  }, 120_000);

  it('the best model is within 10 % of the limit (ranking by the planted hazards) and beats popularity of past adds, its interval excluding zero', () => {
    const report = JSON.parse(
      ok(['evaluate', '--task', 'adds', '--month', '2016-05-28', '--models', 'popularity,item-knn,adds-logit', '--bootstrap', '500', '--json'], dir),
    ) as EvaluationReport;
    const t = holdings.monthIndex('2016-05-28');
    const limit = plantedAddsLimit(holdings, t, buildPopulation(CUSTOMERS, SEED, 17));
    expect(report.task).toBe('adds');
    expect(report.k).toBe(7);
    expect(report.customers).toBe(holdings.presentAt(t - 1).length);
    expect(report.customersWithAdds).toBe(limit.withAdditions);
    const kaggle = (name: string): number => report.models.find((m) => m.name === name)!.metrics['kaggle-map@7'];
    // Kaggle MAP@7 counts customers without adds as 0: the mean over adders (map@7) times their share.
    for (const m of report.models)
      expect(m.metrics['kaggle-map@7']).toBeCloseTo((m.metrics['map@7'] * report.customersWithAdds!) / report.customers, 10);
    console.log(
      `Kaggle MAP@7 in 2016-05: limit ${limit.mean.toFixed(4)}, ${report.models.map((m) => `${m.name} ${kaggle(m.name).toFixed(4)}`).join(', ')}`,
    );
    const best = report.models.reduce((a, b) => (kaggle(b.name) > kaggle(a.name) ? b : a));
    expect(best.name).toBe('adds-logit');
    expect(kaggle(best.name)).toBeGreaterThan(0.9 * limit.mean);
    expect(kaggle('popularity')).toBeLessThan(kaggle(best.name));
    expect(best.vsBaseline).toMatchObject({ metric: 'kaggle-map@7' });
    expect(best.vsBaseline!.low).toBeGreaterThan(0);
    expect(best.intervals['kaggle-map@7'].low).toBeLessThan(kaggle(best.name));
  }, 300_000);

  it('train --task adds, then recommend and export rank the month after the last without what each customer holds then', () => {
    ok(['train', '--task', 'adds', '--model', 'adds-logit'], dir);
    const last = holdings.months.length - 1;
    const held = (id: string): string[] => {
      const u = holdings.customers.index(id);
      return holdings.products.ids().filter((_, j) => (holdings.masks[last][u] >>> j) & 1);
    };
    const ids = holdings.customers.ids().slice(0, 3);
    const rec = JSON.parse(ok(['recommend', '--k', '7', '--json', ...ids.flatMap((id) => ['--customer', id])], dir));
    expect(rec.model).toBe('adds-logit');
    const csv = join(dir, 'adds.csv');
    ok(['export', '--k', '7', '--out', csv], dir);
    const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(new Set(rows.map((r) => r[0])).size).toBe(holdings.presentAt(last).length);
    for (const c of rec.customers as { customer: string; known: boolean; recommendations: { product: string }[] }[]) {
      expect(c.known).toBe(true);
      const products = c.recommendations.map((r) => r.product);
      expect(products).toHaveLength(7);
      for (const p of held(c.customer)) expect(products).not.toContain(p);
      expect(rows.filter((r) => r[0] === c.customer).map((r) => r[1])).toEqual(products);
    }
  }, 120_000);
});

describe('the adds task needs two months', () => {
  it('one generated month: a one-line error', () => {
    const dir = scratchDir();
    ok(['generate', '--customers', '300', '--months', '1', '--out', 'gen'], dir);
    ok(['ingest', 'gen/santander.csv', '--format', 'santander'], dir);
    const r = runCli(['evaluate', '--task', 'adds'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nextbest: the adds task needs holdings for at least two months .* holds one month \(2015-01-28\); ingest a Santander-layout file with two or more months\n$/);
    const train = runCli(['train', '--task', 'adds', '--model', 'adds-logit'], dir);
    expect(train.code).toBe(2);
    expect(train.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it.skipIf(!sample.present)('santander-sample (one month of train_ver2): a one-line error', () => {
    const dir = scratchDir();
    ok(['ingest', sample.path, '--format', 'santander'], dir);
    const r = runCli(['evaluate', '--task', 'adds', '--month', '2015-01-28'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nextbest: the adds task needs holdings for at least two months .* holds one month \(2015-01-28\)[^\n]*\n$/);
  }, 60_000);

  it('a month the store does not hold, or its first month, is a one-line error naming the months it has', () => {
    const dir = scratchDir();
    ok(['generate', '--customers', '300', '--months', '3', '--out', 'gen'], dir);
    ok(['ingest', 'gen/santander.csv', '--format', 'santander'], dir);
    for (const [month, why] of [['2015-02-01', 'is not a month'], ['2015-01-28', 'is the first month']]) {
      const r = runCli(['evaluate', '--task', 'adds', '--month', month], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^nextbest: --month ${month} ${why} .* 2015-02-28 to 2015-03-28\\n$`));
    }
  }, 60_000);
});
