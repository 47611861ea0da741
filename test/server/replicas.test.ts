// Several `nextbest serve` replicas on one PostgreSQL store, as real processes on 127.0.0.1, on a
// throwaway PostgreSQL server of this file's own (.ci/postgres.sh), so that stopping it stops no other
// test: an event acknowledged by one replica is in the next list from the other (read-through, bound
// zero); a model activated on one is served by the other within the poll interval (2 s); after kill -9
// of one replica under load the other keeps answering; with PostgreSQL stopped for 10 s under load
// both answer 503 STORE_UNAVAILABLE (on /ready too), recover without a restart, and every event
// acknowledged before, during or after the outage is stored exactly once.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../cli/run-cli.js';
import { testPostgres } from '../helpers/postgres.js';
import { startServe, type ServerProcess } from '../helpers/serve-process.js';

const available = testPostgres('the replica tests') !== null;
const SCRIPT = resolve('.ci/postgres.sh');
const POLL_MS = 2000;

let pgDir = '';
let url = '';
let dir = '';
const replicas: ServerProcess[] = [];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function replica(): Promise<ServerProcess> {
  const r = await startServe(dir, ['--store', url, '--model', 'ease']);
  replicas.push(r);
  return r;
}

async function get(base: string, path: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}${path}`);
  return { status: r.status, body: await r.json() };
}

async function post(base: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

const top5 = async (base: string, customer: string): Promise<{ products: string[]; liveEvents: boolean }> => {
  const r = await get(base, `/v1/customers/${customer}/recommendations?k=5`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { products: r.body.recommendations.map((x: { product: string }) => x.product), liveEvents: r.body.liveEvents };
};

describe.runIf(available)('replicas of nextbest serve on one PostgreSQL store', () => {
  beforeAll(() => {
    pgDir = execFileSync(SCRIPT, ['start'], { env: { ...process.env, PGPORT: String(55_000 + (process.pid % 1000)) }, encoding: 'utf8' }).trim();
    url = `postgres://postgres@127.0.0.1:${55_000 + (process.pid % 1000)}/nextbest`;
    dir = scratchDir();
    for (const args of [
      ['generate', '--customers', '300', '--seed', '5', '--no-santander'],
      ['ingest', join('.nextbest', 'synthetic'), '--store', url],
      ['train', '--model', 'ease', '--store', url],
      ['train', '--model', 'popularity', '--store', url],
    ]) {
      const r = runCli(args, dir);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 180_000);

  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    if (pgDir) execFileSync(SCRIPT, ['stop', pgDir]);
  });

  it('an event acknowledged by one replica is in the very next list from the other', async () => {
    const [a, b] = [await replica(), await replica()];
    for (const customer of ['1000004', '1000011', '1000027']) {
      const before = await top5(b.url, customer);
      const top = before.products[0];
      const sent = await post(a.url, '/v1/events', { eventId: `seen-${customer}`, customer, product: top, type: 'acquire' });
      expect(sent).toMatchObject({ status: 200, body: { accepted: 1 } });
      // No wait: B reads the customer's events from the store per request.
      const after = await top5(b.url, customer);
      expect(after.liveEvents).toBe(true);
      expect(after.products).not.toContain(top);
      expect(await top5(a.url, customer)).toEqual(after);
    }
  }, 60_000);

  it('a model activated on one replica is served by the other within the poll interval', async () => {
    const [a, b] = replicas;
    expect((await get(b.url, '/ready')).body.model).toBe('ease');
    const activated = await post(a.url, '/v1/models/popularity/activate', {});
    expect(activated).toMatchObject({ status: 200, body: { model: 'popularity', previous: 'ease' } });
    const start = Date.now();
    while ((await get(b.url, '/ready')).body.model !== 'popularity') {
      expect(Date.now() - start).toBeLessThan(POLL_MS + 3000);
      await sleep(50);
    }
    // A replica started later serves the recorded model, not its --model.
    const c = await startServe(dir, ['--store', url]);
    replicas.push(c);
    expect((await get(c.url, '/ready')).body.model).toBe('popularity');
  }, 60_000);

  it('kill -9 of one replica under load: the other keeps answering', async () => {
    const [a, b] = replicas;
    let stop = false;
    const failures: string[] = [];
    let answeredAfterKill = 0;
    let killed = false;
    const load = async (p: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const customer = String(1_000_001 + ((p * 37 + i) % 300));
        const r = i % 2 ? await get(b.url, `/v1/customers/${customer}/recommendations?k=5`) : await post(b.url, '/v1/events', { eventId: `k-${p}-${i}`, customer, product: 'P01', type: 'click' });
        if (r.status !== 200) failures.push(`${r.status} ${JSON.stringify(r.body)}`);
        else if (killed) answeredAfterKill++;
        // Load on the replica that is killed too; its answers stop when it dies.
        await fetch(`${a.url}/v1/customers/${customer}/recommendations?k=5`).catch(() => undefined);
      }
    };
    const producers = [0, 1, 2, 3].map(load);
    await sleep(1000);
    a.child.kill('SIGKILL');
    killed = true;
    expect(await a.exited).toBe('SIGKILL');
    await sleep(1500);
    stop = true;
    await Promise.all(producers);
    expect(failures).toEqual([]);
    expect(answeredAfterKill).toBeGreaterThan(20);
  }, 60_000);

  it('PostgreSQL stopped for 10 s under load: 503 STORE_UNAVAILABLE, recovery without restart, every acknowledged event stored exactly once', async () => {
    const b = replicas[1];
    const a = await replica();
    const servers = [a, b];
    const acked = new Set<string>();
    const pending = new Set<string>();
    const body = (id: string) => ({ eventId: id, customer: String(1_000_001 + (Number(id.split('-')[2]) % 300)), product: 'P02', type: 'click' });
    const codes = new Map<string, number>();
    let stop = false;
    const send = async (server: ServerProcess, id: string): Promise<void> => {
      const r = await post(server.url, '/v1/events', body(id));
      if (r.status === 200) {
        acked.add(id);
        pending.delete(id);
      } else {
        // A client retries an event it got no acknowledgement for, with the same id.
        pending.add(id);
        codes.set(`${r.status} ${r.body.code}`, (codes.get(`${r.status} ${r.body.code}`) ?? 0) + 1);
      }
    };
    const load = async (p: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        await send(servers[p % 2], `o-${p}-${i}`);
        await sleep(20);
      }
    };
    const producers = [0, 1, 2, 3].map(load);
    await sleep(1500);
    const ackedBefore = acked.size;
    execFileSync(SCRIPT, ['halt', pgDir]);
    const down = Date.now();
    await sleep(1000);
    for (const s of servers) {
      expect(await get(s.url, '/ready')).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE' } });
      expect(await get(s.url, '/v1/customers/1000004/recommendations?k=5')).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE' } });
    }
    await sleep(10_000 - (Date.now() - down));
    execFileSync(SCRIPT, ['resume', pgDir]);
    const up = Date.now();
    for (const s of servers) {
      while ((await get(s.url, '/ready')).status !== 200) {
        expect(Date.now() - up).toBeLessThan(10_000);
        await sleep(100);
      }
    }
    const recovered = Date.now() - up;
    await sleep(1500);
    stop = true;
    await Promise.all(producers);
    for (let round = 0; pending.size > 0 && round < 5; round++) for (const id of [...pending]) await send(a, id);
    expect(pending.size).toBe(0);
    expect(ackedBefore).toBeGreaterThan(0);
    expect(codes.get('503 STORE_UNAVAILABLE') ?? 0).toBeGreaterThan(0);
    expect([...codes.keys()]).toEqual(['503 STORE_UNAVAILABLE']);
    expect(recovered).toBeLessThan(10_000);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const stored = await client.query<{ id: string; n: string }>(`SELECT event_id AS id, count(*) AS n FROM events WHERE event_id LIKE 'o-%' GROUP BY event_id`);
    await client.end();
    expect(stored.rows.filter((r) => r.n !== '1')).toEqual([]);
    expect(new Set(stored.rows.map((r) => r.id))).toEqual(acked);
    // The recommendations answer again, from the same processes.
    for (const s of servers) {
      const r = await get(s.url, '/v1/customers/1000004/recommendations?k=5');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  }, 120_000);
});
