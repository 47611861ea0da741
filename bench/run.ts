// `npm run bench`: ingest speed (rows/s) and peak memory on generated data, and fit / scoring time per
// model on ML-TOPN, printed as tables. BENCH_CUSTOMERS (default 1,000,000) customers x 17 months of
// Santander-layout snapshots, plus an event-CSV bundle of BENCH_EVENT_CUSTOMERS (default 100,000)
// customers. Generated files are cached in bench/out/ (git-ignored) and reused. BENCH=ingest,
// BENCH=live, BENCH=events, BENCH=models, BENCH=fm, BENCH=kernels, BENCH=planted, BENCH=scaling, BENCH=train-stall,
// BENCH=context, BENCH=rules, BENCH=sequential, BENCH=two-tower (bench/two-tower.ts), BENCH=serve (the HTTP server under load,
// bench/serve.ts), BENCH=adds (the Santander adds task, BENCH_ADDS_CUSTOMERS, default 1,000,000), BENCH=dashboard
// (the dashboard's routes) or BENCH=postgres (the PostgreSQL store beside DuckDB: Santander ingest and live events/s,
// bench/postgres.ts) runs one part.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBankData, writeSantanderFile } from '../src/data/generate/index.js';
import { benchEvents } from './events.js';
import { benchContext } from './context.js';
import { benchDashboard } from './dashboard.js';
import { benchAdds } from './adds.js';
import { benchFmRating } from './fm-rating.js';
import { benchKernels } from './kernels.js';
import { benchLiveLog } from './live-log.js';
import { benchModels } from './models.js';
import { benchPlanted } from './planted.js';
import { benchRules } from './rules.js';
import { benchScaling } from './scaling.js';
import { benchSequential } from './sequential.js';
import { benchTrainStall } from './train-stall.js';
import { benchServe } from './serve.js';
import { benchTwoTower } from './two-tower.js';
import { benchPostgres } from './postgres.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '..', '..', 'bench', 'out');
mkdirSync(out, { recursive: true });
const customers = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const eventCustomers = Number(process.env.BENCH_EVENT_CUSTOMERS ?? 100_000);
const KAGGLE_ROWS = 13_647_309;

interface Row {
  what: string;
  rows: number;
  seconds: number;
  peakRssMiB?: number;
  note?: string;
}
const rows: Row[] = [];

function ingest(what: string, format: string, input: string, note?: string): void {
  const store = join(out, `bench-${format}.duckdb`);
  rmSync(store, { force: true });
  rmSync(store + '.wal', { force: true });
  const stdout = execFileSync(process.execPath, [join(here, 'ingest-child.js'), format, input, store], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const r = JSON.parse(stdout.trim().split('\n').pop() as string);
  rows.push({ what, rows: r.rows, seconds: r.seconds, peakRssMiB: r.peakRssMiB, note });
  rmSync(store, { force: true });
}

async function benchIngest(): Promise<void> {
  const santander = join(out, `santander-${customers}x17.csv`);
  if (!existsSync(santander)) {
    const t = performance.now();
    const g = await writeSantanderFile(santander + '.tmp', { customers, months: 17, seed: 7 });
    execFileSync('mv', [santander + '.tmp', santander]);
    rows.push({ what: 'generate Santander file', rows: g.rows, seconds: (performance.now() - t) / 1000, note: `${(g.bytes / 2 ** 30).toFixed(2)} GiB` });
  }
  ingest('ingest Santander (snapshots -> holdings + acquire/drop)', 'santander', santander, `file ${(statSync(santander).size / 2 ** 30).toFixed(2)} GiB`);
  const s = rows[rows.length - 1];
  const projected = KAGGLE_ROWS / (s.rows / s.seconds);

  const bundle = join(out, `bundle-${eventCustomers}`);
  if (!existsSync(join(bundle, 'events.csv'))) {
    await generateBankData({ customers: eventCustomers, seed: 7, months: 17, outDir: bundle, santander: false });
  }
  ingest('ingest event CSV bundle (customers, products, offers, events)', 'bundle', bundle);

  const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    '| what | rows | seconds | rows/s | peak RSS MiB | note |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) =>
      `| ${r.what} | ${fmt(r.rows)} | ${fmt(r.seconds, 1)} | ${fmt(r.rows / r.seconds)} | ${r.peakRssMiB ? fmt(r.peakRssMiB) : ''} | ${r.note ?? ''} |`,
    ),
  ];
  console.log(lines.join('\n'));
  console.log(
    `\nprojected for the real Santander train_ver2.csv (${fmt(KAGGLE_ROWS)} rows): ${fmt(projected, 1)} s at the measured rate ` +
      `(aim: under 60 s and 2 GiB)`,
  );
}

const part = process.env.BENCH;
if (!part || part === 'ingest') await benchIngest();
if (!part || part === 'live') console.log(`\n${await benchLiveLog()}`);
if (!part || part === 'events') console.log(`\n${await benchEvents()}`);
if (!part || part === 'models') console.log(`\n${await benchModels()}`);
if (!part || part === 'fm') console.log(`\n${benchFmRating()}`);
if (!part || part === 'kernels') console.log(`\n${await benchKernels()}`);
if (!part || part === 'planted') console.log(`\n${await benchPlanted()}`);
if (!part || part === 'scaling') console.log(`\n${await benchScaling()}`);
if (!part || part === 'train-stall') console.log(`\n${await benchTrainStall()}`);
if (!part || part === 'context') console.log(`\n${await benchContext()}`);
if (!part || part === 'rules') console.log(`\n${await benchRules()}`);
if (!part || part === 'sequential') console.log(`\n${await benchSequential()}`);
if (!part || part === 'serve') console.log(`\n${await benchServe(out)}`);
if (!part || part === 'adds') console.log(`\n${await benchAdds(out)}`);
if (!part || part === 'dashboard') console.log(`\n${await benchDashboard()}`);
if (!part || part === 'two-tower') console.log(`\n${await benchTwoTower()}`);
if (!part || part === 'postgres') console.log(`\n${await benchPostgres(out)}`);
