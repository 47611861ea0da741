// `nextbest start` (what `npm start` runs) ends by serving: the dashboard it prints is reachable, and the
// API behind it answers on the synthetic bank data it loaded.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, scratchDir } from './run-cli.js';

let child: ChildProcess;
let printed: Promise<string>;

beforeAll(() => {
  child = spawn(process.execPath, [CLI, 'start', '--customers', '300', '--port', '0'], { cwd: scratchDir(), env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  printed = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const m = /^dashboard: (http:\/\/\S+)\/ /m.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`nextbest start ended (${code}) before printing the dashboard: ${out}`)));
  });
});

afterAll(() => {
  child?.kill('SIGTERM');
});

describe('nextbest start', () => {
  it('ends with the dashboard reachable at the URL it prints, over the data it loaded', async () => {
    const url = await printed;
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>nextbest dashboard</title>');
    expect((await fetch(`${url}/demo`)).status).toBe(200);
    const overview = await (await fetch(`${url}/v1/data/overview`)).json();
    expect(overview.counts.customers).toBe(300);
    expect(overview.holdings.months).toHaveLength(17);
  }, 180_000);
});
