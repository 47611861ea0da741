// What the dashboard's heavier routes cost as the bank grows: GET /v1/data/overview (one pass over the
// events and the monthly holdings; then kept until the store's counts change), GET /v1/products/{id}
// (one pass over the events and the latest holdings) and the ALS customer projection, through
// app.inject() on synthetic banks of BENCH_DASHBOARD_CUSTOMERS (default 5,000 and 50,000) customers
// with their Santander holdings; time per request and the process's peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreAccess } from '../src/app/store-access.js';
import { trainModel } from '../src/app/train.js';
import { getLoader } from '../src/data/formats/index.js';
import { generateBankData } from '../src/data/generate/index.js';
import { build } from '../src/server/build.js';
import { openStore } from '../src/store/index.js';

const mib = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);

export async function benchDashboard(): Promise<string> {
  const sizes = (process.env.BENCH_DASHBOARD_CUSTOMERS ?? '5000,50000').split(',').map(Number);
  const lines = ['| customers | events | holdings | route | ms | peak RSS MiB |', '| ---: | ---: | ---: | --- | ---: | ---: |'];
  for (const customers of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-bench-dashboard-'));
    const path = join(dir, 'store.duckdb');
    try {
      await generateBankData({ customers, seed: 7, months: 17, outDir: join(dir, 'data'), santander: true });
      const store = await openStore(path);
      const access: StoreAccess = { name: path, exists: () => true, use: (work) => work(store) };
      await store.ingest(getLoader('bundle'), join(dir, 'data'));
      const counts = await store.counts();
      await trainModel(access, { model: 'als', params: {}, out: join(dir, 'models', 'als.nbm') });
      await store.close();
      const app = await build({ store: path, model: join(dir, 'models', 'als.nbm') });
      let peak = mib();
      for (const [what, url] of [
        ['GET /v1/data/overview (first)', '/v1/data/overview'],
        ['GET /v1/data/overview (kept)', '/v1/data/overview'],
        ['GET /v1/products/P01', '/v1/products/P01'],
        ['GET /v1/models/als/projection', '/v1/models/als/projection?clusters=6'],
      ]) {
        const t = performance.now();
        const r = await app.inject({ method: 'GET', url });
        const ms = performance.now() - t;
        if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
        peak = Math.max(peak, mib());
        lines.push(`| ${customers.toLocaleString('en-US')} | ${counts.events.toLocaleString('en-US')} | ${counts.holdings.toLocaleString('en-US')} | ${what} | ${ms.toFixed(0)} | ${peak} |`);
      }
      await app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return ['The dashboard\'s routes on synthetic banks with Santander holdings, through app.inject()', '', ...lines].join('\n');
}
