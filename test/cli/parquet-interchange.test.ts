// Parquet interchange with engines that train at scale, on ML-TOPN: `export-interactions` writes the
// training view a Spark job would read; factors "trained elsewhere" (our ALS on the same train part,
// written as Spark ALS writes userFactors / itemFactors: integer id, features float[]) come back with
// `import-factors` and evaluate exactly as the model that made them; bad files are one line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrainedModel } from '../../src/models/trained-model.js';
import { writeFactorParquet } from '../helpers/factor-parquet.js';
import { sharedData } from '../helpers/shared-data.js';
import { storeRows } from '../helpers/store-rows.js';
import { runCli, scratchDir } from './run-cli.js';

const ml = sharedData('ml-100k');
const splitDir = join(ml.path, 'splits', 'random-75-25');
const SPLIT = ['--split', `files:${join(splitDir, 'train.tsv')},${join(splitDir, 'test.tsv')}`];

let dir: string;
const run = (args: string[]) => runCli(args, dir);
const ok = (args: string[]) => {
  const r = run(args);
  expect(r.code, r.stderr).toBe(0);
  return r;
};

const query = (sql: string): Promise<unknown[][]> => storeRows(':memory:', sql);

describe.skipIf(!ml.present)('Parquet interchange (ML-TOPN)', () => {
  beforeAll(() => {
    dir = scratchDir();
    ok(['ingest', ml.path]);
  }, 120_000);

  it('export-interactions writes every train rating with its weight, value and time', async () => {
    const out = join(dir, 'view');
    const train = readFileSync(join(splitDir, 'train.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const r = JSON.parse(ok(['export-interactions', '--out', out, ...SPLIT, '--json']).stdout);
    expect(r).toMatchObject({ rows: train.length, contextKeys: [] });
    const file = join(out, 'interactions.parquet');
    const [[rows, customers, products, stars, first]] = await query(
      `SELECT count(*), count(DISTINCT customer_id), count(DISTINCT product_id), sum(value), min(time)::VARCHAR FROM read_parquet('${file}')`,
    );
    expect(Number(rows)).toBe(train.length);
    expect(Number(customers)).toBe(new Set(train.map((t) => t[0])).size);
    expect(Number(products)).toBe(new Set(train.map((t) => t[1])).size);
    expect(Number(stars)).toBe(train.reduce((s, t) => s + Number(t[2]), 0));
    const earliest = Math.min(...train.map((t) => Number(t[3])));
    expect(first).toBe(new Date(earliest * 1000).toISOString().slice(0, 19).replace('T', ' '));
    const [[type, weight]] = await query(`SELECT any_value(event_type), any_value(weight) FROM read_parquet('${file}')`);
    expect([type, weight]).toEqual(['rating', 1]);
    expect(JSON.parse(readFileSync(join(out, '_nextbest.json'), 'utf8'))).toMatchObject({ rows: train.length, columns: { time: 'timestamp' } });
  });

  it('import-factors serves factors trained elsewhere, and they evaluate exactly as the model that made them', async () => {
    ok(['train', '--model', 'als', ...SPLIT, '--out', join(dir, 'als.nbm')]);
    const als = loadTrainedModel(join(dir, 'als.nbm'));
    const { user, item } = als.model.state().arrays as { user: Float32Array; item: Float32Array };
    const k = user.length / als.customers.size;
    const users = join(dir, 'userFactors.parquet');
    const items = join(dir, 'itemFactors.parquet');
    await writeFactorParquet(users, als.customers.ids().map(Number), user, k);
    await writeFactorParquet(items, als.products.ids().map(Number), item, k);

    const imported = JSON.parse(ok(['import-factors', '--customers', users, '--products', items, ...SPLIT, '--json']).stdout);
    expect(imported.coverage).toEqual({
      customers: { matched: als.customers.size, of: als.customers.size, unused: 0 },
      products: { matched: als.products.size, of: als.products.size, unused: 0 },
    });
    const customer = als.customers.id(0);
    const fromAls = JSON.parse(ok(['recommend', '--model', join(dir, 'als.nbm'), '--customer', customer, '--json']).stdout).customers[0].recommendations;
    const fromFactors = JSON.parse(ok(['recommend', '--model', 'factors', '--customer', customer, '--json']).stdout).customers[0].recommendations;
    expect(fromFactors.map((r: { product: string }) => r.product)).toEqual(fromAls.map((r: { product: string }) => r.product));

    const report = JSON.parse(
      ok(['evaluate', ...SPLIT, '--models', 'als,factors', '--param', `factors.customers=${users}`, '--param', `factors.products=${items}`, '--bootstrap', '0', '--json']).stdout,
    );
    const by = Object.fromEntries(report.models.map((m: { name: string; metrics: Record<string, number> }) => [m.name, m.metrics]));
    expect(by.factors['ndcg@10']).toBeCloseTo(by.als['ndcg@10'], 6);
    expect(by.factors['precision@10']).toBeCloseTo(by.als['precision@10'], 6);
    expect(by.factors['ndcg@10']).toBeGreaterThan(0.35);
  }, 120_000);

  it('refuses a file without the factor columns, or with factors that are not numbers, in one line', async () => {
    const csv = join(dir, 'not-factors.parquet');
    writeFileSync(csv, 'id,x\n1,2\n');
    const bad = run(['import-factors', '--customers', csv, '--products', csv]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/cannot read factors from .*not-factors\.parquet.*give a Parquet file with columns id and features/);
    // A real Parquet file whose features are words, not numbers: the same one line, no stack trace.
    const words = join(dir, 'words.parquet');
    await query(`COPY (SELECT 1 AS id, ['a', 'b'] AS features) TO '${words}' (FORMAT parquet)`);
    const notNumbers = run(['import-factors', '--customers', words, '--products', words]);
    expect(notNumbers.code).toBe(2);
    expect(notNumbers.stderr.trim().split('\n')).toHaveLength(1);
    expect(notNumbers.stderr).toMatch(/cannot read factors from .*words\.parquet/);
  });
});
