// The Santander adds task through the server: a model trained with --task adds serves each customer's
// next-month adds as `nextbest recommend` ranks them, never a product the customer holds in the last month.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type App } from '../../src/server/build.js';
import { runCli, scratchDir } from '../cli/run-cli.js';

const dir = scratchDir();
let app: App;

const ok = (args: string[]): string => {
  const r = runCli(args, dir);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};

beforeAll(async () => {
  ok(['generate', '--customers', '1500', '--seed', '4', '--out', 'gen']);
  ok(['ingest', 'gen/santander.csv', '--format', 'santander']);
  ok(['train', '--task', 'adds', '--model', 'popularity', '--out', join('.nextbest', 'models', 'adds.nbm')]);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('an adds model through the server', () => {
  it('serves the lists nextbest recommend gives, without the products held in the last month', async () => {
    const customers = ['1000001', '1000002', '1000003', '1000004'];
    const cli = JSON.parse(ok(['recommend', '--model', 'adds', ...customers.flatMap((c) => ['--customer', c]), '--k', '7', '--json'])).customers as { customer: string; recommendations: { product: string }[] }[];
    app = await build({ store: join(dir, '.nextbest', 'store.duckdb'), model: 'adds' });
    // The last month's holdings, read from the generated file itself: its columns map to products.
    const columns = Object.fromEntries(readFileSync(join(dir, 'gen', 'santander-columns.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')));
    const lines = readFileSync(join(dir, 'gen', 'santander.csv'), 'utf8').trim().split('\n');
    // The 24 product columns end every row (a province name before them may hold a quoted comma).
    const header = lines[0].split(',').map((h) => h.replace(/"/g, '')).slice(-24);
    const rows = lines.slice(1).map((l) => l.split(','));
    const last = rows.reduce((m, r) => (r[0] > m ? r[0] : m), '');
    let checked = 0;
    for (const c of cli) {
      const r = await app.inject({ method: 'GET', url: `/v1/customers/${c.customer}/recommendations?k=7` });
      expect(r.statusCode, r.body).toBe(200);
      const served = r.json().recommendations.map((x: { product: string }) => x.product);
      expect(served).toEqual(c.recommendations.map((x) => x.product));
      const row = rows.find((f) => f[0] === last && f[1] === c.customer)?.slice(-24);
      const held = row ? header.flatMap((h, i) => (columns[h] && row[i].trim() === '1' ? [columns[h]] : [])) : [];
      for (const p of held) expect(served).not.toContain(p);
      checked += held.length;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
