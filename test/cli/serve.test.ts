// `nextbest serve` as a user runs it: it prints where it listens, answers over real HTTP, holds the
// store (a CLI command on it is refused in one line naming the route that does the same), stops on
// SIGTERM with exit code 0 and releases the store; a port in use is one line, exit 2.
import { cpSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedStore, type ServedStore } from '../helpers/served-store.js';
import { startServe, type ServerProcess } from '../helpers/serve-process.js';
import { runCli } from './run-cli.js';

let served: ServedStore;
let server: ServerProcess;

beforeAll(async () => {
  served = servedStore(['als']);
  server = await startServe(served.dir);
}, 120_000);

afterAll(() => {
  server?.child.kill('SIGKILL');
});

describe('nextbest serve', () => {
  it('answers recommendations over HTTP from the trained model', async () => {
    const r = await fetch(`${server.url}/v1/customers/1000003/recommendations?k=3`);
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ customer: '1000003', model: 'als' });
    expect(body.recommendations).toHaveLength(3);
  });

  it('makes a CLI command on the held store say which route does the same', () => {
    const r = runCli(['recommend', '--customer', '1000003'], served.dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`GET ${server.url}/v1/customers/{customer}/recommendations`);
  });

  it('refuses a store that does not exist, and a port in use, in one line each', () => {
    const missing = runCli(['serve', '--store', 'typo.duckdb'], served.dir);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/^nextbest: the store typo.duckdb does not exist; .*\n$/)]);
    cpSync(`${served.dir}/.nextbest/models`, `${served.dir}/copy/models`, { recursive: true });
    const copy = runCli(['ingest', '.nextbest/synthetic', '--store', 'copy/store.duckdb'], served.dir);
    expect(copy.code, copy.stderr).toBe(0);
    const busy = runCli(['serve', '--store', 'copy/store.duckdb', '--port', new URL(server.url).port], served.dir);
    expect([busy.code, busy.stderr]).toEqual([2, expect.stringMatching(/^nextbest: port \d+ on 127.0.0.1 is in use; .*\n$/)]);
  });

  it('stops on SIGTERM with exit code 0 and releases the store', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const r = runCli(['recommend', '--customer', '1000003', '--json'], served.dir);
    expect(r.code, r.stderr).toBe(0);
  });
});
