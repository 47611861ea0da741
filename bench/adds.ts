// The adds task (Santander) at scale: BENCH_ADDS_CUSTOMERS (default 1,000,000) customers x 17 months of
// generated holdings, ingested, then `evaluate --task adds` for the last month through the service layer:
// loading the holdings, each model's training (fit s) and ranking every customer of the month before
// (score s), with Kaggle MAP@7 beside them. Bootstrap intervals are off (they are not the task's cost).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { evaluateAdds } from '../src/app/evaluate.js';
import type { StoreAccess } from '../src/app/store-access.js';
import { getLoader } from '../src/data/formats/index.js';
import { writeSantanderFile } from '../src/data/generate/index.js';
import { MonthlyHoldings } from '../src/matrix/holdings.js';
import { openStore } from '../src/store/index.js';

export async function benchAdds(out: string): Promise<string> {
  const customers = Number(process.env.BENCH_ADDS_CUSTOMERS ?? 1_000_000);
  const models = (process.env.BENCH_ADDS_MODELS ?? 'popularity,item-knn,sims,ease,als,adds-logit').split(',');
  mkdirSync(out, { recursive: true });
  const rows: [string, number, string][] = [];
  // Each figure also goes to stderr as it is measured, so a run cut short still shows what it reached.
  const measured = (what: string, seconds: number, note: string): void => {
    rows.push([what, seconds, note]);
    console.error(`adds bench: ${what}: ${seconds.toFixed(1)} s (${note})`);
  };
  const file = join(out, `santander-${customers}x17.csv`);
  let t = performance.now();
  if (!existsSync(file)) {
    const g = await writeSantanderFile(file + '.tmp', { customers, months: 17, seed: 7 });
    execFileSync('mv', [file + '.tmp', file]);
    measured('generate the Santander file', (performance.now() - t) / 1000, `${g.rows.toLocaleString('en-US')} rows`);
  }
  const storePath = join(out, `bench-adds-${customers}.duckdb`);
  rmSync(storePath, { force: true });
  rmSync(storePath + '.wal', { force: true });
  const store = await openStore(storePath);
  try {
    t = performance.now();
    const ingest = await store.ingest(getLoader('santander'), file);
    measured('ingest (holdings + acquire/drop events)', (performance.now() - t) / 1000, `${ingest.accepted.toLocaleString('en-US')} rows`);
    t = performance.now();
    const h = await MonthlyHoldings.load(store.holdings());
    measured('load monthly holdings as customer state', (performance.now() - t) / 1000, `${h.customers.size.toLocaleString('en-US')} customers x ${h.months.length} months`);
    const access: StoreAccess = { name: storePath, exists: () => true, use: (work) => work(store) };
    t = performance.now();
    const { report } = await evaluateAdds(access, { models: models.map((name) => ({ name, params: {} })), k: 7, bootstrap: 0, reportDir: join(out, 'reports') });
    const total = (performance.now() - t) / 1000;
    for (const m of report.models)
      measured(`${m.name}: train / rank ${report.customers.toLocaleString('en-US')} customers`, m.fitSeconds + m.scoreSeconds, `fit ${m.fitSeconds.toFixed(1)} s, rank ${m.scoreSeconds.toFixed(1)} s; Kaggle MAP@7 ${m.metrics['kaggle-map@7'].toFixed(4)}`);
    measured('evaluate --task adds, all of it (holdings, training sets, metrics)', total, report.split);
  } finally {
    await store.close();
    rmSync(storePath, { force: true });
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  return [
    `Adds task (Santander), ${customers.toLocaleString('en-US')} customers x 17 months, seed 7; peak RSS ${peak.toFixed(0)} MiB`,
    '',
    '| step | seconds | note |',
    '| --- | ---: | --- |',
    ...rows.map(([what, s, note]) => `| ${what} | ${s.toFixed(1)} | ${note} |`),
  ].join('\n');
}
