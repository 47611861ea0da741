// `nextbest recommend` for customers the model was not trained on: a real cold-start list (segment
// popularity, else global), flagged on stdout and noted on stderr; no --customer is a usage error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './run-cli.js';

interface Rec {
  customer: string;
  known: boolean;
  coldStart: { basis: string; segment: string | null; customers: number; inStore: boolean } | null;
  recommendations: { rank: number; product: string; score: number }[];
}

const csvRows = (path: string): string[][] => readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

/** Share of `members` with any event on each product, best first (ties: lower product id), from the generated files. */
function shares(events: string[][], members: Set<string>): [string, number][] {
  const pairs = new Set(events.filter((e) => members.has(e[0])).map((e) => `${e[0]}\t${e[3]}`));
  const count = new Map<string, number>();
  for (const p of pairs) count.set(p.split('\t')[1], (count.get(p.split('\t')[1]) ?? 0) + 1);
  return [...count].map(([p, n]): [string, number] => [p, n / members.size]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

describe('recommend for customers without training history', () => {
  const dir = scratchDir();
  let customers: string[][];
  let events: string[][];

  beforeAll(() => {
    expect(runCli(['generate', '--customers', '1500', '--seed', '3', '--out', 'data', '--no-santander'], dir).code).toBe(0);
    expect(runCli(['ingest', 'data'], dir).code).toBe(0);
    expect(runCli(['train', '--model', 'ease'], dir).code).toBe(0);
    customers = csvRows(join(dir, 'data', 'customers.csv'));
    events = csvRows(join(dir, 'data', 'events.csv'));
  });

  it('no --customer is a usage error', () => {
    const r = runCli(['recommend'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^nextbest: required option '--customer <id>' not specified/)]);
  });

  it('an unknown customer gets global popularity with its shares and a note', () => {
    const r = runCli(['recommend', '--customer', 'NOPE', '--k', '5', '--json'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^nextbest: note: customer NOPE is unknown .*share of all 1,500 training customers/)]);
    const [c] = JSON.parse(r.stdout).customers as Rec[];
    expect(c).toMatchObject({ customer: 'NOPE', known: false, coldStart: { basis: 'global', segment: null, customers: 1500, inStore: false } });
    const expected = shares(events, new Set(customers.map((row) => row[0]))).slice(0, 5);
    expect(c.recommendations.map((x) => x.product)).toEqual(expected.map(([p]) => p));
    c.recommendations.forEach((x, i) => expect(x.score).toBeCloseTo(expected[i][1], 5));
  });

  it('a stored customer without events gets the popularity of its segment', () => {
    const active = new Set(events.map((e) => e[0]));
    const cold = customers.find((row) => !active.has(row[0])) as string[];
    const segment = cold[3];
    const r = runCli(['recommend', '--customer', cold[0], '--customer', events[0][0], '--k', '5', '--json'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`customer ${cold[0]} has no training history; .* with segment=${segment} `));
    const [c, warm] = JSON.parse(r.stdout).customers as Rec[];
    const members = new Set(customers.filter((row) => row[3] === segment).map((row) => row[0]));
    expect(c.coldStart).toEqual({ basis: 'segment', segment, customers: members.size, inStore: true });
    const expected = shares(events, members).slice(0, 5);
    expect(c.recommendations.map((x) => x.product)).toEqual(expected.map(([p]) => p));
    c.recommendations.forEach((x, i) => expect(x.score).toBeCloseTo(expected[i][1], 5));
    expect(warm).toMatchObject({ known: true, coldStart: null });
    expect(warm.recommendations.length).toBeGreaterThan(0);
  });
});
