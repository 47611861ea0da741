// Model checks against the structure planted in the synthetic bank data: k-means on implicit-ALS
// customer factors against the planted segments (adjusted Rand index, neighbour vote vs majority),
// and an FM click predictor with and without the display's context (page, time of day).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLoader } from '../src/data/formats/index.js';
import { generateBankData } from '../src/data/generate/index.js';
import { clickContextCheck, loadPlantedData, segmentRecoveryCheck } from '../src/eval/planted-checks.js';
import type { FmSolver } from '../src/models/fm/index.js';
import { openStore } from '../src/store/index.js';

export interface BenchPlantedOptions {
  /** Default BENCH_PLANTED_CUSTOMERS or 20,000. */
  customers?: number;
  seed?: number;
  solver?: FmSolver;
  iterations?: number;
}

export async function benchPlanted(opts: BenchPlantedOptions = {}): Promise<string> {
  const customers = opts.customers ?? Number(process.env.BENCH_PLANTED_CUSTOMERS ?? 20_000);
  const seed = opts.seed ?? 7;
  const solver = opts.solver ?? 'mcmc';
  const iterations = opts.iterations ?? 60;
  const dir = mkdtempSync(join(tmpdir(), 'nextbest-bench-planted-'));
  const store = await openStore(join(dir, 'store.duckdb'));
  try {
    let t = performance.now();
    await generateBankData({ customers, seed, months: 17, outDir: dir, santander: false });
    await store.ingest(getLoader('bundle'), dir);
    const data = await loadPlantedData(store);
    const prepSeconds = (performance.now() - t) / 1000;

    const seg = await segmentRecoveryCheck(data.log, data.customerAttributes, { seed });
    const shown = await segmentRecoveryCheck(data.log, data.customerAttributes, { seed, interactions: { weights: { display: 0.1 } } });
    t = performance.now();
    const click = clickContextCheck(data.log, { seed, k: 8, iterations, solver, customerAttributes: data.customerAttributes });
    const clickSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const linear = clickContextCheck(data.log, { seed, k: 0, iterations, solver, customerAttributes: data.customerAttributes });
    const linearSeconds = (performance.now() - t) / 1000;

    const f = (x: number, d = 3): string => x.toFixed(d);
    const n = (x: number): string => x.toLocaleString('en-US');
    return [
      `Synthetic bank, ${n(customers)} customers, seed ${seed}, ${n(data.log.length)} events (generate + ingest + load ${f(prepSeconds, 1)} s)`,
      '',
      '| check | result | baseline | seconds |',
      '| --- | ---: | ---: | ---: |',
      `| k-means (k = ${seg.k}) on ALS customer factors (clicks, checkouts; unit length) vs planted segment, ARI | ${f(seg.ari)} | 0 (chance) | ${f(seg.seconds, 1)} |`,
      `| same on raw ALS factors, ARI | ${f(seg.ariOther)} | 0 (chance) | |`,
      `| 20-neighbour vote of segment, accuracy (${n(seg.customers)} customers who clicked) | ${f(seg.voteAccuracy)} | ${f(seg.majorityAccuracy)} (majority) | |`,
      `| with displays (weight 0.1): ARI; vote (${n(shown.customers)} customers) | ${f(shown.ari)}; ${f(shown.voteAccuracy)} | 0; ${f(shown.majorityAccuracy)} | ${f(shown.seconds, 1)} |`,
      `| FM (${solver}, k 8, ${iterations} it.) click AUC, with context vs without | ${f(click.withContext.auc)} | ${f(click.withoutContext.auc)} | ${f(clickSeconds, 1)} |`,
      `| FM click log-loss, with context vs without | ${f(click.withContext.logloss, 4)} | ${f(click.withoutContext.logloss, 4)} | |`,
      `| same FM with k = 0 (logistic regression): click AUC, with context vs without | ${f(linear.withContext.auc)} | ${f(linear.withoutContext.auc)} | ${f(linearSeconds, 1)} |`,
      '',
      `Click set: ${n(click.train)} train / ${n(click.test)} test displays (per-customer random split of (customer, product) pairs), test click rate ${f(click.clickRate)}.`,
    ].join('\n');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
