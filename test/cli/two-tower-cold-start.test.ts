// The two-tower model on customers it has never seen, through the built CLI: `nextbest evaluate --split
// cold-start:0.2` holds out a fifth of the customers whole, so the towers score them from their
// attributes alone. Compared, paired per customer (bootstrap interval of the NDCG@10 difference), with
// segment popularity and the ranking FM with the same side features, on ML-100k (age, gender,
// occupation; genres) and on the synthetic bank (`nextbest generate`).
import { describe, expect, it } from 'vitest';
import type { EvaluationReport, ModelResult } from '../../src/eval/runner.js';
import { sharedData } from '../helpers/shared-data.js';
import { runCli, scratchDir } from './run-cli.js';

/**
 * Only attributes score a new customer, so the customer tower trains on them alone (idDropout=1); on both
 * data sets the wide part (a weight per attribute column and product, fitted exactly before the towers),
 * on ML-100k with age x gender crossed (the segment of segment popularity).
 */
const TWO_TOWER_ML = ['two-tower.customerAttributes=age,gender,occupation', 'two-tower.productAttributes=genre:*', 'two-tower.idDropout=1', 'two-tower.wide=true', 'two-tower.wideCrosses=age*gender'];
const TWO_TOWER_BANK = ['two-tower.customerAttributes=*', 'two-tower.productAttributes=*', 'two-tower.idDropout=1', 'two-tower.negatives=all', 'two-tower.wide=true'];

const ml = sharedData('ml-100k');
const TOLERANCE = 0.003;

function ok(args: string[], dir: string): string {
  const r = runCli(args, dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const params = (list: string[]): string[] => list.flatMap((p) => ['--param', p]);

function evaluate(dir: string, list: string[]): { report: EvaluationReport; model: (name: string) => ModelResult } {
  const report = JSON.parse(ok(['evaluate', '--split', 'cold-start:0.2', '--models', 'popularity,fm,two-tower', '--json', ...params(list)], dir)) as EvaluationReport;
  const model = (name: string) => report.models.find((m) => m.name === name) as ModelResult;
  return { report, model };
}

describe('two-tower on cold-start customers (evaluate --split cold-start:0.2)', () => {
  it.skipIf(!ml.present)('ML-100k: NDCG@10 against segment popularity (age bucket x gender) and fm with side features', () => {
    const dir = scratchDir();
    ok(['ingest', ml.path], dir);
    const { report, model } = evaluate(dir, [
      'popularity.mode=segment', 'popularity.segmentAttribute=age+gender', 'popularity.segmentBuckets=7',
      'fm.features=ids,customer,product', 'fm.customerAttributes=age,gender,occupation', 'fm.productAttributes=genre:*',
      ...TWO_TOWER_ML,
    ]);
    expect(report.split).toBe('cold-start:0.2:42');
    const [popularity, fm, tower] = ['popularity', 'fm', 'two-tower'].map(model);
    console.log(`ML-100k cold start NDCG@10: popularity (age x gender) ${popularity.metrics['ndcg@10'].toFixed(4)}, fm ${fm.metrics['ndcg@10'].toFixed(4)}, two-tower ${tower.metrics['ndcg@10'].toFixed(4)}; two-tower minus popularity ${JSON.stringify(tower.versus?.popularity)}, minus fm ${JSON.stringify(tower.versus?.fm)}`);
    const ndcg = (m: ModelResult) => m.metrics['ndcg@10'];
    expect(Math.abs(ndcg(popularity) - 0.552)).toBeLessThan(TOLERANCE);
    expect(Math.abs(ndcg(fm) - 0.5419)).toBeLessThan(TOLERANCE);
    expect(Math.abs(ndcg(tower) - 0.5637)).toBeLessThan(TOLERANCE);
    // Above both, the intervals of the paired differences excluding zero. The lead over segment
    // popularity is small and depends on the draw of held-out users: on cold-start:0.2:1 and :2 it is
    // +0.003 and +0.002 with intervals reaching below zero (the README gives all four draws).
    expect(tower.versus?.popularity.low).toBeGreaterThan(0);
    expect(tower.versus?.fm.low).toBeGreaterThan(0);
  }, 400_000);

  // 10,000 customers (2,000 held out new): at 3,000 two-tower is above fm by about as much (+0.019) but
  // the interval of 600 customers still reaches below zero.
  it('synthetic bank: NDCG@10 against segment popularity and fm with side features', () => {
    const dir = scratchDir();
    ok(['generate', '--customers', '10000', '--no-santander'], dir);
    ok(['ingest', '.nextbest/synthetic'], dir);
    const { model } = evaluate(dir, ['popularity.mode=segment', 'fm.features=ids,customer,product', ...TWO_TOWER_BANK]);
    const [popularity, fm, tower] = ['popularity', 'fm', 'two-tower'].map(model);
    console.log(`bank cold start NDCG@10: popularity (segment) ${popularity.metrics['ndcg@10'].toFixed(4)}, fm ${fm.metrics['ndcg@10'].toFixed(4)}, two-tower ${tower.metrics['ndcg@10'].toFixed(4)}; two-tower minus popularity ${JSON.stringify(tower.versus?.popularity)}, minus fm ${JSON.stringify(tower.versus?.fm)}`);
    const ndcg = (m: ModelResult) => m.metrics['ndcg@10'];
    expect(Math.abs(ndcg(popularity) - 0.5102)).toBeLessThan(TOLERANCE);
    expect(Math.abs(ndcg(fm) - 0.5838)).toBeLessThan(TOLERANCE);
    expect(Math.abs(ndcg(tower) - 0.6116)).toBeLessThan(TOLERANCE);
    // Above both, the intervals of the paired differences excluding zero.
    expect(tower.versus?.popularity.low).toBeGreaterThan(0);
    expect(tower.versus?.fm.low).toBeGreaterThan(0);
  }, 400_000);
});
