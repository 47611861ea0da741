import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateBankData, writeSantanderFile } from '../../src/data/generate/index.js';
import { generateInto, removeDir, tempDir } from './fixtures.js';

const FILES = ['customers.csv', 'products.csv', 'offers.csv', 'events.csv', 'santander.csv'];
const opts = { customers: 800, months: 5, santander: true };

describe('generateBankData reproducibility', () => {
  let a: string, b: string, c: string;

  beforeAll(async () => {
    [a, b, c] = [tempDir(), tempDir(), tempDir()];
    await generateInto(a, { ...opts, seed: 7 });
    await generateInto(b, { ...opts, seed: 7 });
    await generateInto(c, { ...opts, seed: 8 });
  });
  afterAll(() => [a, b, c].forEach(removeDir));

  it('writes byte-identical files for the same seed and options', () => {
    for (const f of FILES) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
  });

  it('writes different data for a different seed', () => {
    for (const f of ['customers.csv', 'offers.csv', 'events.csv', 'santander.csv'])
      expect(readFileSync(join(a, f)).equals(readFileSync(join(c, f))), f).toBe(false);
  });

  it('writeSantanderFile alone writes the same rows as generateBankData', async () => {
    const path = join(c, 'alone', 'santander.csv');
    const progress: number[] = [];
    const r = await writeSantanderFile(path, { customers: 800, months: 5, seed: 7, onProgress: (done, total) => progress.push(done / total) });
    const whole = readFileSync(join(a, 'santander.csv'));
    expect(readFileSync(path).equals(whole)).toBe(true);
    expect(r.bytes).toBe(whole.length);
    expect(r.rows).toBe(whole.toString('latin1').split('\n').length - 2);
    expect(progress.at(-1)).toBe(1);
  });
});

describe('generateBankData options', () => {
  it('reports counts, file paths and progress up to the total', async () => {
    const dir = tempDir();
    try {
      const seen: [number, number][] = [];
      const r = await generateBankData({ customers: 300, seed: 1, months: 3, outDir: dir, santander: false, onProgress: (d, t) => seen.push([d, t]) });
      expect(r.files.customers).toBe(join(dir, 'customers.csv'));
      expect(r.files.santander).toBeUndefined();
      expect(r.counts.customers).toBe(300);
      expect(r.counts.santanderRows).toBeUndefined();
      const eventLines = readFileSync(r.files.events, 'latin1').split('\n').length - 2;
      expect(r.counts.events).toBe(eventLines);
      const [done, total] = seen.at(-1)!;
      expect(done).toBe(total);
      for (let k = 1; k < seen.length; k++) expect(seen[k][0]).toBeGreaterThanOrEqual(seen[k - 1][0]);
    } finally {
      removeDir(dir);
    }
  });

  it('rejects bad sizes with BAD_ARGUMENT', async () => {
    const dir = tempDir();
    try {
      for (const bad of [{ customers: 0 }, { customers: 1.5 }, { months: 0 }, { months: 61 }, { seed: Number.NaN }])
        await expect(generateBankData({ customers: 10, seed: 1, outDir: dir, ...bad })).rejects.toMatchObject({ code: 'BAD_OPTION' });
      await expect(writeSantanderFile(join(dir, 's.csv'), { customers: -1, seed: 1 })).rejects.toMatchObject({ code: 'BAD_OPTION' });
      // A directory that cannot be created (a file is in the way) is the caller's to fix too.
      writeFileSync(join(dir, 'file'), '');
      await expect(generateBankData({ customers: 10, seed: 1, outDir: join(dir, 'file', 'out') })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    } finally {
      removeDir(dir);
    }
  });
});
