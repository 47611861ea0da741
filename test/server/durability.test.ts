// Durability with a real process: `nextbest serve` takes events from four concurrent producers (two
// sending one event per request, two batches of ten), is killed with SIGKILL mid-stream and started
// again. Every event it acknowledged is in the store exactly once; resending the acknowledged ids after
// the restart adds nothing; events whose answer the kill cut off are stored at most once.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../cli/run-cli.js';
import { servedStore, type ServedStore } from '../helpers/served-store.js';
import { storeRows } from '../helpers/store-rows.js';

let served: ServedStore;
const children = new Set<ChildProcess>();

beforeAll(() => {
  served = servedStore(['popularity'], 300, 11);
}, 120_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** Starts `nextbest serve --port 0 --json` on the scratch store; resolves with its URL once it listens. */
async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json'], { cwd: served.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => [null])]);
  expect(first[0], stderr).not.toBeNull();
  return { child, url: JSON.parse(first[0] as string).url as string };
}

interface SentEvent {
  eventId: string;
  customer: string;
  product: string;
  type: 'click';
}

const post = async (url: string, body: unknown): Promise<{ accepted: number; duplicates: string[] }> => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`${r.status} ${await r.text()}`);
  return (await r.json()) as { accepted: number; duplicates: string[] };
};

describe('events survive SIGKILL of the server', () => {
  it('every acknowledged event is stored exactly once, and resending acknowledged ids after a restart adds nothing', async () => {
    const first = await startServer();
    const acked = new Map<string, SentEvent>();
    /** Sent, but the kill cut the answer off: stored or not, at most once. */
    const unanswered = new Map<string, SentEvent>();
    let stop = false;
    let inFlight = 0;
    const producer = async (p: number): Promise<void> => {
      const batch = p >= 2 ? 10 : 1;
      for (let i = 0; !stop; i++) {
        const events: SentEvent[] = Array.from({ length: batch }, (_, j) => ({
          eventId: `dur-${p}-${i}-${j}`,
          customer: String(1000001 + ((p * 7919 + i * 31 + j) % 300)),
          product: `P${String(1 + ((i + j) % 24)).padStart(2, '0')}`,
          type: 'click',
        }));
        inFlight++;
        try {
          const r = batch === 1 ? await post(`${first.url}/v1/events`, events[0]) : await post(`${first.url}/v1/events/batch`, { events });
          expect(r).toEqual({ accepted: batch, duplicates: [] });
          for (const e of events) acked.set(e.eventId, e);
        } catch (e) {
          if (!stop) throw e;
          for (const ev of events) unanswered.set(ev.eventId, ev);
        } finally {
          inFlight--;
        }
      }
    };
    let failure: unknown = null;
    const producers = [0, 1, 2, 3].map((p) =>
      producer(p).catch((e: unknown) => {
        failure = e;
      }),
    );
    // Kill mid-stream: while every producer has a request in flight.
    while (acked.size < 1500 && failure === null) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    const inFlightAtKill = inFlight;
    first.child.kill('SIGKILL');
    await Promise.all([...producers, once(first.child, 'exit')]);
    if (failure !== null) throw failure;
    expect(inFlightAtKill).toBe(4);
    const ackedBeforeRestart = acked.size;

    const second = await startServer();
    const ids = [...acked.values()];
    for (let i = 0; i < ids.length; i += 1000) {
      const r = await post(`${second.url}/v1/events/batch`, { events: ids.slice(i, i + 1000) });
      expect(r).toEqual({ accepted: 0, duplicates: ids.slice(i, i + 1000).map((e) => e.eventId) });
    }
    second.child.kill('SIGTERM');
    const [code] = await once(second.child, 'exit');
    expect(code).toBe(0);

    const rows = (await storeRows(served.store, `SELECT event_id, customer_id, product_id, type, count(*) OVER (PARTITION BY event_id)
      FROM events WHERE event_id LIKE 'dur-%'`)) as [string, string, string, string, bigint][];
    const stored = new Map(rows.map(([id, customer, product, type, n]) => [id, { customer, product, type, n: Number(n) }]));
    expect(rows.every((r) => Number(r[4]) === 1)).toBe(true);
    expect(acked.size).toBe(ackedBeforeRestart);
    for (const [id, e] of acked) expect(stored.get(id), id).toEqual({ customer: e.customer, product: e.product, type: 'click', n: 1 });
    for (const id of stored.keys()) expect(acked.has(id) || unanswered.has(id), id).toBe(true);
  }, 120_000);
});
