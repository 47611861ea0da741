// A small worker_threads pool for the kernels. Workers share the data instead of copying it:
// - `wasm`: every worker instantiates build/kernels.wasm over the SAME shared WebAssembly.Memory as the
//   main thread's WasmKernels, and tasks pass byte addresses;
// - `ts`: tasks pass typed arrays over SharedArrayBuffers (tsKernels.f32 / i32 make those), which
//   postMessage shares rather than clones.
// Parallel operations split rows across the workers: csrMatVec and alsCg (disjoint output rows,
// identical to serial), gram (per-worker partial Gram matrices summed on the main thread), and bprBatch (Hogwild!
// SGD: workers update shared factors without locks, so the result is close to, not equal to, serial).
//
// The worker is an inline ES module (a data: URL), so the pool runs the same from src/ under vitest and
// from dist/. Its `ts` operations repeat the reference loops of reference.ts (tests check they agree).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { NextbestError } from '../core/errors.js';
import { tsKernels } from './reference.js';
import type { KernelArray, KernelImpl, Kernels } from './types.js';
import { checkAlsRows, checkTriples } from './bounds.js';
import { kernelModule, wasmKernels, type WasmKernels } from './wasm.js';

const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
const { module, memory } = workerData;
const W = module ? new WebAssembly.Instance(module, { env: { memory } }).exports : null;
function bprStep(k, U, uOff, V, iOff, jOff, g, lr, reg) {
  for (let t = 0; t < k; t++) {
    const u = U[uOff + t], i = V[iOff + t], j = V[jOff + t];
    U[uOff + t] = u + lr * (g * (i - j) - reg * u);
    V[iOff + t] = i + lr * (g * u - reg * i);
    V[jOff + t] = j - lr * (g * u + reg * j);
  }
}
const TS = {
  csrMatVec(r0, r1, indptr, indices, values, x, out) {
    for (let r = r0; r < r1; r++) {
      let s = 0;
      for (let p = indptr[r], end = indptr[r + 1]; p < end; p++) s += values[p] * x[indices[p]];
      out[r] = s;
    }
  },
  gram(n, k, Y, yOff, G, gOff) {
    const acc = new Float64Array(k * k);
    for (let r = 0; r < n; r++) {
      const y = yOff + r * k;
      for (let a = 0; a < k; a++) {
        const ya = Y[y + a];
        if (ya === 0) continue;
        const base = a * k;
        for (let b = a; b < k; b++) acc[base + b] += ya * Y[y + b];
      }
    }
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) G[gOff + a * k + b] = G[gOff + b * k + a] = acc[a * k + b];
  },
  bprBatch(k, U, V, t0, t1, users, pos, neg, lr, reg) {
    let loss = 0;
    for (let t = t0; t < t1; t++) {
      const uOff = users[t] * k, iOff = pos[t] * k, jOff = neg[t] * k;
      let x = 0;
      for (let f = 0; f < k; f++) x += U[uOff + f] * (V[iOff + f] - V[jOff + f]);
      const e = Math.exp(-Math.abs(x));
      loss += x >= 0 ? Math.log1p(e) : Math.log1p(e) - x;
      bprStep(k, U, uOff, V, iOff, jOff, x >= 0 ? e / (1 + e) : 1 / (1 + e), lr, reg);
    }
    return loss;
  },
};
parentPort.on('message', ({ id, op, args }) => {
  try {
    let result;
    if (op === 'ping') result = W ? 'wasm' : 'ts';
    else if (W) result = W[op](...args);
    else result = TS[op](...args);
    parentPort.postMessage({ id, result });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.stack) || e) });
  }
});
`;

export interface KernelPoolOptions {
  /** Which kernels the workers run (default 'wasm'). */
  impl?: KernelImpl;
  /** Number of workers (default: available cores, at least 2). */
  size?: number;
  /** For 'wasm': the kernel set whose memory the workers share (default: the process-wide one). */
  kernels?: WasmKernels;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

const bad = (msg: string): NextbestError => new NextbestError('INTERNAL', msg);

/** Splits 0 .. n into `parts` contiguous ranges (as boundaries, length parts + 1). */
function evenSplit(n: number, parts: number): number[] {
  return Array.from({ length: parts + 1 }, (_, p) => Math.round((n * p) / parts));
}

export class KernelPool {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  private constructor(
    readonly impl: KernelImpl,
    /** The main thread's kernel set over the memory the workers share (allocate task arrays from it). */
    readonly kernels: Kernels,
    private readonly workers: Worker[],
  ) {
    for (const w of workers) {
      w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) for (const x of this.workers) x.unref();
        if (m.error !== undefined) p.reject(new Error(`kernel worker failed: ${m.error}`));
        else p.resolve(m.result);
      });
      w.on('error', (e) => this.failAll(e));
      w.on('exit', (code) => {
        if (!this.closed) this.failAll(new Error(`kernel worker exited with code ${code}`));
      });
      w.unref();
    }
  }

  /** Starts `size` workers and waits until each has instantiated its kernels. */
  static async create(options: KernelPoolOptions = {}): Promise<KernelPool> {
    const impl = options.impl ?? 'wasm';
    if (impl !== 'wasm' && impl !== 'ts') throw bad(`unknown kernel implementation '${String(impl)}': use ts or wasm`);
    const size = options.size ?? Math.max(2, availableParallelism());
    if (!(Number.isInteger(size) && size >= 1 && size <= 64)) throw bad(`pool size must be 1 .. 64, got ${size}`);
    const kernels = impl === 'wasm' ? (options.kernels ?? wasmKernels()) : tsKernels;
    const workerData = impl === 'wasm' ? { module: kernelModule(), memory: (kernels as WasmKernels).memory } : { module: null, memory: null };
    const url = new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`);
    const workers = Array.from({ length: size }, () => new Worker(url, { workerData }));
    const pool = new KernelPool(impl, kernels, workers);
    try {
      await Promise.all(workers.map((_, w) => pool.run(w, 'ping', [])));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private run(w: number, op: string, args: unknown[]): Promise<unknown> {
    if (this.closed) return Promise.reject(bad('the kernel pool is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      for (const x of this.workers) x.ref();
      this.workers[w].postMessage({ id, op, args });
    });
  }

  /** What a task passes for an array: a byte address (wasm) or the shared array itself (ts). */
  private arg(a: KernelArray, off = 0): number | KernelArray {
    if (this.impl === 'wasm') return (this.kernels as WasmKernels).addressOf(a, off);
    if (!(a.buffer instanceof SharedArrayBuffer)) throw bad('ts pool arrays must be over a SharedArrayBuffer: allocate them with tsKernels.f32() / i32()');
    return a;
  }

  /** Row boundaries (length size + 1) giving each worker about the same number of CSR entries. */
  private balance(rows: number, indptr: Int32Array): number[] {
    // Boundary p is the first row whose start reaches p/size of the entries.
    const nnz = indptr[rows] - indptr[0];
    const bounds = [0];
    for (let p = 1; p < this.size; p++) {
      const target = indptr[0] + (nnz * p) / this.size;
      let lo = bounds[p - 1];
      let hi = rows;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (indptr[mid] < target) lo = mid + 1;
        else hi = mid;
      }
      bounds.push(lo);
    }
    bounds.push(rows);
    return bounds;
  }

  /** out[r] = row r of the CSR matrix . x for all rows, rows split across the workers by entry count. */
  async csrMatVec(rows: number, indptr: Int32Array, indices: Int32Array, values: Float32Array, x: Float32Array, out: Float32Array): Promise<void> {
    if (!(rows >= 0 && rows < indptr.length && rows <= out.length)) throw bad(`csrMatVec: ${rows} rows do not fit indptr / out`);
    const bounds = this.balance(rows, indptr);
    const args = [this.arg(indptr), this.arg(indices), this.arg(values), this.arg(x), this.arg(out)];
    await Promise.all(
      this.workers.map((_, w) => (bounds[w + 1] > bounds[w] ? this.run(w, 'csrMatVec', [bounds[w], bounds[w + 1], ...args]) : undefined)),
    );
  }

  /**
   * ALS conjugate-gradient solves (Kernels.alsCg) of rows 0 .. rows, split across the workers by entry
   * count, each with its own work space. Rows are independent: the result is the one-thread result.
   * wasm pools only.
   */
  async alsCg(k: number, rows: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array, steps: number): Promise<void> {
    if (this.impl !== 'wasm') throw bad('alsCg runs on a wasm kernel pool only');
    checkAlsRows(k, 0, rows, X, Y, G, indptr, indices, conf);
    const bounds = this.balance(rows, indptr);
    const args = [this.arg(X), this.arg(Y), this.arg(G), this.arg(indptr), this.arg(indices), this.arg(conf), steps];
    const work = this.workers.map(() => this.kernels.f32(3 * k));
    try {
      await Promise.all(
        this.workers.map((_, w) =>
          bounds[w + 1] > bounds[w] ? this.run(w, 'alsCg', [k, bounds[w], bounds[w + 1], ...args, this.arg(work[w])]) : undefined,
        ),
      );
    } finally {
      for (const a of work) this.kernels.free(a);
    }
  }

  /** G = Yᵀ Y (k x k at G[gOff]) for the n x k matrix at Y[yOff]: per-worker partials over row blocks, summed. */
  async gram(n: number, k: number, Y: Float32Array, yOff: number, G: Float32Array, gOff: number): Promise<void> {
    if (!(yOff >= 0 && yOff + n * k <= Y.length && gOff >= 0 && gOff + k * k <= G.length)) throw bad('gram: Y or G is too small');
    const bounds = evenSplit(n, this.size);
    const partials = this.workers.map(() => this.kernels.f32(k * k));
    try {
      await Promise.all(
        this.workers.map((_, w) =>
          this.run(w, 'gram', this.impl === 'wasm'
            ? [bounds[w + 1] - bounds[w], k, this.arg(Y, yOff + bounds[w] * k), this.arg(partials[w])]
            : [bounds[w + 1] - bounds[w], k, this.arg(Y), yOff + bounds[w] * k, this.arg(partials[w]), 0]),
        ),
      );
      const kk = k * k;
      for (let t = 0; t < kk; t++) {
        let s = 0;
        for (const p of partials) s += p[t];
        G[gOff + t] = s;
      }
    } finally {
      for (const p of partials) this.kernels.free(p);
    }
  }

  /**
   * Hogwild! BPR: the triples are split into one contiguous block per worker and the workers run
   * bprBatch on the shared factors U, V concurrently, without locks. Returns the summed loss.
   */
  async bprBatch(k: number, U: Float32Array, V: Float32Array, count: number, users: Int32Array, pos: Int32Array, neg: Int32Array, lr: number, reg: number): Promise<number> {
    checkTriples(k, U, V, count, users, pos, neg);
    const bounds = evenSplit(count, this.size);
    const losses = await Promise.all(
      this.workers.map((_, w) => {
        const [t0, t1] = [bounds[w], bounds[w + 1]];
        if (t1 === t0) return 0;
        return this.impl === 'wasm'
          ? this.run(w, 'bprBatch', [k, this.arg(U), this.arg(V), t1 - t0, this.arg(users, t0), this.arg(pos, t0), this.arg(neg, t0), lr, reg])
          : this.run(w, 'bprBatch', [k, this.arg(U), this.arg(V), t0, t1, this.arg(users), this.arg(pos), this.arg(neg), lr, reg]);
      }),
    );
    return losses.reduce<number>((s, l) => s + (l as number), 0);
  }

  /** Stops the workers; pending tasks are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(bad('the kernel pool was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const pools = new Map<WasmKernels, Map<number, Promise<KernelPool>>>();

/**
 * A process-wide wasm pool of `size` workers over the memory of `kernels`, started on first use and
 * kept (its idle workers do not keep the process alive).
 */
export function sharedPool(kernels: WasmKernels, size: number): Promise<KernelPool> {
  let bySize = pools.get(kernels);
  if (!bySize) pools.set(kernels, (bySize = new Map()));
  let pool = bySize.get(size);
  if (!pool) {
    pool = KernelPool.create({ impl: 'wasm', size, kernels });
    bySize.set(size, pool);
    pool.catch(() => bySize.delete(size));
  }
  return pool;
}
