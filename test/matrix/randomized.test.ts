// Checks the typed-array views against naive Map-based references on a large random log.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { EVENT_TYPES } from '../../src/data/model.js';
import {
  DEFAULT_EVENT_WEIGHTS,
  EventLogBuilder,
  buildInteractions,
  buildSequences,
  subset,
  type CsrMatrix,
  type EventLog,
} from '../../src/matrix/index.js';

const N = 200_000;
const CUSTOMERS = 5_000;
const PRODUCTS = 300;
const DAY = 86_400;

function randomLog(): EventLog {
  const rng = new Rng(42);
  const b = new EventLogBuilder();
  for (let i = 0; i < N; i++) {
    // Skewed products and coarse times so duplicates and ties are common.
    const p = Math.floor(PRODUCTS * rng.next() ** 2);
    const time = 1_600_000_000 + rng.int(400) * 3_600;
    const type = EVENT_TYPES[rng.int(EVENT_TYPES.length)];
    b.add(`c${rng.int(CUSTOMERS)}`, `p${p}`, time, type, 1 + rng.int(5));
  }
  return b.build();
}

const bytesEqual = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function expectMatches(m: CsrMatrix, ref: Map<string, number>): void {
  expect(m.nnz).toBe(ref.size);
  for (let i = 0; i < m.rows; i++) {
    const { indices, data } = m.row(i);
    for (let k = 0; k < indices.length; k++) {
      if (k > 0 && !(indices[k] > indices[k - 1])) expect.fail(`row ${i} columns are not ascending`);
      const want = ref.get(`${i},${indices[k]}`);
      if (want === undefined || Math.abs(data[k] - want) > 1e-4 * Math.max(1, want))
        expect([i, indices[k], data[k]]).toEqual([i, indices[k], want]);
    }
  }
}

describe('randomized comparison with naive references', () => {
  const log = randomLog();
  const halfLife = 7;
  let maxTime = -Infinity;
  for (const t of log.time) maxTime = Math.max(maxTime, t);

  it('interactions match a Map of summed weights, and the transpose agrees', () => {
    const ref = new Map<string, number>();
    const refT = new Map<string, number>();
    for (let k = 0; k < log.length; k++) {
      const type = EVENT_TYPES[log.type[k]];
      let w = DEFAULT_EVENT_WEIGHTS[type] * (type === 'rating' ? log.value[k] : 1);
      if (w <= 0) continue;
      w *= 0.5 ** ((maxTime - log.time[k]) / DAY / halfLife);
      const key = `${log.customer[k]},${log.product[k]}`;
      ref.set(key, (ref.get(key) ?? 0) + w);
      const keyT = `${log.product[k]},${log.customer[k]}`;
      refT.set(keyT, (refT.get(keyT) ?? 0) + w);
    }
    const { userItem, itemUser } = buildInteractions(log, { useValue: true, halfLifeDays: halfLife });
    expect([userItem.rows, userItem.cols]).toEqual([log.customers.size, log.products.size]);
    expectMatches(userItem, ref);
    expectMatches(itemUser, refT);
    const back = itemUser.transpose();
    // Buffer.equals keeps the byte comparison fast; deep equality on 100k-element arrays is slow.
    expect(bytesEqual(back.indptr, userItem.indptr)).toBe(true);
    expect(bytesEqual(back.indices, userItem.indices)).toBe(true);
    expect(bytesEqual(back.data, userItem.data)).toBe(true);
  });

  it('sequences match a per-customer stable sort', () => {
    const byCustomer = new Map<number, number[]>();
    for (let k = 0; k < log.length; k++) {
      const list = byCustomer.get(log.customer[k]) ?? [];
      list.push(k);
      byCustomer.set(log.customer[k], list);
    }
    const s = buildSequences(log);
    for (let u = 0; u < log.customers.size; u++) {
      const want = (byCustomer.get(u) ?? []).sort((a, b) => log.time[a] - log.time[b] || a - b);
      const got = Array.from(s.rows.subarray(s.offsets[u], s.offsets[u + 1]));
      if (got.length !== want.length || got.some((r, i) => r !== want[i])) expect(got).toEqual(want);
    }
  });

  it('a subset and its complement add up to the whole matrix', () => {
    const rng = new Rng(1);
    const train: number[] = [];
    const test: number[] = [];
    for (let k = 0; k < log.length; k++) (rng.bernoulli(0.8) ? train : test).push(k);
    const a = buildInteractions(subset(log, Int32Array.from(train))).userItem;
    const b = buildInteractions(subset(log, Int32Array.from(test))).userItem;
    const whole = buildInteractions(log).userItem;
    expect([a.rows, a.cols]).toEqual([whole.rows, whole.cols]);
    const ra = a.rowSums();
    const rb = b.rowSums();
    const rw = whole.rowSums();
    for (let i = 0; i < rw.length; i++) expect(Math.abs(ra[i] + rb[i] - rw[i])).toBeLessThan(1e-3);
  });
});
