import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../helpers/shared-data.js';
import { runCli, scratchDir } from './run-cli.js';

const split = sharedData('ml-100k/splits/random-75-25');
const SCORER = resolve('..', 'shared', 'tools', 'score-topn.mjs');

describe('train, recommend, similar, export on ML-TOPN', () => {
  it.skipIf(!split.present)('exports top-10 for all 943 customers that the independent scorer rates as evaluate does', () => {
    const dir = scratchDir();
    const files = `files:${join(split.path, 'train.tsv')},${join(split.path, 'test.tsv')}`;
    const evaluated = JSON.parse(runCli(['evaluate', '--models', 'item-knn', '--split', files, '--bootstrap', '0', '--json'], dir).stdout);
    const ours = evaluated.models.find((m: { name: string }) => m.name === 'item-knn').metrics;

    const trained = runCli(['train', '--model', 'item-knn', '--split', files, '--json'], dir);
    expect(trained.code).toBe(0);
    expect(JSON.parse(trained.stdout)).toMatchObject({ model: 'item-knn', customers: 943, events: 75353 });

    const csv = runCli(['export', '--k', '10', '--out', 'top10.csv', '--json'], dir);
    expect(JSON.parse(csv.stdout)).toMatchObject({ customers: 943, rows: 9430 });
    const scored = spawnSync(process.execPath, [SCORER, join(dir, 'top10.csv'), join(split.path, 'test.tsv'), join(split.path, 'train.tsv')], {
      encoding: 'utf8',
    });
    const independent = JSON.parse(scored.stdout);
    expect(independent.problems).toEqual([]);
    expect(independent.users).toBe(943);
    for (const m of ['precision@10', 'recall@10', 'ndcg@10', 'map@10']) expect(independent[m]).toBeCloseTo(ours[m], 4);

    const parquet = runCli(['export', '--k', '10', '--out', 'top10.parquet', '--json'], dir);
    expect(JSON.parse(parquet.stdout)).toMatchObject({ rows: 9430 });
    expect(readFileSync(join(dir, 'top10.parquet')).subarray(0, 4).toString()).toBe('PAR1');

    // A saved model reloads and gives the same lists as the export.
    const rec = JSON.parse(runCli(['recommend', '--customer', '1', '--customer', '943', '--k', '10', '--json'], dir).stdout);
    const exported = readFileSync(join(dir, 'top10.csv'), 'utf8').split('\n').filter((l) => l.startsWith('1,'));
    expect(rec.customers[0].recommendations.map((r: { product: string }) => r.product)).toEqual(exported.map((l) => l.split(',')[1]));
    const sim = JSON.parse(runCli(['similar', '--product', '50', '--k', '5', '--json'], dir).stdout);
    expect(sim.similar).toHaveLength(5);
    expect(sim.similar.map((s: { product: string }) => s.product)).not.toContain('50');

    // A corrupted artifact gives one clear line.
    const model = join(dir, '.nextbest', 'models', 'item-knn.nbm');
    const bytes = readFileSync(model);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(model, bytes);
    const broken = runCli(['recommend', '--customer', '1'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim()).toMatch(/^nextbest: .*item-knn\.nbm is not a usable nextbest model \(checksum mismatch/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!split.present)('tune picks EASE regularisation on a validation split carved from train', () => {
    const dir = scratchDir();
    const files = `files:${join(split.path, 'train.tsv')},${join(split.path, 'test.tsv')}`;
    const r = runCli(['tune', '--model', 'ease', '--grid', 'lambda=50,400', '--split', files, '--json'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.validation).toMatch(/^validation\(/);
    expect(out.trials).toHaveLength(2);
    expect(out.best.params.lambda).toBe('400'); // heavier regularisation wins on ML-100K
  });
});

describe('model commands: user errors', () => {
  it('unknown model, bad parameter, no trained model, bad export file', () => {
    const dir = scratchDir();
    const unknown = runCli(['train', '--model', 'magic'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^nextbest: .*magic/);
    const badParam = runCli(['evaluate', '--models', 'ease', '--param', 'ease.lambda=lots', '--split', 'random:0.8'], dir);
    expect(badParam.code).toBe(2);
    expect(badParam.stderr.trim().split('\n')).toHaveLength(1);
    const none = runCli(['recommend', '--customer', 'x'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no trained model/);
    const badOut = runCli(['export', '--out', 'recs.xlsx'], dir);
    expect(badOut.stderr).toMatch(/must end in \.csv or \.parquet/);
  });
});
