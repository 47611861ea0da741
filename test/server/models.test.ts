// The model routes through app.inject(): the saved models with their evaluation figures, activation
// (a corrupt or truncated file refused while the previous model keeps serving; 200 requests during
// activations back and forth all answered, each from one whole model), background training to
// completion then activation, and a JSON 4xx for each kind of bad input.
import { copyFileSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/build.js';
import { runCli } from '../cli/run-cli.js';
import { buildServer, servedStore, type ServedStore } from '../helpers/served-store.js';

let served: ServedStore;
let app: App;
let models: string;

beforeAll(async () => {
  served = servedStore(['ease', 'als']);
  const evaluated = runCli(['evaluate', '--models', 'ease', '--k', '5', '--bootstrap', '50', '--json'], served.dir);
  expect(evaluated.code, evaluated.stderr).toBe(0);
  models = join(served.dir, '.nextbest', 'models');
  app = await buildServer(served, { model: 'ease' });
}, 180_000);

afterAll(async () => {
  await app?.close();
});

const inject = async (method: 'GET' | 'POST', url: string, payload?: object): Promise<{ status: number; body: any }> => {
  const r = await app.inject({ method, url, payload });
  return { status: r.statusCode, body: r.json() };
};

const listFor = async (customer: string): Promise<{ model: string; products: string[] }> => {
  const { status, body } = await inject('GET', `/v1/customers/${customer}/recommendations?k=5`);
  expect(status, JSON.stringify(body)).toBe(200);
  return { model: body.model, products: body.recommendations.map((r: { product: string }) => r.product) };
};

const activate = (name: string): Promise<{ status: number; body: any }> => inject('POST', `/v1/models/${name}/activate`);

describe('GET /v1/models', () => {
  it('lists each saved model with its parameters, size, training and the active one', async () => {
    const { status, body } = await inject('GET', '/v1/models');
    expect(status).toBe(200);
    expect(body.active).toBe('ease');
    expect(body.models.map((m: { name: string }) => m.name)).toEqual(['als', 'ease']);
    for (const m of body.models) {
      expect(m.active).toBe(m.name === 'ease');
      expect(m.model).toBe(m.name);
      expect(m.task).toBe('ranking');
      expect(m.bytes).toBe(statSync(join(models, `${m.name}.nbm`)).size);
      expect(m.trainedAtFrom).toBe('model');
      expect(Date.parse(m.trainedAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
      expect(m.split).toBeNull();
      expect(m.events).toBeGreaterThan(1000);
    }
    expect(body.models[0].params).toMatchObject({ factors: 32, iterations: 8 });
  });

  it('gives the figures of the newest evaluation of the same model and parameters, and null where none', async () => {
    const { body } = await inject('GET', '/v1/models');
    const reports = join(served.dir, '.nextbest', 'reports');
    const file = readdirSync(reports).find((f) => f.endsWith('.json')) as string;
    const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
    const ease = body.models.find((m: { name: string }) => m.name === 'ease');
    expect(ease.evaluation).toMatchObject({ report: file, split: report.split, k: 5, customers: report.customers });
    const evaluated = report.models.find((m: { name: string }) => m.name === 'ease');
    expect(ease.evaluation.metrics).toEqual(evaluated.metrics);
    expect(ease.evaluation.metrics['ndcg@5']).toBeGreaterThan(0);
    expect(body.models.find((m: { name: string }) => m.name === 'als').evaluation).toBeNull();
  });
});

describe('POST /v1/models/:name/activate', () => {
  it('swaps the model that answers recommendations', async () => {
    const before = await listFor('1000001');
    const r = await activate('als');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ model: 'als', previous: 'ease', customers: 600 });
    expect((await listFor('1000001')).model).toBe('als');
    expect((await inject('GET', '/ready')).body.model).toBe('als');
    expect((await activate('ease')).status).toBe(200);
    expect(await listFor('1000001')).toEqual(before);
  });

  it.each([
    ['corrupted', (path: string) => {
      const bytes = readFileSync(path);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      writeFileSync(path, bytes);
    }],
    ['truncated', (path: string) => truncateSync(path, Math.floor(statSync(path).size * 0.8))],
  ])('refuses a %s file with 409 CORRUPT_MODEL and keeps serving the previous model', async (what, damage) => {
    const before = await listFor('1000002');
    const path = join(models, `${what}.nbm`);
    copyFileSync(join(models, 'als.nbm'), path);
    damage(path);
    const r = await activate(what);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('CORRUPT_MODEL');
    expect(r.body.message).toMatch(/checksum|truncated/);
    expect((await inject('GET', '/ready')).body.model).toBe('ease');
    expect(await listFor('1000002')).toEqual(before);
    expect((await inject('GET', '/v1/models')).body.active).toBe('ease');
  });

  it('fails no request among 200 sent while activating back and forth, each answered by one whole model', async () => {
    const customers = Array.from({ length: 20 }, (_, n) => String(1000001 + n));
    const reference: Record<string, Record<string, string[]>> = { ease: {}, als: {} };
    for (const model of ['als', 'ease']) {
      expect((await activate(model)).status).toBe(200);
      for (const c of customers) reference[model][c] = (await listFor(c)).products;
    }
    // Ten waves of 20 requests, an activation started with each wave, the waves 10 ms apart.
    const requests: ReturnType<App['inject']>[] = [];
    const activations: Promise<{ status: number }>[] = [];
    for (let wave = 0; wave < 10; wave++) {
      for (let n = 0; n < 20; n++) requests.push(app.inject({ method: 'GET', url: `/v1/customers/${customers[n]}/recommendations?k=5` }));
      activations.push(activate(wave % 2 ? 'ease' : 'als'));
      await new Promise((r) => setTimeout(r, 10));
    }
    const answers = await Promise.all(requests);
    const switched = await Promise.all(activations);
    expect(switched.map((s) => s.status)).toEqual(Array(10).fill(200));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(200).fill(200));
    const used = new Set<string>();
    answers.forEach((a, n) => {
      const body = a.json();
      used.add(body.model);
      if (JSON.stringify(body.recommendations.map((r: { product: string }) => r.product)) !== JSON.stringify(reference[body.model][customers[n % 20]])) console.log('DIFF', n, body.model, JSON.stringify(body), JSON.stringify(reference.ease[customers[n % 20]]), JSON.stringify(reference.als[customers[n % 20]]));
      expect(body.recommendations.map((r: { product: string }) => r.product)).toEqual(reference[body.model][customers[n % 20]]);
    });
    expect(used).toEqual(new Set(['ease', 'als']));
    expect((await inject('GET', '/ready')).body.model).toBe('ease');
  });

  it.each([
    ['an unknown name', 'no-such-model', 404, 'MODEL_NOT_FOUND'],
    ['a path', '..%2Fstore', 400, 'BAD_OPTION'],
    ['a name too long', 'x'.repeat(200), 400, 'BAD_OPTION'],
  ])('answers %s with a JSON error', async (_, name, status, code) => {
    const r = await activate(name);
    expect([r.status, r.body.code]).toEqual([status, code]);
    expect((await inject('GET', '/ready')).body.model).toBe('ease');
  });
});

describe('POST /v1/models/train', () => {
  it('trains in the background with polled progress, then serves the model it activated', async () => {
    const started = await inject('POST', '/v1/models/train', { model: 'als', params: { factors: 8, iterations: 4 }, name: 'als-small', activate: true });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ state: 'queued', progress: 0, request: { model: 'als', params: { factors: '8', iterations: '4' }, name: 'als-small', activate: true } });
    const progress: number[] = [];
    let job = started.body;
    while (job.state === 'queued' || job.state === 'running') {
      await new Promise((r) => setTimeout(r, 5));
      const polled = await inject('GET', `/v1/models/jobs/${started.body.id}`);
      expect(polled.status).toBe(200);
      job = polled.body;
      progress.push(job.progress);
    }
    expect(job).toMatchObject({ state: 'done', phase: 'done', progress: 1, activated: true, error: null });
    expect(job.result).toMatchObject({ model: 'als', customers: 600, out: join(models, 'als-small.nbm') });
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    const list = (await inject('GET', '/v1/models')).body;
    expect(list.active).toBe('als-small');
    expect(list.models.find((m: { name: string }) => m.name === 'als-small').params).toMatchObject({ factors: 8, iterations: 4 });
    expect((await listFor('1000003')).model).toBe('als-small');
    expect((await activate('ease')).status).toBe(200);
  });

  it('fits in a worker thread a model equal to the one nextbest train fits in its own process', async () => {
    const reference = await Promise.all(['1000001', '1000005', '1000009'].map(listFor));
    expect(reference.map((r) => r.model)).toEqual(['ease', 'ease', 'ease']);
    const started = await inject('POST', '/v1/models/train', { model: 'ease', name: 'ease-bg', activate: true });
    let job = started.body;
    while (job.state === 'queued' || job.state === 'running') {
      await new Promise((r) => setTimeout(r, 5));
      job = (await inject('GET', `/v1/models/jobs/${job.id}`)).body;
    }
    expect(job).toMatchObject({ state: 'done', activated: true });
    const lists = await Promise.all(['1000001', '1000005', '1000009'].map(listFor));
    expect(lists.map((l) => l.model)).toEqual(['ease-bg', 'ease-bg', 'ease-bg']);
    expect(lists.map((l) => l.products)).toEqual(reference.map((r) => r.products));
    expect((await activate('ease')).status).toBe(200);
  });

  it('reports a job that fails on the data as failed, with the error', async () => {
    const started = await inject('POST', '/v1/models/train', { model: 'popularity', params: { mode: 'segment', segmentAttribute: 'no_such_attribute' } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let job = started.body;
    while (job.state === 'queued' || job.state === 'running') {
      await new Promise((r) => setTimeout(r, 5));
      job = (await inject('GET', `/v1/models/jobs/${job.id}`)).body;
    }
    expect(job.state).toBe('failed');
    expect(job.error.code).toMatch(/^[A-Z_]+$/);
    expect(job.error.code).not.toBe('INTERNAL');
    expect(job.activated).toBe(false);
    expect((await inject('GET', '/ready')).body.model).toBe('ease');
  });

  it.each([
    ['no body', undefined, 'BAD_OPTION'],
    ['an unknown model', { model: 'nope' }, 'BAD_OPTION'],
    ['a model that is not a string', { model: 3 }, 'BAD_OPTION'],
    ['a bad parameter', { model: 'als', params: { factors: -1 } }, 'BAD_PARAMETER'],
    ['an unknown parameter', { model: 'ease', params: { nope: 1 } }, 'BAD_PARAMETER'],
    ['a name with a path', { model: 'ease', name: '../evil' }, 'BAD_OPTION'],
    ['activate not a boolean', { model: 'ease', activate: 'yes' }, 'BAD_OPTION'],
  ])('refuses %s with 400 and starts no job', async (_, payload, code) => {
    const r = await inject('POST', '/v1/models/train', payload);
    expect([r.status, r.body.code]).toEqual([400, code]);
  });

  it('stops a running job when the server closes: failed with INTERRUPTED, nothing saved', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/models/train', payload: { model: 'als', params: { iterations: 50, factors: 128 }, name: 'als-cut' } });
    expect(r.statusCode).toBe(202);
    const jobs = app.nextbest.jobs;
    await app.close();
    const job = jobs.get(r.json().id);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED' } });
    expect(readdirSync(models)).not.toContain('als-cut.nbm');
    app = await buildServer(served, { model: 'ease' });
  });

  it('documents every model route in /openapi.json', async () => {
    const spec = (await inject('GET', '/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/models', '/v1/models/{name}/activate', '/v1/models/train', '/v1/models/jobs/{id}']));
  });

  it('answers an unknown job id with 404 JOB_NOT_FOUND', async () => {
    const r = await inject('GET', '/v1/models/jobs/no-such-job');
    expect([r.status, r.body.code]).toEqual([404, 'JOB_NOT_FOUND']);
  });
});
