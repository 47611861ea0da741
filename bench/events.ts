// Real-time events over HTTP: acknowledged events per second and time to acknowledgement with 1, 10
// and 100 concurrent producers against a real `nextbest serve` on 127.0.0.1, each producer sending one
// event per request (POST /v1/events) and waiting for its answer before the next, as an app does; and
// one row of 10 producers sending batches of 100 (POST /v1/events/batch). An answer means the event is
// durable (committed and fsynced). Afterwards the store must hold exactly the events acknowledged.
// BENCH_EVENTS_SECONDS (default 10) per row. The store is a DuckDB file in a scratch folder, or the
// PostgreSQL database a caller names (bench/postgres.ts).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/store/index.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
const seconds = Number(process.env.BENCH_EVENTS_SECONDS ?? 10);
const CUSTOMERS = 2000;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(body);
  });
}

interface Run {
  producers: number;
  perRequest: number;
  requests: number;
  events: number;
  seconds: number;
  latencies: number[];
}

/** `producers` loops, each sending requests of `perRequest` events back to back for `seconds`. */
async function run(base: string, producers: number, perRequest: number, tag: string): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: producers });
  const url = new URL(perRequest === 1 ? '/v1/events' : '/v1/events/batch', base);
  const latencies: number[] = [];
  let events = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: producers }, async (_, p) => {
      for (let i = 0; performance.now() < until; i++) {
        const batch = Array.from({ length: perRequest }, (_, j) => ({
          eventId: `${tag}-${p}-${i}-${j}`,
          customer: String(1000001 + ((p * 7919 + i * 101 + j) % CUSTOMERS)),
          product: `P${String(1 + ((i + j) % 24)).padStart(2, '0')}`,
          type: 'click',
          context: { page: 'offers', tod: 'evening' },
        }));
        const body = JSON.stringify(perRequest === 1 ? batch[0] : { events: batch });
        const t = performance.now();
        const status = await post(agent, url, body);
        if (status !== 200) throw new Error(`POST ${url.pathname} answered ${status}`);
        latencies.push(performance.now() - t);
        events += perRequest;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { producers, perRequest, requests: latencies.length, events, seconds: elapsed, latencies: latencies.sort((a, b) => a - b) };
}

export async function benchEvents(postgres?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'nextbest-bench-events-'));
  const storePath = postgres ?? join(dir, '.nextbest', 'store.duckdb');
  const cli = (args: string[]): void => void execFileSync(process.execPath, [CLI, ...args, '--store', storePath], { cwd: dir, stdio: 'ignore' });
  try {
    execFileSync(process.execPath, [CLI, 'generate', '--customers', String(CUSTOMERS), '--seed', '7', '--no-santander'], { cwd: dir, stdio: 'ignore' });
    cli(['ingest', join('.nextbest', 'synthetic')]);
    cli(['train', '--model', 'popularity']);
    const countEvents = async (): Promise<number> => {
      const s = await openStore(storePath, { mode: 'read' });
      try {
        return (await s.counts()).events;
      } finally {
        await s.close();
      }
    };
    const before = await countEvents();

    const server = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json', '--store', storePath], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: server.stdout }), 'line')) as [string];
    const base = JSON.parse(line).url as string;
    const runs: Run[] = [];
    try {
      for (const [producers, perRequest] of [[1, 1], [10, 1], [100, 1], [10, 100]]) runs.push(await run(base, producers, perRequest, `b${producers}x${perRequest}`));
    } finally {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    const acked = runs.reduce((n, r) => n + r.events, 0);
    const stored = (await countEvents()) - before;

    const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const lines = [
      `events over HTTP to nextbest serve on 127.0.0.1, ${postgres ? 'PostgreSQL' : 'DuckDB'} store (${seconds} s per row; an answer means durable):`,
      '| producers | events per request | requests | events acknowledged | events/s | ack p50 ms | ack p99 ms |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...runs.map(
        (r) =>
          `| ${r.producers} | ${r.perRequest} | ${fmt(r.requests)} | ${fmt(r.events)} | ${fmt(r.events / r.seconds)} | ` +
          `${fmt(percentile(r.latencies, 0.5), 2)} | ${fmt(percentile(r.latencies, 0.99), 2)} |`,
      ),
      `\nthe store holds ${fmt(stored)} new events for ${fmt(acked)} acknowledged${stored === acked ? '' : ' -- MISMATCH'}`,
    ];
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
