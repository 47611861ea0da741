// Business rules' cost per request: recommendations for random synthetic bank customers through
// app.inject() (no network), EASE, without rules, with the README's example rules file, and with it
// and debug=true; p50 / p99 latency in ms and requests per second, one request at a time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreAccess } from '../src/app/store-access.js';
import { trainModel } from '../src/app/train.js';
import { getLoader } from '../src/data/formats/index.js';
import { generateBankData } from '../src/data/generate/index.js';
import { build } from '../src/server/build.js';
import { openStore } from '../src/store/index.js';
import { percentile } from './live-log.js';


/** The example rules file of the README's "Business rules" section. */
const readmeRules = (): string => {
  const example = /## Business rules[\s\S]*?```json\n([\s\S]*?)```/.exec(readFileSync('README.md', 'utf8'))?.[1];
  if (!example) throw new Error('README.md has no example rules file');
  return example;
};

export async function benchRules(): Promise<string> {
  const customers = Number(process.env.BENCH_RULES_CUSTOMERS ?? 20_000);
  const requests = Number(process.env.BENCH_RULES_REQUESTS ?? 2_000);
  const dir = mkdtempSync(join(tmpdir(), 'nextbest-bench-rules-'));
  const path = join(dir, 'store.duckdb');
  try {
    await generateBankData({ customers, seed: 7, months: 17, outDir: join(dir, 'data'), santander: false });
    const store = await openStore(path);
    const access: StoreAccess = { name: path, exists: () => true, use: (work) => work(store) };
    await store.ingest(getLoader('bundle'), join(dir, 'data'));
    await trainModel(access, { model: 'ease', params: {}, out: join(dir, 'ease.nbm') });
    await store.close();
    const rulesFile = join(dir, 'rules.json');
    writeFileSync(rulesFile, readmeRules());

    const lines = ['| rules | requests | p50 ms | p99 ms | requests/s |', '| --- | ---: | ---: | ---: | ---: |'];
    for (const [name, rules, query] of [
      ['none', undefined, 'k=10'],
      ['README example', rulesFile, 'k=10'],
      ['README example, debug=true', rulesFile, 'k=10&debug=true'],
    ] as const) {
      const app = await build({ store: path, model: join(dir, 'ease.nbm'), rules });
      const ids = Array.from({ length: requests }, (_, i) => String(1_000_001 + ((i * 7919) % customers)));
      for (const id of ids.slice(0, 50)) await app.inject({ method: 'GET', url: `/v1/customers/${id}/recommendations?${query}` }); // warm-up
      const times: number[] = [];
      const started = performance.now();
      for (const id of ids) {
        const t = performance.now();
        const r = await app.inject({ method: 'GET', url: `/v1/customers/${id}/recommendations?${query}` });
        if (r.statusCode !== 200) throw new Error(`${name}: ${r.statusCode} ${r.body}`);
        times.push(performance.now() - t);
      }
      const seconds = (performance.now() - started) / 1000;
      await app.close();
      times.sort((a, b) => a - b);
      lines.push(`| ${name} | ${requests.toLocaleString('en-US')} | ${percentile(times, 0.5).toFixed(2)} | ${percentile(times, 0.99).toFixed(2)} | ${Math.round(requests / seconds).toLocaleString('en-US')} |`);
    }
    return [`Synthetic bank, ${customers.toLocaleString('en-US')} customers, EASE, GET /v1/customers/:customer/recommendations through app.inject(), one at a time`, '', ...lines].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
