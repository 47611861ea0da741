// `--rules FILE` on the CLI: recommend applies the rules; a bad file fails serve and recommend with one
// line naming the field (exit 2, no stack), before the store is opened.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/data/generate/catalogue.js';
import { servedStore, type ServedStore } from '../helpers/served-store.js';
import { runCli } from './run-cli.js';

let served: ServedStore;

beforeAll(() => {
  served = servedStore(['ease']);
  writeFileSync(join(served.dir, 'bad.json'), JSON.stringify({ caps: [{ displays: 3, days: 'seven' }] }));
  writeFileSync(join(served.dir, 'broken.json'), '{"caps": [');
  writeFileSync(join(served.dir, 'one-per-type.json'), JSON.stringify({ maxPerType: { default: 1 } }));
}, 180_000);

const typeOf = (p: string): string | undefined => CATALOGUE.find((c) => c.id === p)?.type;

describe('--rules', () => {
  it('recommend applies the rules file (at most one product of a type)', () => {
    const r = runCli(['recommend', '--customer', '1000001', '--k', '7', '--rules', 'one-per-type.json', '--json'], served.dir);
    expect(r.code, r.stderr).toBe(0);
    const products = JSON.parse(r.stdout).customers[0].recommendations.map((x: { product: string }) => x.product);
    expect(products).toHaveLength(7);
    expect(new Set(products.map(typeOf)).size).toBe(7);
    expect(JSON.parse(r.stdout).customers[0].debug).toBeUndefined();
    const debug = runCli(['recommend', '--customer', '1000001', '--k', '7', '--rules', 'one-per-type.json', '--debug'], served.dir);
    expect(debug.code, debug.stderr).toBe(0);
    expect(debug.stdout).toMatch(/^ {2}removed P\d\d \(maxPerType: the list already holds 1 products of type \w+\)$/m);
  });

  it.each([
    ['recommend', ['recommend', '--customer', '1000001']],
    ['serve', ['serve', '--port', '0']],
  ])('%s with a bad rules file: one line naming the field, exit 2', (_, args) => {
    const bad = runCli([...args, '--rules', 'bad.json'], served.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('nextbest: bad.json: caps[0].days must be a positive number; fix the rules file\n');
    const broken = runCli([...args, '--rules', 'broken.json'], served.dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^nextbest: broken\.json: is not valid JSON \([^\n]+\); fix the rules file\n$/);
    const missing = runCli([...args, '--rules', 'nope.json'], served.dir);
    expect([missing.code, missing.stderr]).toEqual([2, 'nextbest: the rules file nope.json does not exist; check --rules\n']);
  });
});
