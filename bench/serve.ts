// `BENCH=serve`: a real `nextbest serve` on 127.0.0.1 under autocannon (50 connections): /health, the
// trivial JSON route, then recommendations for random customers, on the same server in the same run.
// MovieLens 100k (../shared/data/ml-100k) with EASE and with ALS, and a synthetic catalogue of 20,000
// products with ALS (top-k through the usearch index). Aim: recommendations at least half the /health
// throughput, p99 under 20 ms. Stores and models are cached in bench/out/serve-*; BENCH_SERVE_SECONDS
// (default 20) sets each run's length.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { Rng } from '../src/core/rng.js';
import { FactorRecommender } from '../src/models/mf-common.js';
import { loadTrainedModel } from '../src/models/trained-model.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const CONNECTIONS = 50;
const seconds = Number(process.env.BENCH_SERVE_SECONDS ?? 20);

interface Case {
  what: string;
  dir: string;
  model: string;
  /** Customer ids to draw from. */
  customers: string[];
}

interface Measured {
  what: string;
  route: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
  /** The server's CPU time per answered request (user + system), independent of what else the machine runs. */
  cpuMicros: number;
}

function cli(bin: string, args: string[]): void {
  execFileSync(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A store holding `input` with the models trained (made once, then reused). */
function prepare(bin: string, dir: string, input: () => string, models: string[]): string {
  const store = join(dir, 'store.duckdb');
  if (!existsSync(store)) {
    mkdirSync(dir, { recursive: true });
    cli(bin, ['ingest', input(), '--store', store]);
  }
  for (const m of models) if (!existsSync(join(dir, 'models', `${m}.nbm`))) cli(bin, ['train', '--model', m, '--store', store]);
  return store;
}

/**
 * ratings.csv of a catalogue of `products` products: customers each rate 40 products, mostly from one
 * of 50 taste groups (popular ones more often), the rest anywhere.
 */
function syntheticCatalogue(dir: string, products: number, customers: number): string {
  const folder = join(dir, 'ratings');
  mkdirSync(folder, { recursive: true });
  const rng = new Rng(11);
  const groups = 50;
  const perGroup = products / groups;
  const lines = ['userId,movieId,rating,timestamp'];
  for (let c = 1; c <= customers; c++) {
    const group = Math.floor(rng.next() * groups);
    const seen = new Set<number>();
    while (seen.size < 40) {
      const inGroup = rng.next() < 0.8;
      const rank = Math.floor(perGroup * rng.next() ** 2); // popular products of a group more often
      seen.add(inGroup ? group * perGroup + rank : Math.floor(products * rng.next() ** 2));
    }
    for (const p of seen) lines.push(`${c},${p + 1},${1 + Math.floor(rng.next() * 5)},${1_600_000_000 + c}`);
  }
  writeFileSync(join(folder, 'ratings.csv'), `${lines.join('\n')}\n`);
  return folder;
}

/** Starts `nextbest serve` on a free port; resolves with its URL once it listens. */
export async function serve(bin: string, store: string, model: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), bin, 'serve', '--store', store, '--model', model, '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`nextbest serve exited with ${code}`)));
  });
  return { url: JSON.parse(first).url, child };
}

/** A process's CPU time so far in seconds (user + system, from /proc; 0 where there is none). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

async function load(what: string, url: string, pid: number, route: string, path: () => string): Promise<Measured> {
  const cpu = cpuSeconds(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, requests: [{ setupRequest: (req) => ({ ...req, path: path() }) }] });
  return {
    what,
    route,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.non2xx + r.errors + r.timeouts,
    cpuMicros: ((cpuSeconds(pid) - cpu) / r.requests.total) * 1e6,
  };
}

async function run(bin: string, store: string, c: Case): Promise<Measured[]> {
  const { url, child } = await serve(bin, store, c.model);
  try {
    const rng = new Rng(5);
    const health = await load(c.what, url, child.pid!, '/health', () => '/health');
    const recs = await load(c.what, url, child.pid!, 'recommendations', () => `/v1/customers/${c.customers[Math.floor(rng.next() * c.customers.length)]}/recommendations?k=10`);
    return [health, recs];
  } finally {
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await exited;
  }
}

/** How the usearch index of a saved factor model compares with scoring every product: build time, time per list, lists equal to the exact ones. */
function indexCheck(path: string, customers: number): string {
  const trained = loadTrainedModel(path);
  const model = trained.model;
  if (!(model instanceof FactorRecommender)) return '';
  const all = Int32Array.from({ length: customers }, (_, u) => u);
  const timed = <T>(work: () => T): [T, number] => {
    const t = performance.now();
    return [work(), performance.now() - t];
  };
  const [exact, exactMs] = timed(() => model.recommend(all, { k: 10, history: trained.history }));
  const [, buildMs] = timed(() => model.indexProducts());
  const [indexed, indexMs] = timed(() => model.recommend(all, { k: 10, history: trained.history }));
  const same = exact.filter((l, u) => String(l.items) === String(indexed[u].items) && String(l.scores) === String(indexed[u].scores)).length;
  const hits = exact.reduce((n, l, u) => n + [...l.items].filter((p) => indexed[u].items.includes(p)).length, 0);
  return (
    `usearch index of ${trained.products.size.toLocaleString('en-US')} ALS product factors: built in ${(buildMs / 1000).toFixed(1)} s; ` +
    `top-10 equal to the exact one for ${same} of ${customers} customers (recall@10 ${(hits / (10 * customers)).toFixed(4)}); ` +
    `${(indexMs / customers).toFixed(3)} ms per list against ${(exactMs / customers).toFixed(3)} ms scoring every product`
  );
}

export async function benchServe(benchOut: string): Promise<string> {
  const bin = resolve(here, '..', 'src', 'cli', 'main.js');
  const ml = resolve(repo, '..', 'shared', 'data', 'ml-100k');
  const rows: Measured[] = [];
  const cases: { store: string; c: Case }[] = [];
  if (existsSync(join(ml, 'u.data'))) {
    const dir = join(benchOut, 'serve-ml-100k');
    const store = prepare(bin, dir, () => ml, ['ease', 'als']);
    const customers = Array.from({ length: 943 }, (_, i) => String(i + 1));
    cases.push({ store, c: { what: 'ML-100k EASE', dir, model: 'ease', customers } }, { store, c: { what: 'ML-100k ALS', dir, model: 'als', customers } });
  } else console.log(`(MovieLens 100k not found at ${ml}: its rows are skipped)`);
  const synth = join(benchOut, 'serve-synthetic-20k');
  const synthCustomers = 10_000;
  const synthStore = prepare(bin, synth, () => syntheticCatalogue(synth, 20_000, synthCustomers), ['als']);
  cases.push({ store: synthStore, c: { what: 'synthetic 20,000 products ALS', dir: synth, model: 'als', customers: Array.from({ length: synthCustomers }, (_, i) => String(i + 1)) } });
  for (const { store, c } of cases) rows.push(...(await run(bin, store, c)));
  const note = indexCheck(join(synth, 'models', 'als.nbm'), 2000);

  const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    `| server (${CONNECTIONS} connections, ${seconds} s each) | route | req/s | p50 ms | p99 ms | failed | recs / health | server CPU µs per request |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const ratio = r.route === 'recommendations' ? fmt(r.requestsPerSecond / rows[i - 1].requestsPerSecond, 2) : '';
    lines.push(`| ${r.what} | ${r.route} | ${fmt(r.requestsPerSecond)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.failed} | ${ratio} | ${fmt(r.cpuMicros)} |`);
  }
  const [load1] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  return `${lines.join('\n')}\n\n${note}\nload average (1 min) at the end: ${load1} on ${availableParallelism()} cores`;
}
