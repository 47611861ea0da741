// The fixed ML-100K splits (ML-TOPN, ML-NEXT) read exactly, and reproduced by randomSplit / leaveLastOut.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLogBuilder, type EventLog } from '../../../src/matrix/index.js';
import {
  activeCustomers,
  assertNoLeakage,
  leaveLastOut,
  randomSplit,
  splitBySpec,
  splitFromFiles,
  type Split,
} from '../../../src/matrix/splits/index.js';
import { sharedData } from '../../helpers/shared-data.js';

const random = sharedData('ml-100k/splits/random-75-25');
const llo = sharedData('ml-100k/splits/leave-last-out');
const udata = sharedData('ml-100k/u.data');
const u1 = sharedData('ml-100k/u1.base');

/** "user\titem\trating\ttimestamp" per event, sorted: the fixed split files' own line format. */
const lines = (log: EventLog): string[] =>
  Array.from(
    { length: log.length },
    (_, i) => `${log.customers.id(log.customer[i])}\t${log.products.id(log.product[i])}\t${log.value[i]}\t${log.time[i]}`,
  ).sort();
const fileLines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter(Boolean).sort();

/** u.data rows sorted by (user, item), as make_splits.js visits them. */
function uDataLog(): EventLog {
  const rows = fileLines(udata.path).map((l) => l.split('\t').map(Number));
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const b = new EventLogBuilder();
  for (const [u, i, r, t] of rows) b.add(String(u), String(i), t, 'rating', r);
  return b.build();
}

const expectSameAsFiles = (s: Split, dir: string): void => {
  expect(lines(s.train)).toEqual(fileLines(join(dir, 'train.tsv')));
  expect(lines(s.test)).toEqual(fileLines(join(dir, 'test.tsv')));
};

describe('ML-100K fixed splits', () => {
  it.skipIf(!random.present)('random-75-25 (ML-TOPN): 75,353 / 24,647 events, 943 users, no shared pair', async () => {
    const s = await splitFromFiles(join(random.path, 'train.tsv'), join(random.path, 'test.tsv'));
    expect(s.train.length).toBe(75_353);
    expect(s.test.length).toBe(24_647);
    expect(activeCustomers(s.train)).toBe(943);
    expect(activeCustomers(s.test)).toBe(943);
    expect(s.train.customers.size).toBe(943);
    expect(s.train.customers.id(0)).toBe('1');
    expect(s.train.customers.id(942)).toBe('943');
    expect(s.train.products.ids().every((id, i) => id === String(i + 1))).toBe(true); // 1..1682 with no gaps
    expect(() => assertNoLeakage(s, { what: 'pairs' })).not.toThrow();
    expectSameAsFiles(s, random.path);
  });

  it.skipIf(!llo.present)('leave-last-out (ML-NEXT): 99,057 / 943 events, one per user', async () => {
    const s = await splitBySpec(`files:${join(llo.path, 'train.tsv')},${join(llo.path, 'test.tsv')}`);
    expect(s.train.length).toBe(99_057);
    expect(s.test.length).toBe(943);
    expect(activeCustomers(s.train)).toBe(943);
    expect(activeCustomers(s.test)).toBe(943);
    expect(() => assertNoLeakage(s)).not.toThrow();
  });

  it.skipIf(!u1.present)('u1.base / u1.test (ML-RATING): 80,000 / 20,000 ratings, no shared pair', async () => {
    const s = await splitFromFiles(u1.path, u1.path.replace(/base$/, 'test'));
    expect(s.train.length).toBe(80_000);
    expect(s.test.length).toBe(20_000);
  });

  it.skipIf(!(udata.present && random.present))('randomSplit(u.data, 0.75, seed 42) reproduces random-75-25 exactly', () => {
    const s = randomSplit(uDataLog(), { ratio: 0.75, seed: 42 });
    expect(s.train.length).toBe(75_353);
    expectSameAsFiles(s, random.path);
  });

  it.skipIf(!(udata.present && llo.present))('leaveLastOut(u.data) reproduces leave-last-out exactly', () => {
    const s = leaveLastOut(uDataLog());
    expect(s.test.length).toBe(943);
    expectSameAsFiles(s, llo.path);
  });
});
