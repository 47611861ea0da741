// Our ranking metrics against the independent scorer ../shared/tools/score-topn.mjs on random data.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { rankingMetrics, usersWithTest } from '../../../src/eval/metrics/index.js';
import { csrFromRows } from './csr-rows.js';

const SCORER = resolve(process.cwd(), '..', 'shared', 'tools', 'score-topn.mjs');
const present = existsSync(SCORER);
if (!present) console.warn(`SKIPPED: ${SCORER} is absent, so the scorer agreement test is skipped`);

describe.skipIf(!present)('agreement with score-topn.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nextbest-metrics-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rng = new Rng(20240607);
  const nUsers = 60;
  const nItems = 30;
  const testRows: number[][] = [];
  const lists: number[][] = [];
  const shuffled = (): number[] => {
    const perm = Array.from({ length: nItems }, (_, i) => i);
    for (let i = nItems - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    return perm;
  };
  for (let u = 0; u < nUsers; u++) {
    const perm = shuffled();
    // 0..14 test products (some customers have none)
    testRows.push(shuffled().slice(0, rng.int(15)));
    // mostly 10 recommendations, some shorter, one customer with none
    const len = u === 7 ? 0 : rng.bernoulli(0.2) ? rng.int(10) : 10;
    lists.push(perm.slice(0, len));
  }
  const test = csrFromRows(testRows, nItems);
  const recsPath = join(dir, 'recs.csv');
  const testPath = join(dir, 'test.tsv');
  const csv = ['customer,product,rank,score'];
  lists.forEach((list, u) => list.forEach((i, p) => csv.push(`c${u},p${i},${p + 1},${(1 - p / 20).toFixed(3)}`)));
  writeFileSync(recsPath, csv.join('\n') + '\n');
  const tsv: string[] = [];
  testRows.forEach((row, u) => row.forEach((i) => tsv.push(`c${u}\tp${i}\t1\t0`)));
  writeFileSync(testPath, tsv.join('\n') + '\n');

  for (const k of [10, 5]) {
    it(`agrees at K = ${k} to 4 decimals`, () => {
      const out = JSON.parse(execFileSync('node', [SCORER, recsPath, testPath, '--k', String(k)], { encoding: 'utf8' }));
      const users = usersWithTest(test);
      const ours = rankingMetrics(
        Array.from(users, (u) => lists[u]),
        users,
        test,
        k,
      );
      expect(out.users).toBe(users.length);
      expect(users.length).toBeGreaterThan(40);
      expect(out[`ndcg@${k}`]).toBeGreaterThan(0.05); // not a vacuous all-zero comparison
      for (const name of ['precision', 'recall', 'ndcg', 'map', 'hr']) {
        const key = `${name}@${k}`;
        // the scorer rounds to 4 decimals, so ours must be within half a unit in the 4th decimal
        expect(Math.abs(ours.mean[key] - out[key]), `${key}: ours ${ours.mean[key]}, scorer ${out[key]}`).toBeLessThanOrEqual(
          5e-5 + 1e-12,
        );
      }
    });
  }
});
