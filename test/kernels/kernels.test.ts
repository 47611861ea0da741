import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { NextbestError } from '../../src/core/errors.js';
import { getKernels, tsKernels, WasmKernels, type AdagradFactors, type KernelArray, type Kernels, type PairEpoch } from '../../src/kernels/index.js';
import * as ref from '../../src/kernels/reference.js';
import { RangeAllocator } from '../../src/kernels/alloc.js';
import { expectClose, randomCsr, randomF32, randomSpd } from './helpers.js';

const W = new WasmKernels({ initialPages: 1 });

// Each wasm kernel runs twice: on arrays inside the wasm memory (in place) and on ordinary arrays
// (copied in and out around the call). Both must match the TypeScript reference.
const PLACEMENTS = ['in-memory', 'copied'] as const;
type Placement = (typeof PLACEMENTS)[number];

function place<T extends KernelArray>(a: T, where: Placement): T {
  if (where === 'copied') return a.slice() as T;
  const b = (a instanceof Float32Array ? W.f32(a.length) : W.i32(a.length)) as T;
  b.set(a as never);
  return b;
}

const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1000];
const KS = [1, 2, 3, 4, 5, 7, 8, 16, 31, 32, 64, 100, 128];

describe.each(PLACEMENTS)('wasm kernels agree with the TypeScript reference (%s arrays)', (where) => {
  it('dot', () => {
    const rng = new Rng(1);
    for (const n of LENGTHS) {
      const x = randomF32(n + 3, rng);
      const y = randomF32(n + 5, rng);
      for (const [xo, yo] of [[0, 0], [1, 3], [3, 2]]) {
        const want = ref.dot(n, x, xo, y, yo);
        let scale = 0;
        for (let t = 0; t < n; t++) scale += Math.abs(x[xo + t] * y[yo + t]);
        const got = W.dot(n, place(x, where), xo, place(y, where), yo);
        expect(Math.abs(got - want), `n=${n}`).toBeLessThanOrEqual(1e-5 * (1 + scale));
      }
    }
  });

  it('axpy', () => {
    const rng = new Rng(2);
    for (const n of LENGTHS) {
      const x = randomF32(n + 2, rng);
      const y = randomF32(n + 4, rng);
      const a = rng.normal();
      const want = y.slice();
      ref.axpy(n, a, x, 1, want, 3);
      const got = place(y, where);
      W.axpy(n, a, place(x, where), 1, got, 3);
      expectClose(got, want, 1e-6, `n=${n}`);
    }
  });

  it('spdot, including empty rows', () => {
    const rng = new Rng(3);
    const dense = randomF32(500, rng);
    for (const nnz of [0, 1, 2, 3, 4, 5, 9, 64, 130]) {
      const indices = Int32Array.from({ length: nnz + 2 }, () => rng.int(490));
      const values = randomF32(nnz + 2, rng);
      const want = ref.spdot(nnz, indices, values, 1, dense, 7);
      const got = W.spdot(nnz, place(indices, where), place(values, where), 1, place(dense, where), 7);
      expect(Math.abs(got - want), `nnz=${nnz}`).toBeLessThanOrEqual(1e-5 * (1 + nnz));
    }
  });

  it('csrMatVec, with empty rows and an all-empty matrix', () => {
    const rng = new Rng(4);
    for (const [rows, cols, density] of [[50, 40, 0.1], [200, 300, 0.03], [10, 10, 0], [1, 1, 1]] as const) {
      const m = randomCsr(rows, cols, rng, density);
      const x = randomF32(cols, rng);
      const want = new Float32Array(rows).fill(-1);
      ref.csrMatVec(0, rows, m.indptr, m.indices, m.values, x, want);
      const got = place(new Float32Array(rows).fill(-1), where);
      W.csrMatVec(0, rows, place(m.indptr, where), place(m.indices, where), place(m.values, where), place(x, where), got);
      expectClose(got, want, 1e-5, `${rows}x${cols}`);
      // A sub-range leaves the other rows alone.
      if (rows > 4) {
        const part = place(new Float32Array(rows).fill(-1), where);
        W.csrMatVec(2, rows - 1, place(m.indptr, where), place(m.indices, where), place(m.values, where), place(x, where), part);
        expect(part[0]).toBe(-1);
        expect(part[rows - 1]).toBe(-1);
        expectClose(part.subarray(2, rows - 1), want.subarray(2, rows - 1), 1e-5);
      }
    }
  });

  it('mfStep', () => {
    const rng = new Rng(5);
    for (const k of KS) {
      const U = randomF32(3 * k, rng, 0.3);
      const V = randomF32(4 * k, rng, 0.3);
      const [err, lr, reg] = [rng.normal(), 0.05, 0.01];
      const [wu, wv] = [U.slice(), V.slice()];
      ref.mfStep(k, wu, 2 * k, wv, k, err, lr, reg);
      const [gu, gv] = [place(U, where), place(V, where)];
      W.mfStep(k, gu, 2 * k, gv, k, err, lr, reg);
      expectClose(gu, wu, 1e-6, `U k=${k}`);
      expectClose(gv, wv, 1e-6, `V k=${k}`);
    }
  });

  it('bprStep, also with i = j', () => {
    const rng = new Rng(6);
    for (const k of KS) {
      const U = randomF32(3 * k, rng, 0.3);
      const V = randomF32(5 * k, rng, 0.3);
      for (const [i, j] of [[1, 4], [4, 0], [2, 2]]) {
        const [g, lr, reg] = [rng.next(), 0.05, 0.01];
        const [wu, wv] = [U.slice(), V.slice()];
        ref.bprStep(k, wu, k, wv, i * k, j * k, g, lr, reg);
        const [gu, gv] = [place(U, where), place(V, where)];
        W.bprStep(k, gu, k, gv, i * k, j * k, g, lr, reg);
        expectClose(gu, wu, 1e-6, `U k=${k}`);
        expectClose(gv, wv, 1e-6, `V k=${k} i=${i} j=${j}`);
      }
    }
  });

  it('bprBatch', () => {
    const rng = new Rng(7);
    for (const k of [1, 3, 4, 8, 13, 32, 64]) {
      const [nu, ni, count] = [20, 30, 400];
      const U = randomF32(nu * k, rng, 0.1);
      const V = randomF32(ni * k, rng, 0.1);
      const users = Int32Array.from({ length: count }, () => rng.int(nu));
      const pos = Int32Array.from({ length: count }, () => rng.int(ni));
      const neg = Int32Array.from({ length: count }, () => rng.int(ni));
      const [wu, wv] = [U.slice(), V.slice()];
      const wantLoss = ref.bprBatch(k, wu, wv, count, users, pos, neg, 0.05, 0.01);
      const [gu, gv] = [place(U, where), place(V, where)];
      const gotLoss = W.bprBatch(k, gu, gv, count, place(users, where), place(pos, where), place(neg, where), 0.05, 0.01);
      expect(Math.abs(gotLoss - wantLoss)).toBeLessThanOrEqual(1e-4 * wantLoss);
      expectClose(gu, wu, 1e-4, `U k=${k}`);
      expectClose(gv, wv, 1e-4, `V k=${k}`);
      expect(W.bprBatch(k, gu, gv, 0, users, pos, neg, 0.05, 0.01)).toBe(0);
    }
  });

  it('gram', () => {
    const rng = new Rng(8);
    for (const k of KS) {
      for (const n of [0, 1, 3, 4, 5, 11, 64]) {
        const Y = randomF32(n * k + 2 * k, rng);
        const want = new Float32Array(k * k + 1).fill(7);
        ref.gram(n, k, Y, k, want, 1);
        const got = place(new Float32Array(k * k + 1).fill(7), where);
        W.gram(n, k, place(Y, where), k, got, 1);
        expect(got[0]).toBe(7);
        expectClose(got, want, 2e-5 * Math.sqrt(n + 1), `k=${k} n=${n}`);
        let symmetric = true;
        for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) symmetric &&= got[1 + a * k + b] === got[1 + b * k + a];
        expect(symmetric, `k=${k} n=${n} symmetric`).toBe(true);
      }
    }
  });

  it('cholSolve on SPD systems up to k = 128', () => {
    const rng = new Rng(9);
    for (const k of [...KS, 127]) {
      const A = randomSpd(k, rng);
      const x = randomF32(k, rng);
      const b = new Float32Array(k + 1);
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += (A[i * k + j] + (i === j ? 0.5 : 0)) * x[j];
        b[1 + i] = s;
      }
      const [wa, wb] = [A.slice(), b.slice()];
      expect(ref.cholSolve(k, wa, 0, wb, 1, 0.5)).toBe(0);
      const [ga, gb] = [place(A, where), place(b, where)];
      expect(W.cholSolve(k, ga, 0, gb, 1, 0.5)).toBe(0);
      expectClose(gb.subarray(1), wb.subarray(1), 2e-4, `k=${k} vs reference`);
      expectClose(gb.subarray(1), x, 2e-3, `k=${k} vs true solution`);
      let worst = 0;
      for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) worst = Math.max(worst, Math.abs(ga[i * k + j] - wa[i * k + j]));
      expect(worst, `k=${k} factor`).toBeLessThan(1e-3);
    }
  });

  // ALS row systems: m x k Y, CSR rows over Y's rows with confidences (some 0: skipped), G = YᵀY + λI.
  function alsCase(k: number, rng: Rng) {
    const [rows, m] = [23, 40];
    const Y = randomF32(m * k, rng, 0.3);
    const csr = randomCsr(rows, m, rng, 0.2);
    const conf = csr.values.map((v) => (v < -1 ? 0 : 1 + 2 * Math.abs(v)));
    const G = new Float32Array(k * k);
    ref.gram(m, k, Y, 0, G, 0);
    for (let j = 0; j < k; j++) G[j * k + j] += 2;
    return { rows, Y, G, conf, indptr: csr.indptr, indices: csr.indices, X: randomF32(rows * k, rng, 0.3) };
  }

  it('alsCg, on a row range', () => {
    const rng = new Rng(11);
    for (const k of [1, 3, 4, 8, 13, 32, 64]) {
      const c = alsCase(k, rng);
      const want = c.X.slice();
      tsKernels.alsCg(k, 2, c.rows, want, c.Y, c.G, c.indptr, c.indices, c.conf, 3);
      const got = place(c.X, where);
      W.alsCg(k, 2, c.rows, got, place(c.Y, where), place(c.G, where), place(c.indptr, where), place(c.indices, where), place(c.conf, where), 3);
      expectClose(got, want, 1e-4, `k=${k}`);
      expect(Array.from(got.subarray(0, 2 * k))).toEqual(Array.from(c.X.subarray(0, 2 * k)));
    }
  });

  /** The transpose of a CSR matrix over `cols` columns, entries of each new row in ascending old row. */
  function transpose(indptr: Int32Array, indices: Int32Array, values: Float32Array, cols: number) {
    const tptr = new Int32Array(cols + 1);
    for (const c of indices) tptr[c + 1]++;
    for (let c = 0; c < cols; c++) tptr[c + 1] += tptr[c];
    const next = tptr.slice(0, cols);
    const tind = new Int32Array(indices.length);
    const tval = new Float32Array(indices.length);
    for (let r = 0; r + 1 < indptr.length; r++)
      for (let q = indptr[r]; q < indptr[r + 1]; q++) {
        const at = next[indices[q]]++;
        tind[at] = r;
        tval[at] = values[q];
      }
    return { indptr: tptr, indices: tind, values: tval };
  }

  it('alsCgLockstep: the same solves as alsCg, from the transposed CSR', () => {
    const rng = new Rng(13);
    for (const k of [1, 3, 4, 8, 13, 32, 64]) {
      const c = alsCase(k, rng);
      // Empty rows from x = 0 have r = 0 at the start: skipped (the rsold < 1e-20 exit).
      for (let r = 0; r < c.rows; r++) if (c.indptr[r] === c.indptr[r + 1]) c.X.fill(0, r * k, (r + 1) * k);
      const t = transpose(c.indptr, c.indices, c.conf, c.Y.length / k);
      const perRow = c.X.slice();
      tsKernels.alsCg(k, 0, c.rows, perRow, c.Y, c.G, c.indptr, c.indices, c.conf, 3);
      const want = c.X.slice();
      tsKernels.alsCgLockstep(k, c.rows, want, c.Y, c.G, t.indptr, t.indices, t.values, 3);
      expectClose(want, perRow, 1e-5, `k=${k} reference lockstep vs alsCg`);
      const got = place(c.X, where);
      W.alsCgLockstep(k, c.rows, got, place(c.Y, where), place(c.G, where), place(t.indptr, where), place(t.indices, where), place(t.values, where), 3);
      expectClose(got, want, 1e-4, `k=${k} wasm vs reference`);
      const wasmPerRow = place(c.X, where);
      W.alsCg(k, 0, c.rows, wasmPerRow, place(c.Y, where), place(c.G, where), place(c.indptr, where), place(c.indices, where), place(c.conf, where), 3);
      expectClose(got, wasmPerRow, 1e-4, `k=${k} wasm lockstep vs wasm alsCg`);
      for (let r = 0; r < c.rows; r++)
        if (c.indptr[r] === c.indptr[r + 1]) expect(Array.from(got.subarray(r * k, (r + 1) * k)), `k=${k} empty row ${r}`).toEqual(new Array(k).fill(0));
    }
  });

  it('alsCholesky, and its refusal of a singular system', () => {
    const rng = new Rng(12);
    for (const k of [1, 3, 4, 8, 13, 32, 64]) {
      const c = alsCase(k, rng);
      const want = c.X.slice();
      expect(tsKernels.alsCholesky(k, 0, c.rows, want, c.Y, c.G, c.indptr, c.indices, c.conf)).toBe(0);
      const got = place(c.X, where);
      expect(W.alsCholesky(k, 0, c.rows, got, place(c.Y, where), place(c.G, where), place(c.indptr, where), place(c.indices, where), place(c.conf, where))).toBe(0);
      expectClose(got, want, 1e-4, `k=${k}`);
    }
    // G = 0 and an empty row: the first pivot is 0.
    const zero = place(new Float32Array(4), where);
    expect(W.alsCholesky(2, 0, 1, place(new Float32Array(2), where), zero, zero, place(Int32Array.of(0, 0), where), place(new Int32Array(1), where), place(new Float32Array(1), where))).toBe(1);
  });

  // Pairwise-ranking epochs: 30 customers x 50 products, held rows ascending, every entry once.
  function epochCase(k: number, rng: Rng) {
    const [customers, products] = [30, 50];
    const held = randomCsr(customers, products, rng, 0.15);
    const owner = new Int32Array(held.indices.length);
    for (let u = 0; u < customers; u++) owner.fill(u, held.indptr[u], held.indptr[u + 1]);
    const order = Int32Array.from(held.indices.keys()).reverse();
    const f: AdagradFactors = {
      k,
      user: randomF32(customers * k, rng, 0.3),
      gUser: new Float32Array(customers * k).fill(1),
      item: randomF32(products * k, rng, 0.3),
      gItem: new Float32Array(products * k).fill(1),
      bias: randomF32(products, rng, 0.1),
      gBias: new Float32Array(products).fill(1),
      learningRate: 0.05,
      regularization: 0.01,
    };
    const e: PairEpoch = { order, owner, indptr: held.indptr, indices: held.indices, rng: Int32Array.of(12345), updateItems: true };
    return { f, e };
  }
  const FACTOR_ARRAYS = ['user', 'gUser', 'item', 'gItem', 'bias', 'gBias'] as const;
  const withArrays = (f: AdagradFactors, copy: (a: Float32Array) => Float32Array): AdagradFactors => ({
    ...f,
    ...Object.fromEntries(FACTOR_ARRAYS.map((key) => [key, copy(f[key])])),
  });
  const placeEpoch = (e: PairEpoch): PairEpoch => ({
    ...e,
    ...Object.fromEntries((['order', 'owner', 'indptr', 'indices', 'rng'] as const).map((key) => [key, place(e[key], where)])),
  });

  it.each([
    ['bprEpoch (uniform)', (K: Kernels, f: AdagradFactors, e: PairEpoch) => K.bprEpoch(f, e, false)],
    ['bprEpoch (popularity)', (K: Kernels, f: AdagradFactors, e: PairEpoch) => K.bprEpoch(f, e, true)],
    ['warpEpoch', (K: Kernels, f: AdagradFactors, e: PairEpoch) => K.warpEpoch(f, e, 10)],
  ] as const)('%s: same draws, same steps; fixed products when updateItems is false', (_, run) => {
    const rng = new Rng(13);
    for (const k of [1, 3, 4, 8, 13, 32, 64]) {
      for (const updateItems of [true, false]) {
        const c = epochCase(k, rng);
        const e0 = { ...c.e, updateItems };
        const [wf, we] = [withArrays(c.f, (a) => place(a, where)), placeEpoch(e0)];
        const [tf, te] = [withArrays(c.f, (a) => a.slice()), { ...e0, rng: e0.rng.slice() }];
        const want = run(tsKernels, tf, te);
        const got = run(W, wf, we);
        expect(want).toBeGreaterThan(0);
        expect(Math.abs(got - want), `k=${k} loss`).toBeLessThanOrEqual(1e-4 * want);
        expect(we.rng[0], `k=${k} draws`).toBe(te.rng[0]);
        for (const key of FACTOR_ARRAYS) expectClose(wf[key], tf[key], 1e-4, `k=${k} ${key}`);
        if (!updateItems) expect(Array.from(wf.item)).toEqual(Array.from(c.f.item));
      }
    }
  });

  it('cholSolve reports the first non-positive pivot', () => {
    // [[1, 2], [2, 1]] is indefinite: the second pivot is 1 - 4 < 0.
    for (const K of [tsKernels, W]) {
      const A = place(Float32Array.from([1, 2, 2, 1]), where);
      expect(K.cholSolve(2, A, 0, place(Float32Array.from([1, 1]), where), 0, 0)).toBe(2);
      expect(K.cholSolve(1, place(Float32Array.from([0]), where), 0, place(Float32Array.from([1]), where), 0, 0)).toBe(1);
      expect(K.cholSolve(1, place(Float32Array.from([0]), where), 0, place(Float32Array.from([1]), where), 0, 2)).toBe(0);
    }
  });
});

describe('wasm kernel memory', () => {
  it('grows past its initial pages; earlier views stay valid and in place', () => {
    const K = new WasmKernels({ initialPages: 1, maximumPages: 512 });
    const a = K.f32(1000);
    a.fill(3);
    const big = K.f32(3_000_000); // 12 MB: forces growth
    expect(K.stats().memoryBytes).toBeGreaterThanOrEqual(12_000_000);
    expect(K.owns(a)).toBe(true);
    expect(K.owns(big)).toBe(true);
    big[2_999_999] = 2;
    expect(K.dot(1000, a, 0, a, 0)).toBe(9000);
    const before = K.raw.dot(1, K.addressOf(big, 2_999_999), K.addressOf(big, 2_999_999));
    expect(before).toBe(4);
    K.free(big);
    K.free(a);
    expect(K.stats().usedBytes).toBe(0);
  });

  it('fresh arrays are zeroed even when reusing freed blocks', () => {
    const K = new WasmKernels({ initialPages: 1 });
    const a = K.f32(100);
    a.fill(5);
    K.free(a);
    const b = K.f32(100);
    expect(b.every((v) => v === 0)).toBe(true);
  });

  it('refuses to grow past its maximum with a NextbestError', () => {
    const K = new WasmKernels({ initialPages: 1, maximumPages: 2 });
    expect(() => K.f32(1_000_000)).toThrow(NextbestError);
  });

  it('rejects out-of-range kernel arguments instead of touching other memory', () => {
    const x = W.f32(8);
    expect(() => W.axpy(9, 1, x, 0, x, 0)).toThrow(NextbestError);
    expect(() => W.gram(3, 3, x, 0, x, 0)).toThrow(NextbestError);
    const U = W.f32(8);
    expect(() => W.bprBatch(4, U, U, 1, Int32Array.of(2), Int32Array.of(0), Int32Array.of(0), 0.1, 0)).toThrow(NextbestError);
    expect(() => W.free(new Float32Array(4))).toThrow(NextbestError);
    const G = W.f32(4);
    expect(() => W.alsCg(2, 0, 1, U, U, G, Int32Array.of(0, 1), Int32Array.of(4), Float32Array.of(1), 1)).toThrow(NextbestError);
    expect(() => W.alsCg(2, 0, 2, U, U, G, Int32Array.of(0, 1), Int32Array.of(0), Float32Array.of(1), 1)).toThrow(NextbestError);
    expect(() => W.alsCgLockstep(2, 4, U, U, G, Int32Array.of(0, 1), Int32Array.of(4), Float32Array.of(1), 1)).toThrow(NextbestError);
    expect(() => W.alsCgLockstep(2, 4, U, U, G, Int32Array.of(0, 1, 1, 1, 1, 1), Int32Array.of(0), Float32Array.of(1), 1)).toThrow(NextbestError);
    expect(() => W.alsCgLockstep(2, 5, U, U, G, Int32Array.of(0, 1), Int32Array.of(0), Float32Array.of(1), 1)).toThrow(NextbestError);
    const f: AdagradFactors = { k: 2, user: U, gUser: U, item: U, gItem: U, bias: new Float32Array(4), gBias: new Float32Array(4), learningRate: 0.1, regularization: 0 };
    const e: PairEpoch = { order: Int32Array.of(0), owner: Int32Array.of(4), indptr: Int32Array.of(0, 1), indices: Int32Array.of(0), rng: new Int32Array(1), updateItems: true };
    expect(() => W.warpEpoch(f, e, 3)).toThrow(NextbestError);
    expect(() => W.bprEpoch(f, { ...e, owner: Int32Array.of(0), indices: Int32Array.of(9) }, false)).toThrow(NextbestError);
  });

  it('arrays of another kernel memory are copied, not misread', () => {
    const other = new WasmKernels({ initialPages: 1 });
    const x = other.f32(6);
    x.set([1, 2, 3, 4, 5, 6]);
    const y = W.f32(6);
    y.fill(1);
    W.axpy(6, 2, x, 0, y, 0);
    expect(Array.from(y)).toEqual([3, 5, 7, 9, 11, 13]);
    other.axpy(6, 1, y, 0, x, 0);
    expect(Array.from(x)).toEqual([4, 7, 10, 13, 16, 19]);
    expect(() => W.free(x)).toThrow(NextbestError);
  });

  it('stages many large copied arguments in one call (scratch grows mid-call)', () => {
    const K = new WasmKernels({ initialPages: 1 });
    const rng = new Rng(10);
    const k = 16;
    const Y = randomF32(5000 * k, rng);
    const G = new Float32Array(k * k);
    const want = new Float32Array(k * k);
    ref.gram(5000, k, Y, 0, want, 0);
    K.gram(5000, k, Y, 0, G, 0);
    expectClose(G, want, 5e-4);
  });
});

describe('allocator', () => {
  it('coalesces freed neighbours and gives the top back', () => {
    let end = 0;
    const A = new RangeAllocator(100, (e) => (end = Math.max(end, e)));
    const a = A.alloc(10);
    const b = A.alloc(100);
    const c = A.alloc(33);
    expect(a % 16).toBe(0);
    expect(b).toBe(a + 16);
    expect(c).toBe(b + 112);
    A.release(a);
    A.release(b);
    expect(A.alloc(120)).toBe(a); // a + b merged
    A.release(c);
    expect(A.stats().topBytes).toBe(c);
    expect(end).toBeGreaterThanOrEqual(c + 48);
    expect(() => A.release(12345)).toThrow(NextbestError);
  });
});

describe('kernel selection and loading', () => {
  it('getKernels picks implementations by name', () => {
    expect(getKernels('ts')).toBe(tsKernels);
    expect(getKernels('wasm').impl).toBe('wasm');
    expect(getKernels('auto').impl).toBe('wasm');
    expect(() => getKernels('gpu' as never)).toThrow(NextbestError);
  });

  it('the ts kernel set allocates shared arrays', () => {
    expect(tsKernels.f32(4).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(tsKernels.i32(4).buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('a missing .wasm is a NextbestError that says to run npm run build', async () => {
    vi.resetModules();
    const saved = process.env.NEXTBEST_KERNELS_WASM;
    process.env.NEXTBEST_KERNELS_WASM = '/nonexistent/kernels.wasm';
    try {
      const fresh = await import('../../src/kernels/index.js');
      expect(fresh.wasmAvailable()).toBe(false);
      expect(fresh.getKernels('auto').impl).toBe('ts');
      let err: unknown;
      try {
        fresh.getKernels('wasm');
      } catch (e) {
        err = e;
      }
      expect((err as Error).name).toBe('NextbestError');
      expect((err as Error).message).toMatch(/run npm run build/);
      expect(err).toMatchObject({ code: 'KERNELS_MISSING', status: 500, exit: 1 }); // an internal fault, not a user mistake
    } finally {
      if (saved === undefined) delete process.env.NEXTBEST_KERNELS_WASM;
      else process.env.NEXTBEST_KERNELS_WASM = saved;
      vi.resetModules();
    }
  });
});
