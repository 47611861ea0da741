// Kernel throughput: the TypeScript reference loops vs the WebAssembly SIMD kernels on the same data,
// and the 2-worker pool vs one thread. Each figure is the median of 5 timed rounds after a warm-up
// (a median rather than a best, so a busy machine does not favour the 1-thread runs).
// `node dist/bench/kernels.js` prints the table alone; bench/run.ts calls benchKernels().
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Rng } from '../src/core/rng.js';
import { KernelPool, tsKernels, WasmKernels, type AdagradFactors, type Kernels, type PairEpoch } from '../src/kernels/index.js';

const ROUND_SECONDS = Number(process.env.BENCH_KERNEL_ROUND_S ?? 0.25);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median seconds per call of `fn` over 5 rounds of ~ROUND_SECONDS / 4 each (after a warm-up). */
function timeIt(fn: () => void): number {
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) fn();
    const s = (performance.now() - t) / 1000;
    if (s >= ROUND_SECONDS / 4) break;
    reps *= 2;
  }
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) fn();
    rounds.push((performance.now() - t) / 1000 / reps);
  }
  return median(rounds);
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) await fn();
    if ((performance.now() - t) / 1000 >= ROUND_SECONDS / 4) break;
    reps *= 2;
  }
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) await fn();
    rounds.push((performance.now() - t) / 1000 / reps);
  }
  return median(rounds);
}

function fill(a: Float32Array, rng: Rng, scale = 1): Float32Array {
  for (let t = 0; t < a.length; t++) a[t] = rng.normal() * scale;
  return a;
}

interface Case {
  name: string;
  unit: 'GFLOP/s' | 'M updates/s' | 'M entries/s' | 'k rows/s';
  /** Work per call in the unit's numerator (flops, or updates). */
  work: number;
  /** Builds the data in K's memory and returns one call. */
  setup: (K: Kernels) => () => void;
}

const cases = (): Case[] => {
  const csrRows = 20000;
  const csrCols = 5000;
  const perRow = 50;
  const k = 64;
  const nUsers = 20000;
  const nItems = 5000;
  const batch = 20000;
  const gramN = 20000;
  return [
    {
      name: 'dot, n = 4096 (2n flops)',
      unit: 'GFLOP/s',
      work: 2 * 4096,
      setup: (K) => {
        const rng = new Rng(1);
        const [x, y] = [fill(K.f32(4096), rng), fill(K.f32(4096), rng)];
        return () => void K.dot(4096, x, 0, y, 0);
      },
    },
    {
      name: 'axpy, n = 4096 (2n flops)',
      unit: 'GFLOP/s',
      work: 2 * 4096,
      setup: (K) => {
        const rng = new Rng(2);
        const [x, y] = [fill(K.f32(4096), rng), fill(K.f32(4096), rng)];
        let a = 1e-3;
        return () => K.axpy(4096, (a = -a), x, 0, y, 0);
      },
    },
    {
      name: `sparse . dense: csrMatVec ${csrRows} rows x ${perRow} nnz (2 nnz flops)`,
      unit: 'GFLOP/s',
      work: 2 * csrRows * perRow,
      setup: (K) => {
        const rng = new Rng(3);
        const indptr = K.i32(csrRows + 1);
        const indices = K.i32(csrRows * perRow);
        const values = fill(K.f32(csrRows * perRow), rng);
        for (let r = 0; r < csrRows; r++) {
          indptr[r + 1] = (r + 1) * perRow;
          for (let p = 0; p < perRow; p++) indices[r * perRow + p] = rng.int(csrCols);
        }
        const x = fill(K.f32(csrCols), rng);
        const out = K.f32(csrRows);
        return () => K.csrMatVec(0, csrRows, indptr, indices, values, x, out);
      },
    },
    {
      name: `BPR update, k = ${k}: bprStep called per triple`,
      unit: 'M updates/s',
      work: batch,
      setup: (K) => {
        const rng = new Rng(4);
        const U = fill(K.f32(nUsers * k), rng, 0.1);
        const V = fill(K.f32(nItems * k), rng, 0.1);
        const tr = Int32Array.from({ length: 3 * batch }, (_, t) => rng.int(t % 3 === 0 ? nUsers : nItems));
        return () => {
          for (let t = 0; t < batch; t++) K.bprStep(k, U, tr[3 * t] * k, V, tr[3 * t + 1] * k, tr[3 * t + 2] * k, 0.5, 0.01, 0.001);
        };
      },
    },
    {
      name: `BPR SGD, k = ${k}: bprBatch (score + sigmoid + update)`,
      unit: 'M updates/s',
      work: batch,
      setup: (K) => {
        const rng = new Rng(5);
        const U = fill(K.f32(nUsers * k), rng, 0.1);
        const V = fill(K.f32(nItems * k), rng, 0.1);
        const [users, pos, neg] = [K.i32(batch), K.i32(batch), K.i32(batch)];
        for (let t = 0; t < batch; t++) [users[t], pos[t], neg[t]] = [rng.int(nUsers), rng.int(nItems), rng.int(nItems)];
        return () => void K.bprBatch(k, U, V, batch, users, pos, neg, 0.01, 0.001);
      },
    },
    {
      name: `Gram Yᵀ Y, ${gramN} x ${k} (n k (k+1) flops)`,
      unit: 'GFLOP/s',
      work: gramN * k * (k + 1),
      setup: (K) => {
        const Y = fill(K.f32(gramN * k), new Rng(6));
        const G = K.f32(k * k);
        return () => K.gram(gramN, k, Y, 0, G, 0);
      },
    },
    {
      name: `ALS CG rows, k = 32, 2 steps: alsCg over ${csrRows} rows x ${perRow} entries`,
      unit: 'k rows/s',
      work: csrRows,
      setup: (K) => {
        const r = alsRows(K, csrRows, perRow, 32, 5000);
        return () => K.alsCg(r.k, 0, r.rows, r.X, r.Y, r.G, r.indptr, r.indices, r.conf, 2);
      },
    },
    {
      // The same entries read the other way: the 5000 rows of Y solved against the CSR rows.
      name: `ALS CG lockstep, k = 32, 2 steps: alsCgLockstep of 5000 rows over ${csrRows} rows x ${perRow} entries`,
      unit: 'M entries/s',
      work: csrRows * perRow,
      setup: (K) => {
        const r = alsRows(K, csrRows, perRow, 32, 5000);
        return () => K.alsCgLockstep(r.k, 5000, r.Y, r.X, r.G, r.indptr, r.indices, r.conf, 2);
      },
    },
    ...(['bpr', 'warp'] as const).map(
      (model): Case => ({
        name: `${model.toUpperCase()} adagrad epoch, k = ${k}: ${model}Epoch over ${batch} held pairs`,
        unit: 'M updates/s',
        work: batch,
        setup: (K) => {
          const rng = new Rng(9);
          const [customers, products, per] = [batch / 20, nItems, 20];
          const f: AdagradFactors = {
            k,
            user: fill(K.f32(customers * k), rng, 0.1),
            gUser: K.f32(customers * k).fill(1),
            item: fill(K.f32(products * k), rng, 0.1),
            gItem: K.f32(products * k).fill(1),
            bias: K.f32(products),
            gBias: K.f32(products).fill(1),
            learningRate: 0.05,
            regularization: 0,
          };
          const [indptr, indices, owner, order] = [K.i32(customers + 1), K.i32(batch), K.i32(batch), K.i32(batch)];
          for (let u = 0; u < customers; u++) {
            indptr[u + 1] = (u + 1) * per;
            const held = new Set<number>();
            while (held.size < per) held.add(rng.int(products));
            indices.set([...held].sort((a, b) => a - b), u * per);
            owner.fill(u, u * per, (u + 1) * per);
          }
          for (let t = 0; t < batch; t++) order[t] = t;
          const e: PairEpoch = { order, owner, indptr, indices, rng: K.i32(1), updateItems: true };
          return () => void (model === 'bpr' ? K.bprEpoch(f, e, false) : K.warpEpoch(f, e, 10));
        },
      }),
    ),
    ...[32, 64, 128].map(
      (kk): Case => ({
        name: `Cholesky solve, k = ${kk} (k³/3 + 2k² flops)`,
        unit: 'GFLOP/s',
        work: kk ** 3 / 3 + 2 * kk * kk,
        setup: (K) => {
          const rng = new Rng(7);
          const Y = fill(new Float32Array(2 * kk * kk), rng);
          const A0 = K.f32(kk * kk);
          tsKernels.gram(2 * kk, kk, Y, 0, A0, 0);
          const A = K.f32(kk * kk);
          const b0 = fill(K.f32(kk), rng);
          const b = K.f32(kk);
          return () => {
            A.set(A0);
            b.set(b0);
            if (K.cholSolve(kk, A, 0, b, 0, 1) !== 0) throw new Error('bench matrix is not positive definite');
          };
        },
      }),
    ),
  ];
};

/** `rows` ALS rows of `per` entries over an m x k Y, with G = YᵀY + 5I, in K's memory. */
function alsRows(K: Kernels, rows: number, per: number, k: number, m: number) {
  const rng = new Rng(10);
  const X = fill(K.f32(rows * k), rng, 0.1);
  const Y = fill(K.f32(m * k), rng, 0.1);
  const G = K.f32(k * k);
  K.gram(m, k, Y, 0, G, 0);
  for (let j = 0; j < k; j++) G[j * k + j] += 5;
  const [indptr, indices, conf] = [K.i32(rows + 1), K.i32(rows * per), K.f32(rows * per).fill(3)];
  for (let r = 0; r < rows; r++) indptr[r + 1] = (r + 1) * per;
  for (let q = 0; q < indices.length; q++) indices[q] = rng.int(m);
  return { k, rows, X, Y, G, indptr, indices, conf };
}

const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export async function benchKernels(): Promise<string> {
  const wasm = new WasmKernels();
  const lines = [
    '| kernel | unit | TS | WASM SIMD | speed-up |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const c of cases()) {
    const rate = (K: Kernels): number => {
      const run = c.setup(K);
      return c.work / timeIt(run) / (c.unit === 'GFLOP/s' ? 1e9 : c.unit === 'k rows/s' ? 1e3 : 1e6);
    };
    const ts = rate(tsKernels);
    const w = rate(wasm);
    lines.push(`| ${c.name} | ${c.unit} | ${fmt(ts)} | ${fmt(w)} | ${(w / ts).toFixed(1)}x |`);
  }

  // Parallel: the same operations on 1 thread (main, serial kernel) and on the 2-worker pool.
  const par = ['', '| 2-worker pool (shared memory) | unit | 1 thread | 2 workers | speed-up |', '| --- | --- | ---: | ---: | ---: |'];
  for (const impl of ['wasm', 'ts'] as const) {
    const K: Kernels = impl === 'wasm' ? wasm : tsKernels;
    const pool = await KernelPool.create({ impl, size: 2, kernels: impl === 'wasm' ? wasm : undefined });
    try {
      const rng = new Rng(8);
      const k = 64;
      const n = 100_000;
      const Y = fill(K.f32(n * k), rng);
      const G = K.f32(k * k);
      const gramWork = (n * k * (k + 1)) / 1e9;
      const g1 = gramWork / timeIt(() => K.gram(n, k, Y, 0, G, 0));
      const g2 = gramWork / (await timeAsync(() => pool.gram(n, k, Y, 0, G, 0)));
      par.push(`| ${impl}: Gram ${n} x ${k} (partial sums) | GFLOP/s | ${fmt(g1)} | ${fmt(g2)} | ${(g2 / g1).toFixed(2)}x |`);

      const rows = 100_000;
      const perRow = 50;
      const cols = 20_000;
      const indptr = K.i32(rows + 1);
      const indices = K.i32(rows * perRow);
      const values = fill(K.f32(rows * perRow), rng);
      for (let r = 0; r < rows; r++) {
        indptr[r + 1] = (r + 1) * perRow;
        for (let p = 0; p < perRow; p++) indices[r * perRow + p] = rng.int(cols);
      }
      const x = fill(K.f32(cols), rng);
      const out = K.f32(rows);
      const spWork = (2 * rows * perRow) / 1e9;
      const s1 = spWork / timeIt(() => K.csrMatVec(0, rows, indptr, indices, values, x, out));
      const s2 = spWork / (await timeAsync(() => pool.csrMatVec(rows, indptr, indices, values, x, out)));
      par.push(`| ${impl}: csrMatVec ${rows} rows x ${perRow} nnz | GFLOP/s | ${fmt(s1)} | ${fmt(s2)} | ${(s2 / s1).toFixed(2)}x |`);

      const nUsers = 50_000;
      const nItems = 20_000;
      const count = 200_000;
      const U = fill(K.f32(nUsers * k), rng, 0.1);
      const V = fill(K.f32(nItems * k), rng, 0.1);
      const [users, pos, neg] = [K.i32(count), K.i32(count), K.i32(count)];
      for (let t = 0; t < count; t++) [users[t], pos[t], neg[t]] = [rng.int(nUsers), rng.int(nItems), rng.int(nItems)];
      const b1 = count / 1e6 / timeIt(() => K.bprBatch(k, U, V, count, users, pos, neg, 0.01, 0.001));
      const b2 = count / 1e6 / (await timeAsync(() => pool.bprBatch(k, U, V, count, users, pos, neg, 0.01, 0.001)));
      par.push(`| ${impl}: Hogwild BPR, k = ${k}, ${count} triples | M updates/s | ${fmt(b1)} | ${fmt(b2)} | ${(b2 / b1).toFixed(2)}x |`);
      if (impl === 'wasm') {
        const r = alsRows(K, 100_000, 50, 32, 20_000);
        const a1 = r.rows / 1e3 / timeIt(() => K.alsCg(r.k, 0, r.rows, r.X, r.Y, r.G, r.indptr, r.indices, r.conf, 2));
        const a2 = r.rows / 1e3 / (await timeAsync(() => pool.alsCg(r.k, r.rows, r.X, r.Y, r.G, r.indptr, r.indices, r.conf, 2)));
        par.push(`| wasm: ALS CG rows, k = ${r.k}, ${r.rows} rows x 50 entries | k rows/s | ${fmt(a1)} | ${fmt(a2)} | ${(a2 / a1).toFixed(2)}x |`);
        for (const arr of [r.X, r.Y, r.G, r.indptr, r.indices, r.conf]) K.free(arr);
      }
      for (const a of [Y, G, indptr, indices, values, x, out, U, V, users, pos, neg]) K.free(a);
    } finally {
      await pool.close();
    }
  }
  const note =
    `\n${availableParallelism()} cores; 1-minute load average ${loadavg()[0].toFixed(1)} when done. The 2-worker figures ` +
    'need two idle cores: other processes on the machine lower them far more than the 1-thread ones.';
  return [...lines, ...par, note].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await benchKernels());
