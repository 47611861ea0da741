// `nextbest recommend --offers` and `nextbest export --offers` through the built CLI: the same lists,
// offers and expected values as the API's customer offers, and the offer columns of an export.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { offerStore } from '../helpers/offer-store.js';
import { buildServer, type ServedStore } from '../helpers/served-store.js';
import { runCli } from './run-cli.js';

let served: ServedStore;
const DAY = '2016-01-15';

beforeAll(async () => {
  served = await offerStore(300, 5);
}, 180_000);

/** Splits a CSV line on commas outside quotes. */
const fields = (line: string): string[] => Array.from(line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g), (m) => m[1]).slice(0, -1);

describe('recommend --offers', () => {
  it('gives the list, offers and expected values the API gives', async () => {
    const cli = runCli(['recommend', '--model', 'ease', '--customer', '1000001', '--customer', '1000002', '--k', '6', '--offers', '--ev-weight', '0.7', '--at', DAY, '--json'], served.dir);
    expect(cli.code, cli.stderr).toBe(0);
    const out = JSON.parse(cli.stdout);
    expect(out.model).toBe('ease');
    const app = await buildServer(served, { model: 'ease' });
    try {
      for (const c of out.customers) {
        const api = (await app.inject({ method: 'GET', url: `/v1/customers/${c.customer}/offers?k=6&evWeight=0.7&at=${DAY}` })).json();
        expect(c.recommendations).toEqual(api.recommendations);
        expect(c).toMatchObject({ acceptModel: 'fm-classification', evWeight: 0.7, at: `${DAY}T00:00:00.000Z` });
      }
    } finally {
      await app.close();
    }
    // Without --model the newest ranking model serves, though the accept / decline FM was saved after it.
    const text = runCli(['recommend', '--customer', '1000001', '--k', '3', '--offers', '--at', DAY], served.dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^1000001 — ease, offers running at 2016-01-15T00:00:00.000Z, P\(accept\) from fm-classification, ev weight 0.5/);
    expect(text.stdout).toMatch(/rank +product +score +offer +reward +p_accept +expected_value/);
  });

  it.each([
    [['--ev-weight', '1.5'], /^nextbest: .*--ev-weight must be a number from 0 to 1/],
    [['--at', 'soon'], /^nextbest: .*--at must be a date \(YYYY-MM-DD\) or an ISO 8601 time/],
    [['--accept-model', 'nope'], /^nextbest: no accept \/ decline model at .*nope\.nbm; run nextbest train --task classification --model fm first$/],
    [['--accept-model', 'ease'], /^nextbest: .*ease\.nbm holds a ranking model/],
  ])('refuses %j in one line', (args, message) => {
    const r = runCli(['recommend', '--model', 'ease', '--customer', '1000001', '--offers', ...args], served.dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });
});

describe('recommend --offers --rules', () => {
  it('passes the list through the business rules before the offers', () => {
    const args = ['recommend', '--model', 'ease', '--customer', '1000001', '--k', '6', '--offers', '--ev-weight', '0', '--at', DAY, '--json'];
    const plain = JSON.parse(runCli(args, served.dir).stdout).customers[0].recommendations.map((i: { product: string }) => i.product) as string[];
    writeFileSync(join(served.dir, 'ban-top.json'), JSON.stringify({ eligibility: [{ name: 'nobody', products: [plain[0]], minAge: 200 }] }));
    const r = runCli([...args, '--rules', 'ban-top.json'], served.dir);
    expect(r.code, r.stderr).toBe(0);
    const ruled = JSON.parse(r.stdout).customers[0].recommendations.map((i: { product: string }) => i.product) as string[];
    expect(ruled).toHaveLength(6);
    expect(ruled).not.toContain(plain[0]);
  });
});

describe('export --offers', () => {
  it('adds offer_id, reward, reward_value, p_accept and expected_value to the same rows, agreeing with recommend --offers', () => {
    const plain = runCli(['export', '--model', 'ease', '--k', '5', '--out', 'plain.csv'], served.dir);
    expect(plain.code, plain.stderr).toBe(0);
    const r = runCli(['export', '--model', 'ease', '--k', '5', '--out', 'offers.csv', '--offers', '--at', DAY, '--json'], served.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ customers: 300, rows: 1500 });
    const lines = readFileSync(join(served.dir, 'offers.csv'), 'utf8').trim().split('\n');
    const plainLines = readFileSync(join(served.dir, 'plain.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('customer,product,rank,score,reason,offer_id,reward,reward_value,p_accept,expected_value');
    const rows = lines.slice(1).map(fields);
    // The first five columns are the plain export's, row by row.
    expect(rows.map((f) => f.slice(0, 5))).toEqual(plainLines.slice(1).map(fields));
    const offered = rows.filter((f) => f[5] !== '');
    expect(offered.length).toBeGreaterThan(50);
    for (const f of offered) expect(Number(f[9])).toBeCloseTo(Number(f[7]) * Number(f[8]), 9);
    expect(rows.filter((f) => f[5] === '').every((f) => f.slice(5).every((v) => v === ''))).toBe(true);

    // One customer's offers as recommend --offers gives them with the recommender's order (ev weight 0).
    const customer = offered[0][0];
    const rec = JSON.parse(runCli(['recommend', '--model', 'ease', '--customer', customer, '--k', '5', '--offers', '--ev-weight', '0', '--at', DAY, '--json'], served.dir).stdout);
    const mine = rows.filter((f) => f[0] === customer);
    expect(rec.customers[0].recommendations.map((i: { product: string; offer: { id: string } | null; pAccept: number | null }) => [i.product, i.offer?.id ?? '', i.pAccept])).toEqual(
      mine.map((f) => [f[1], f[5], f[8] === '' ? null : Number(f[8])]),
    );
  });

  it('writes the offer columns to Parquet', () => {
    const r = runCli(['export', '--model', 'ease', '--k', '3', '--out', 'offers.parquet', '--offers', '--at', DAY, '--json'], served.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(served.dir, 'offers.parquet')).subarray(0, 4).toString()).toBe('PAR1');
  });
});
