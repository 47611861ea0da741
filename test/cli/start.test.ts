import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './run-cli.js';

describe('nextbest start (npm start)', () => {
  it('generates, ingests and summarises the synthetic bank on the embedded default; a rerun adds nothing', () => {
    const dir = scratchDir();
    const r = runCli(['start', '--customers', '400'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d[\d,]* accepted, 0 rejected$/m);
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
    const again = JSON.parse(runCli(['start', '--customers', '400', '--json'], dir).stdout);
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
