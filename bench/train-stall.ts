// How long background training (POST /v1/models/train) holds up other requests: a server over a store
// answers GET /health in a loop (one request at a time, over HTTP on 127.0.0.1) while a model trains,
// and the table gives the /health latencies and the longest event-loop delay during the training,
// beside the same loop with no training. Stores: the synthetic bank data (BENCH_STALL_CUSTOMERS,
// default 5,000 customers, 24 products) and MovieLens 100K (1,682 products) when ../shared/data has it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { build } from '../src/server/build.js';
import { listen } from '../src/server/listen.js';

const CLI = resolve('dist', 'src', 'cli', 'main.js');

interface Loop {
  requests: number;
  p50: number;
  p99: number;
  max: number;
  /** Longest event-loop delay, ms. */
  loopMax: number;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** GET /health one after another until `done` resolves. */
async function healthLoop(url: string, done: Promise<unknown>): Promise<Loop> {
  let finished = false;
  void done.then(() => (finished = true));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const times: number[] = [];
  while (!finished) {
    const t = performance.now();
    const r = await fetch(`${url}/health`);
    await r.arrayBuffer();
    times.push(performance.now() - t);
  }
  delay.disable();
  times.sort((a, b) => a - b);
  return { requests: times.length, p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times[times.length - 1], loopMax: delay.max / 1e6 };
}

async function trainJob(url: string, model: string, params: Record<string, string | number>): Promise<{ seconds: number; state: string }> {
  const started = performance.now();
  const r = await fetch(`${url}/v1/models/train`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, params, name: `stall-${model}` }) });
  let job = (await r.json()) as { id: string; state: string };
  while (job.state === 'queued' || job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 20));
    job = (await (await fetch(`${url}/v1/models/jobs/${job.id}`)).json()) as { id: string; state: string };
  }
  return { seconds: (performance.now() - started) / 1000, state: job.state };
}

const cli = (cwd: string, ...args: string[]): void => void execFileSync(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore' });

async function measure(store: string, label: string, runs: [string, Record<string, string | number>][]): Promise<string[]> {
  const app = await build({ store });
  const url = await listen(app, { host: '127.0.0.1', port: 0 });
  const rows: string[] = [];
  const fmt = (l: Loop): string => `${l.requests.toLocaleString('en-US')} | ${l.p50.toFixed(2)} | ${l.p99.toFixed(2)} | ${l.max.toFixed(1)} | ${l.loopMax.toFixed(1)}`;
  rows.push(`| ${label} | (no training, 2 s) | | ${fmt(await healthLoop(url, new Promise((r) => setTimeout(r, 2000))))} |`);
  for (const [model, params] of runs) {
    let result = { seconds: 0, state: '' };
    const loop = await healthLoop(url, trainJob(url, model, params).then((r) => (result = r)));
    rows.push(`| ${label} | ${model} ${JSON.stringify(params)} | ${result.seconds.toFixed(2)} (${result.state}) | ${fmt(loop)} |`);
  }
  await app.close();
  return rows;
}

export async function benchTrainStall(): Promise<string> {
  const lines = [
    '| store | training | job s | /health requests | p50 ms | p99 ms | max ms | longest event-loop delay ms |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const customers = process.env.BENCH_STALL_CUSTOMERS ?? '5000';
  const bank = mkdtempSync(join(tmpdir(), 'nextbest-bench-stall-'));
  cli(bank, 'generate', '--customers', customers, '--seed', '7', '--no-santander');
  cli(bank, 'ingest', join('.nextbest', 'synthetic'));
  cli(bank, 'train', '--model', 'popularity');
  const runs: [string, Record<string, string | number>][] = [
    ['ease', {}],
    ['als', {}],
    ['als', { factors: 64, iterations: 15 }],
  ];
  lines.push(...(await measure(join(bank, '.nextbest', 'store.duckdb'), `bank ${Number(customers).toLocaleString('en-US')} customers`, runs)));
  rmSync(bank, { recursive: true, force: true });
  const ml = resolve('..', 'shared', 'data', 'ml-100k');
  if (existsSync(ml)) {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-bench-stall-ml-'));
    cli(dir, 'ingest', ml, '--format', 'movielens');
    cli(dir, 'train', '--model', 'popularity');
    lines.push(...(await measure(join(dir, '.nextbest', 'store.duckdb'), 'MovieLens 100K', runs)));
    rmSync(dir, { recursive: true, force: true });
  } else lines.push(`\nMovieLens 100K skipped: ${ml} is absent`);
  return lines.join('\n');
}
