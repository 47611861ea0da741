import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './run-cli.js';

describe('nextbest start (npm start)', () => {
  it('generates, ingests and summarises the synthetic bank on the embedded default; a rerun adds nothing', () => {
    const dir = scratchDir();
    const r = runCli(['start', '--customers', '400', '--no-serve'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d[\d,]* accepted, 0 rejected$/m);
    expect(r.stdout).toMatch(/^\(rows below are the input's rows of every kind: customers, products, offers, events/m);
    // It ends by saying where the reports are and what to run next, with a customer of the store.
    const reports = /^reports: (\S+\.md) and (\S+\.json)$/m.exec(r.stdout);
    expect(reports).not.toBeNull();
    for (const f of (reports as RegExpExecArray).slice(1)) expect(existsSync(join(dir, f))).toBe(true);
    const next = r.stdout.slice(r.stdout.lastIndexOf('\nnext:\n'));
    const customer = /npx nextbest recommend --customer (\S+) --k 10/.exec(next)?.[1] as string;
    expect(next).toMatch(/npx nextbest evaluate .*# compare models \(reports in \.nextbest\/reports\)/);
    const rec = runCli(['recommend', '--customer', customer, '--json'], dir);
    expect(JSON.parse(rec.stdout).customers[0]).toMatchObject({ customer, known: true });
    expect(existsSync(join(dir, '.nextbest', 'store.duckdb'))).toBe(true);
    const stats = JSON.parse(runCli(['stats', '--json'], dir).stdout);
    expect(stats.customers).toBe(400);
    expect(stats.coldCustomers).toBeGreaterThan(0);
    expect(stats.products).toBeGreaterThanOrEqual(20);
    expect(stats.products).toBeLessThanOrEqual(30);
    expect(stats.offers).toBeGreaterThan(0);
    const { display, click, checkout } = stats.eventsByType;
    expect(display).toBeGreaterThan(click);
    expect(click).toBeGreaterThan(checkout);
    const again = JSON.parse(runCli(['start', '--customers', '400', '--json', '--no-serve'], dir).stdout);
    expect(again.ingest.added).toEqual({ customers: 0, products: 0, events: 0, holdings: 0 });
    expect(again.stats.events).toBe(stats.events);
  });

  it('generate writes the event CSV, the catalogue and the Santander layout, reproducibly', () => {
    const dir = scratchDir();
    const a = JSON.parse(runCli(['generate', '--customers', '300', '--out', 'a', '--json'], dir).stdout);
    const b = JSON.parse(runCli(['generate', '--customers', '300', '--out', 'b', '--json'], dir).stdout);
    expect(a.counts).toEqual(b.counts);
    expect(a.counts.santanderRows).toBeGreaterThan(300);
    const ingested = JSON.parse(runCli(['ingest', join('a', 'santander.csv'), '--json'], dir).stdout);
    expect(ingested).toMatchObject({ format: 'santander', rejected: 0, customers: 300 });
    expect(ingested.events).toBeGreaterThan(0); // acquisitions and drops between months
  });
});
