// `nextbest pipeline export` and `nextbest serve --pipeline` through the built CLI: the file holds the
// model, the rules as given and the store's offers; a tampered or truncated file is refused in one
// line; a server started from the pipeline (with the models folder gone) answers what a server of the
// saved model answers.
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPipeline } from '../../src/app/pipeline-file.js';
import { buildServer, servedStore, type ServedStore } from '../helpers/served-store.js';
import { CLI, runCli } from './run-cli.js';

let served: ServedStore;
const RULES = { eligibility: [{ name: 'no credit for minors', types: ['loan', 'mortgage'], minAge: 18 }], maxPerType: { default: 2 } };
const CUSTOMERS = ['1000001', '1000002', '1000003', 'NEVER-SEEN'];

beforeAll(() => {
  served = servedStore(['ease', 'als']);
  writeFileSync(join(served.dir, 'rules.json'), JSON.stringify(RULES));
}, 180_000);

const exportPipeline = (out: string, ...extra: string[]) => runCli(['pipeline', 'export', '--model', 'ease', '--out', out, ...extra], served.dir);

/** One line of stderr, exit 2, no stack. */
function refusedInOneLine(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l && !/FastifyWarning|trace-warnings/.test(l));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nextbest: /);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('nextbest pipeline export', () => {
  it('writes the model with its id maps and feature encoding, the rules as given and the store\'s offers', () => {
    const r = exportPipeline('ease.nbp', '--rules', 'rules.json', '--json');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    const offersCsv = readFileSync(join(served.dir, '.nextbest', 'synthetic', 'offers.csv'), 'utf8').trim().split('\n').slice(1);
    expect(summary).toMatchObject({ out: 'ease.nbp', rules: true, offers: offersCsv.length, model: { name: 'ease', model: 'ease', customers: 600 } });
    expect(summary.bytes).toBe(statSync(join(served.dir, 'ease.nbp')).size);
    const { header, trained } = readPipeline(join(served.dir, 'ease.nbp'));
    expect(header.rules).toEqual(RULES);
    expect(header.offers.map((o) => o.id)).toEqual(offersCsv.map((l) => l.split(',')[0]).sort());
    expect(header.offers[0].validFrom).toBeInstanceOf(Date);
    expect(trained.model.name).toBe('ease');
    expect(trained.customers.size).toBe(600);
    expect(trained.products.size).toBe(header.model.products);
  });

  it('refuses a rules file that is not JSON, and a model that does not exist, in one line', () => {
    writeFileSync(join(served.dir, 'broken.json'), '{ "rules": [');
    refusedInOneLine(exportPipeline('x.nbp', '--rules', 'broken.json'), /broken\.json: is not valid JSON/);
    refusedInOneLine(runCli(['pipeline', 'export', '--model', 'nope', '--out', 'x.nbp'], served.dir), /no model at .*nope\.nbm/);
  });
});

/** Starts `nextbest serve` in the scratch dir and resolves its URL once it listens. */
function startServer(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json', ...args], { cwd: served.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const { url } = JSON.parse(line);
      resolve({ url, stop: async () => void (child.kill('SIGTERM'), await exited) });
    });
  });
}

describe('nextbest serve --pipeline', () => {
  let reference: Record<string, unknown>;

  beforeAll(async () => {
    const app = await buildServer(served, { model: 'ease', rules: join(served.dir, 'rules.json') }); // the pipeline's rules serve too
    reference = {};
    for (const c of CUSTOMERS) reference[c] = (await app.inject({ method: 'GET', url: `/v1/customers/${c}/recommendations?k=5` })).json();
    reference.similar = (await app.inject({ method: 'GET', url: '/v1/products/P01/similar?k=4' })).json();
    await app.close();
  }, 60_000);

  it('answers the recommendations a server of the saved model gives, with the models folder gone', async () => {
    expect(exportPipeline('serve.nbp', '--rules', 'rules.json').code).toBe(0);
    renameSync(join(served.dir, '.nextbest', 'models'), join(served.dir, '.nextbest', 'models-away'));
    const server = await startServer(['--pipeline', 'serve.nbp']);
    try {
      for (const c of CUSTOMERS) {
        const body = await (await fetch(`${server.url}/v1/customers/${c}/recommendations?k=5`)).json();
        expect(body).toEqual(reference[c]);
      }
      expect(await (await fetch(`${server.url}/v1/products/P01/similar?k=4`)).json()).toEqual(reference.similar);
      expect(await (await fetch(`${server.url}/ready`)).json()).toMatchObject({ status: 'ready', model: 'ease', customers: 600 });
      const models = await (await fetch(`${server.url}/v1/models`)).json();
      expect(models).toMatchObject({ active: 'ease', activeFile: 'serve.nbp', models: [] });
    } finally {
      await server.stop();
      renameSync(join(served.dir, '.nextbest', 'models-away'), join(served.dir, '.nextbest', 'models'));
    }
  });

  it.each([
    ['a byte changed', (path: string) => {
      const bytes = readFileSync(path);
      bytes[Math.floor(bytes.length * 0.7)] ^= 0x01;
      writeFileSync(path, bytes);
    }],
    ['truncated', (path: string) => truncateSync(path, statSync(path).size - 100)],
  ])('refuses a pipeline with %s in one line and does not start', (_, damage) => {
    expect(exportPipeline('damaged.nbp').code).toBe(0);
    damage(join(served.dir, 'damaged.nbp'));
    refusedInOneLine(runCli(['serve', '--pipeline', 'damaged.nbp', '--port', '0'], served.dir), /damaged\.nbp is not a usable nextbest pipeline \(checksum mismatch/);
  });

  it('refuses --model with --pipeline, and a pipeline that does not exist, in one line', () => {
    refusedInOneLine(runCli(['serve', '--pipeline', 'serve.nbp', '--model', 'ease', '--port', '0'], served.dir), /--model or --pipeline, not both/);
    refusedInOneLine(runCli(['serve', '--pipeline', 'nothing.nbp', '--port', '0'], served.dir), /no pipeline at nothing\.nbp/);
  });
});
