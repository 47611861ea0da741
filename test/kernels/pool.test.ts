import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { NextbestError } from '../../src/core/errors.js';
import { KernelPool, WasmKernels, tsKernels, type Kernels } from '../../src/kernels/index.js';
import * as ref from '../../src/kernels/reference.js';
import { expectClose, randomCsr, randomF32 } from './helpers.js';

function copyInto<T extends Float32Array | Int32Array>(K: Kernels, a: T): T {
  const b = (a instanceof Float32Array ? K.f32(a.length) : K.i32(a.length)) as T;
  b.set(a as never);
  return b;
}

describe.each(['wasm', 'ts'] as const)('2-worker %s pool: parallel == serial', (impl) => {
  let pool: KernelPool;
  let K: Kernels;
  beforeAll(async () => {
    // wasm: a kernel memory of its own that starts small, so the test also covers growth after the
    // workers attached to it.
    pool = await KernelPool.create({ impl, size: 2, kernels: impl === 'wasm' ? new WasmKernels({ initialPages: 1 }) : undefined });
    K = pool.kernels;
  });
  afterAll(() => pool.close());

  it('csrMatVec over many sparse rows is identical to the serial kernel', async () => {
    const rng = new Rng(21);
    for (const [rows, cols] of [[3000, 500], [1, 5], [0, 3], [7, 7]] as const) {
      const m = randomCsr(rows, cols, rng, 0.05);
      const [indptr, indices, values, x] = [copyInto(K, m.indptr), copyInto(K, m.indices), copyInto(K, m.values), copyInto(K, randomF32(cols, rng))];
      const serial = K.f32(Math.max(rows, 1));
      K.csrMatVec(0, rows, indptr, indices, values, x, serial);
      const parallel = K.f32(Math.max(rows, 1));
      parallel.fill(-1);
      await pool.csrMatVec(rows, indptr, indices, values, x, parallel);
      expect(Array.from(parallel.subarray(0, rows))).toEqual(Array.from(serial.subarray(0, rows)));
      // And the serial kernel matches the reference.
      const want = new Float32Array(rows);
      ref.csrMatVec(0, rows, m.indptr, m.indices, m.values, x, want);
      expectClose(serial.subarray(0, rows), want, 1e-5);
    }
  });

  it('gram from per-worker partial sums matches the serial kernel', async () => {
    const rng = new Rng(22);
    for (const [n, k] of [[2001, 32], [3, 7], [1, 1], [0, 4]] as const) {
      const Y = copyInto(K, randomF32(n * k + k, rng));
      const serial = K.f32(k * k);
      K.gram(n, k, Y, k, serial, 0);
      const parallel = K.f32(k * k + 2);
      await pool.gram(n, k, Y, k, parallel, 2);
      expectClose(parallel.subarray(2), serial, 1e-5 * Math.sqrt(n + 1), `n=${n} k=${k}`);
    }
  });

  it('Hogwild bprBatch: runs on the shared factors and lowers the loss', async () => {
    const rng = new Rng(23);
    const [nu, ni, k, count] = [200, 100, 16, 20000];
    const U = copyInto(K, randomF32(nu * k, rng, 0.1));
    const V = copyInto(K, randomF32(ni * k, rng, 0.1));
    // Planted preference: user u likes items with (i % 2) == (u % 2).
    const users = K.i32(count);
    const pos = K.i32(count);
    const neg = K.i32(count);
    for (let t = 0; t < count; t++) {
      const u = rng.int(nu);
      users[t] = u;
      pos[t] = 2 * rng.int(ni / 2) + (u % 2);
      neg[t] = 2 * rng.int(ni / 2) + 1 - (u % 2);
    }
    const before = U.slice();
    const first = await pool.bprBatch(k, U, V, count, users, pos, neg, 0.05, 0.001);
    expect(U).not.toEqual(before);
    let last = first;
    for (let e = 0; e < 4; e++) last = await pool.bprBatch(k, U, V, count, users, pos, neg, 0.05, 0.001);
    expect(Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(0.7 * first);
  });

  it('a failing task rejects its promise and the pool keeps working', async () => {
    const indptr = copyInto(K, Int32Array.of(0, 1, 2));
    const indices = copyInto(K, Int32Array.of(0, impl === 'wasm' ? 1e9 : 0)); // wasm: out-of-bounds read traps
    const values = copyInto(K, Float32Array.of(1, 1));
    const x = copyInto(K, Float32Array.of(2));
    const out = K.f32(2);
    if (impl === 'wasm') await expect(pool.csrMatVec(2, indptr, indices, values, x, out)).rejects.toThrow(/kernel worker failed/);
    indices[1] = 0;
    await pool.csrMatVec(2, indptr, indices, values, x, out);
    expect(Array.from(out)).toEqual([2, 2]);
  });

  it('rejects arrays the workers cannot see', async () => {
    await expect(pool.gram(1, 1, new Float32Array(1), 0, new Float32Array(1), 0)).rejects.toThrow(NextbestError);
  });
});

it('a 1-worker pool reproduces serial bprBatch exactly', async () => {
  const K = new WasmKernels({ initialPages: 1 });
  const pool = await KernelPool.create({ impl: 'wasm', size: 1, kernels: K });
  try {
    const rng = new Rng(24);
    const [nu, ni, k, count] = [30, 40, 8, 500];
    const U0 = randomF32(nu * k, rng, 0.1);
    const V0 = randomF32(ni * k, rng, 0.1);
    const users = copyInto(K, Int32Array.from({ length: count }, () => rng.int(nu)));
    const pos = copyInto(K, Int32Array.from({ length: count }, () => rng.int(ni)));
    const neg = copyInto(K, Int32Array.from({ length: count }, () => rng.int(ni)));
    const [U1, V1, U2, V2] = [copyInto(K, U0), copyInto(K, V0), copyInto(K, U0), copyInto(K, V0)];
    const serial = K.bprBatch(k, U1, V1, count, users, pos, neg, 0.05, 0.01);
    const parallel = await pool.bprBatch(k, U2, V2, count, users, pos, neg, 0.05, 0.01);
    expect(parallel).toBe(serial);
    expect(Array.from(U2)).toEqual(Array.from(U1));
    expect(Array.from(V2)).toEqual(Array.from(V1));
  } finally {
    await pool.close();
  }
});

it('ts kernels in a pool see writes through SharedArrayBuffers', async () => {
  const pool = await KernelPool.create({ impl: 'ts', size: 2 });
  try {
    const out = tsKernels.f32(2);
    const indptr = tsKernels.i32(3);
    indptr.set([0, 1, 2]);
    const indices = tsKernels.i32(2);
    indices.set([1, 0]);
    const values = tsKernels.f32(2);
    values.set([2, 3]);
    const x = tsKernels.f32(2);
    x.set([10, 100]);
    await pool.csrMatVec(2, indptr, indices, values, x, out);
    expect(Array.from(out)).toEqual([200, 30]);
  } finally {
    await pool.close();
  }
});
