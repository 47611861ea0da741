import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../helpers/shared-data.js';
import { runCli, scratchDir } from './run-cli.js';

const ml = sharedData('ml-100k');
const santander = sharedData('santander-sample/train_ver2_head9999.csv');

describe('nextbest ingest', () => {
  it.skipIf(!ml.present)('MovieLens 100K: 100,000 events, 943 customers, 1,682 products, with attributes', () => {
    const dir = scratchDir();
    const r = runCli(['ingest', '--format', 'movielens', ml.path, '--json'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ accepted: 102625, rejected: 0, events: 100000, customers: 943, products: 1682, rejectsFile: null });
    const stats = JSON.parse(runCli(['stats', '--json'], dir).stdout);
    expect(stats.eventsByType).toEqual({ rating: 100000 });
    expect(stats.customerAttributes.map((a: { name: string }) => a.name)).toEqual(
      expect.arrayContaining(['age', 'gender', 'occupation']),
    );
  });

  it.skipIf(!santander.present)('Santander sample: 9,999 customers and their holdings, in a named store', () => {
    const dir = scratchDir();
    const r = runCli(['ingest', '--format', 'santander', santander.path, '--store', 'san.duckdb'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('9,999 accepted, 0 rejected');
    const stats = JSON.parse(runCli(['stats', '--json', '--store', 'san.duckdb'], dir).stdout);
    expect(stats).toMatchObject({ customers: 9999, products: 24, holdings: 11999 });
  });

  it('a CSV with broken rows loads the good ones and says so in one line; a wrong file loses nothing', () => {
    const dir = scratchDir();
    writeFileSync(
      join(dir, 'log.csv'),
      [
        'Idcol,interaction,int_date,item,item_type,item_descrip,segment,beh_segment,active_ind,page,tod',
        'C1,DISPLAY,2016-01-02 10:00:00,P1,card,Gold card,MASS,DIGITAL,1,home,morning',
        'C1,CLICKED,2016-01-02 10:00:05,P1,card,Gold card,MASS,DIGITAL,1,home,morning',
        'C2,CLICK,2016-01-02 10:00:05,P1,card,Gold card,MASS,DIGITAL,1,home',
        'C2,CHECKOUT,2016-01-02 10:09:05,P1,card,Gold card,MASS,DIGITAL,1,home,evening',
      ].join('\n'),
    );
    const r = runCli(['ingest', 'log.csv', '--rejects', 'bad.csv'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 accepted, 2 rejected$/m);
    expect(r.stdout).toContain('bad.csv');
    const rejects = readFileSync(join(dir, 'bad.csv'), 'utf8').trim().split('\n');
    expect(rejects.slice(1).map((l) => l.split(',')[0])).toEqual(['3', '4']);

    writeFileSync(join(dir, 'other.csv'), 'a;b;c\n1;2;3\n');
    const wrong = runCli(['ingest', '--format', 'events', 'other.csv'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    const stats = JSON.parse(runCli(['stats', '--json'], dir).stdout);
    expect(stats).toMatchObject({ customers: 2, events: 2 });
  });
});

describe('nextbest export-libfm', () => {
  it('writes libFM text that ingests back into the same events', () => {
    const dir = scratchDir();
    writeFileSync(
      join(dir, 'log.csv'),
      [
        'Idcol,interaction,int_date,item,page,tod',
        'C1,DISPLAY,2016-01-02 10:00:00,P1,home,morning',
        'C2,CHECKOUT,2016-01-03 10:00:00,P2,offers,evening',
      ].join('\n'),
    );
    expect(runCli(['ingest', 'log.csv'], dir).code).toBe(0);
    const out = runCli(['export-libfm', '--out', 'log.libfm', '--json'], dir);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ rows: 2, features: 8 }); // 2 customers, 2 products, 4 context values
    expect(readFileSync(join(dir, 'log.libfm'), 'utf8').trim().split('\n')).toHaveLength(2);
    const back = JSON.parse(runCli(['ingest', 'log.libfm', '--store', 'back.duckdb', '--json'], dir).stdout);
    expect(back).toMatchObject({ format: 'libfm', accepted: 2, customers: 2, products: 2, events: 2 });
  });
});
