// The PostgreSQL store beside the embedded DuckDB one (BENCH=postgres): Santander-layout ingest
// (BENCH_PG_CUSTOMERS customers x 17 months, default 100,000; rows/s and the loading process's peak
// RSS, PostgreSQL's own memory not included) and live events/s with 1, 10 and 100 concurrent producers
// that each wait for their acknowledgement, on the live log and over HTTP to `nextbest serve` (bench/events.ts). PostgreSQL is NEXTBEST_BENCH_POSTGRES (a server URL; each
// run uses a database of its own, dropped after) or, when unset, a throwaway server .ci/postgres.sh starts.
// Then recommendations/s of `nextbest serve` on one PostgreSQL store (synthetic bank, BENCH_PG_REPLICA_CUSTOMERS
// customers, default 5,000, EASE): one replica under 50 connections, then two replicas under 25 each at once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSantanderFile } from '../src/data/generate/index.js';
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { Rng } from '../src/core/rng.js';
import { benchEvents } from './events.js';
import { serve } from './serve.js';
import { measureLiveLog } from './live-log.js';
import { databaseUrl, dropDatabase, withDatabase } from './pg-databases.js';

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPT = resolve(here, '..', '..', '.ci', 'postgres.sh');

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function ingestChild(store: string, input: string): { rows: number; seconds: number; peakRssMiB: number } {
  const out = execFileSync(process.execPath, [join(here, 'ingest-child.js'), 'santander', input, store], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop() as string) as { rows: number; seconds: number; peakRssMiB: number };
}

export async function benchPostgres(out: string): Promise<string> {
  const customers = Number(process.env.BENCH_PG_CUSTOMERS ?? 100_000);
  let server = process.env.NEXTBEST_BENCH_POSTGRES ?? '';
  let started = '';
  if (!server) {
    started = execFileSync(SCRIPT, ['start'], { env: { ...process.env, PGPORT: '54350' }, encoding: 'utf8' }).trim();
    server = 'postgres://postgres@127.0.0.1:54350/postgres';
  }
  try {
    const santander = join(out, `santander-${customers}x17.csv`);
    if (!existsSync(santander)) {
      await writeSantanderFile(santander + '.tmp', { customers, months: 17, seed: 7 });
      execFileSync('mv', [santander + '.tmp', santander]);
    }
    const lines = ['| store | what | rows | seconds | rows/s | peak RSS MiB (loader) |', '| --- | --- | ---: | ---: | ---: | ---: |'];
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-bench-pg-'));
    const duck = ingestChild(join(dir, 'store.duckdb'), santander);
    lines.push(`| DuckDB | ingest Santander ${fmt(customers)} x 17 | ${fmt(duck.rows)} | ${fmt(duck.seconds, 1)} | ${fmt(duck.rows / duck.seconds)} | ${fmt(duck.peakRssMiB)} |`);
    const pgRun = await withDatabase(server, `bench_ingest_${process.pid}`, (url) => ingestChild(url, santander));
    lines.push(`| PostgreSQL | ingest Santander ${fmt(customers)} x 17 | ${fmt(pgRun.rows)} | ${fmt(pgRun.seconds, 1)} | ${fmt(pgRun.rows / pgRun.seconds)} | ${fmt(pgRun.peakRssMiB)} |`);

    lines.push('', '| store | producers | events | events/s | events per commit | ack p50 ms | ack p99 ms |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const producers of [1, 10, 100]) {
      const duckStore = join(dir, `live-${producers}.duckdb`);
      const d = await measureLiveLog(duckStore, producers);
      lines.push(`| DuckDB | ${producers} | ${fmt(d.total)} | ${fmt(d.perSecond)} | ${d.perCommit.toFixed(1)} | ${d.p50.toFixed(2)} | ${d.p99.toFixed(2)} |`);
      const p = await withDatabase(server, `bench_live_${process.pid}_${producers}`, (url) => measureLiveLog(url, producers));
      lines.push(`| PostgreSQL | ${producers} | ${fmt(p.total)} | ${fmt(p.perSecond)} | ${p.perCommit.toFixed(1)} | ${p.p50.toFixed(2)} | ${p.p99.toFixed(2)} |`);
    }
    rmSync(dir, { recursive: true, force: true });
    lines.push('', await withDatabase(server, `bench_http_${process.pid}`, benchEvents));
    lines.push('', await replicas(server));
    return lines.join('\n');
  } finally {
    if (started) execFileSync(SCRIPT, ['stop', started]);
  }
}

/** Recommendations/s through one replica, then two on the same PostgreSQL store (synthetic bank, EASE). */
async function replicas(server: string): Promise<string> {
  const customers = Number(process.env.BENCH_PG_REPLICA_CUSTOMERS ?? 5000);
  const seconds = Number(process.env.BENCH_SERVE_SECONDS ?? 10);
  const bin = resolve(here, '..', 'src', 'cli', 'main.js');
  const home = mkdtempSync(join(tmpdir(), 'nextbest-bench-replicas-'));
  const db = `bench_replicas_${process.pid}`;
  const store = databaseUrl(server, db);
  const env = { ...process.env, NEXTBEST_HOME: home };
  const cli = (args: string[]) => execFileSync(process.execPath, [bin, ...args, '--store', store], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [bin, 'generate', '--customers', String(customers), '--no-santander', '--out', join(home, 'synthetic')], { stdio: 'ignore' });
  cli(['ingest', join(home, 'synthetic')]);
  cli(['train', '--model', 'ease']);
  const previous = process.env.NEXTBEST_HOME;
  process.env.NEXTBEST_HOME = home;
  const started: ChildProcess[] = [];
  try {
    const up = async () => {
      const s = await serve(bin, store, 'ease');
      started.push(s.child);
      return s.url;
    };
    const rng = new Rng(5);
    const path = () => `/v1/customers/${1_000_001 + Math.floor(rng.next() * customers)}/recommendations?k=10`;
    const cannon = (url: string, connections: number) =>
      autocannon({ url, connections, duration: seconds, requests: [{ setupRequest: (req) => ({ ...req, path: path() }) }] });
    const lines = ['| replicas | connections | recommendations/s | p50 ms | p99 ms | failed |', '| ---: | ---: | ---: | ---: | ---: | ---: |'];
    const a = await up();
    const one = await cannon(a, 50);
    lines.push(`| 1 | 50 | ${fmt(one.requests.average)} | ${one.latency.p50} | ${one.latency.p99} | ${one.non2xx + one.errors + one.timeouts} |`);
    const b = await up();
    const two = await Promise.all([cannon(a, 25), cannon(b, 25)]);
    const failed = two.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
    lines.push(`| 2 | 25 + 25 | ${fmt(two[0].requests.average + two[1].requests.average)} | ${Math.max(two[0].latency.p50, two[1].latency.p50)} | ${Math.max(two[0].latency.p99, two[1].latency.p99)} | ${failed} |`);
    return lines.join('\n');
  } finally {
    for (const c of started) c.kill('SIGTERM');
    await Promise.all(started.map((c) => new Promise((ok) => (c.exitCode !== null ? ok(null) : c.once('exit', ok)))));
    if (previous === undefined) delete process.env.NEXTBEST_HOME;
    else process.env.NEXTBEST_HOME = previous;
    await dropDatabase(server, db);
    rmSync(home, { recursive: true, force: true });
  }
}
