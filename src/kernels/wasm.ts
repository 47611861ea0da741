// Loads the WebAssembly kernels (build/kernels.wasm, compiled from assembly/kernels.ts by
// `npm run build:wasm`) synchronously, and wraps them in the Kernels API over one shared, growable
// WebAssembly memory with a JS-side allocator.
//
// Nothing is read at import time: the module is compiled on first use (a few ms) and cached, so code
// that only uses the `ts` kernels never needs the .wasm. The file is found from this module's own
// location (src/kernels/ under vitest, dist/src/kernels/ when built) by walking up to the package root.
import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NextbestError } from '../core/errors.js';
import { RangeAllocator } from './alloc.js';
import { checkAlsLockstep, checkAlsRows, checkEpoch, checkTriples } from './bounds.js';
import type { AdagradFactors, KernelArray, Kernels, PairEpoch } from './types.js';

const PAGE = 65536;
/** The module declares its imported memory as (1 .. 65536 pages, shared); 65536 pages = 4 GiB. */
const MODULE_MAX_PAGES = 65536;

/** The raw exports of build/kernels.wasm: byte addresses into the memory, see assembly/kernels.ts. */
export interface WasmExports {
  heapBase(): number;
  dot(n: number, x: number, y: number): number;
  axpy(n: number, a: number, x: number, y: number): void;
  spdot(nnz: number, indices: number, values: number, dense: number): number;
  csrMatVec(r0: number, r1: number, indptr: number, indices: number, values: number, x: number, out: number): void;
  mfStep(k: number, u: number, i: number, err: number, lr: number, reg: number): void;
  bprStep(k: number, u: number, i: number, j: number, g: number, lr: number, reg: number): void;
  bprBatch(k: number, U: number, V: number, count: number, users: number, pos: number, neg: number, lr: number, reg: number): number;
  gram(n: number, k: number, Y: number, G: number): void;
  cholSolve(k: number, A: number, b: number, ridge: number): number;
  alsCg(k: number, r0: number, r1: number, X: number, Y: number, G: number, indptr: number, indices: number, conf: number, steps: number, scratch: number): void;
  alsCgLockstep(k: number, n: number, X: number, Y: number, G: number, indptr: number, indices: number, conf: number, m: number, steps: number, scratch: number): void;
  alsCholesky(k: number, r0: number, r1: number, X: number, Y: number, G: number, indptr: number, indices: number, conf: number, scratch: number): number;
  bprEpoch(
    k: number, U: number, gU: number, V: number, gV: number, B: number, gB: number, lr: number, reg: number,
    count: number, order: number, owner: number, indptr: number, indices: number, nnz: number, products: number,
    popularity: number, rng: number, items: number,
  ): number;
  warpEpoch(
    k: number, U: number, gU: number, V: number, gV: number, B: number, gB: number, lr: number, reg: number,
    count: number, order: number, owner: number, indptr: number, indices: number, products: number,
    maxSampled: number, rng: number, items: number,
  ): number;
}

/** The package root: the nearest ancestor of `from` holding a package.json. */
function packageRoot(from: string): string | undefined {
  for (let dir = from; ; ) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Where the compiled kernels are looked for: $NEXTBEST_KERNELS_WASM, else <package root>/build/kernels.wasm. */
export function wasmPath(): string {
  const env = process.env.NEXTBEST_KERNELS_WASM;
  if (env) return resolve(env);
  const here = dirname(fileURLToPath(import.meta.url));
  return join(packageRoot(here) ?? resolve(here, '..', '..'), 'build', 'kernels.wasm');
}

let compiled: WebAssembly.Module | undefined;

/** The compiled kernel module (compiled synchronously once). Throws NextbestError if the .wasm is missing. */
export function kernelModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const path = wasmPath();
  if (!existsSync(path))
    throw new NextbestError('KERNELS_MISSING', `WebAssembly kernels are not built (${path} is missing): run npm run build`);
  const bytes = readFileSync(path);
  // Compile straight to optimised code. With V8's default baseline-first tiering a kernel is only
  // swapped for optimised code at its next call, so one long call (a whole epoch, a worker's share
  // of a Gram matrix) would run ~3x slower from start to end. The flag is restored right after;
  // the compiled module (and the workers it is posted to) keeps the optimised code.
  let optimised = false;
  try {
    setFlagsFromString('--no-liftoff');
    optimised = true;
  } catch {
    // flags frozen: compile with the default tiering
  }
  try {
    compiled = new WebAssembly.Module(bytes);
  } catch (e) {
    throw new NextbestError('KERNELS_MISSING', `WebAssembly kernels at ${path} do not load (${(e as Error).message}): run npm run build`);
  } finally {
    if (optimised) setFlagsFromString('--liftoff');
  }
  return compiled;
}

/** True when build/kernels.wasm is present and compiles. */
export function wasmAvailable(): boolean {
  try {
    kernelModule();
    return true;
  } catch {
    return false;
  }
}

/** Instantiates the kernels over `memory` (a shared memory of at most 65536 pages). */
export function instantiateKernels(memory: WebAssembly.Memory, module: WebAssembly.Module = kernelModule()): WasmExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmExports;
}

export interface WasmKernelOptions {
  /** Initial memory in 64 KiB pages (default 16 = 1 MiB). */
  initialPages?: number;
  /** Most the memory may grow to, in pages (default and limit 65536 = 4 GiB; reserved, not committed). */
  maximumPages?: number;
}

const bad = (msg: string): NextbestError => new NextbestError('INTERNAL', msg);

/**
 * The WebAssembly kernel set over its own shared memory. Arrays from f32 / i32 are views into that
 * memory (they stay valid when it grows: shared memory is never detached) and are used in place; any
 * other array is copied in (and, if written, back out) around the call.
 */
export class WasmKernels implements Kernels {
  readonly impl = 'wasm' as const;
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  /** Raw exports, for callers that keep byte addresses (see addressOf). */
  readonly raw: WasmExports;
  private readonly allocator: RangeAllocator;
  /** Every ArrayBuffer object the memory has had (a new one after each grow; all alias the memory). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private buffer: ArrayBufferLike;
  private heap8!: Uint8Array;
  // Copy-in / copy-out staging for arrays outside the memory.
  private scratchAt = 0;
  private scratchSize = 0;
  private scratchUsed = 0;
  private readonly writeBack: { src: KernelArray; off: number; len: number; at: number }[] = [];
  // Work space of the kernels that need some (the ALS row solves).
  private workAt = 0;
  private workSize = 0;
  // The last two arrays seen and their addresses (-1: not in this memory). A view's buffer and offset
  // never change, so identity is enough; this keeps per-call overhead low for row-wise kernels.
  private c0: KernelArray | null = null;
  private b0 = -1;
  private c1: KernelArray | null = null;
  private b1 = -1;

  constructor(options: WasmKernelOptions = {}) {
    const maximum = options.maximumPages ?? MODULE_MAX_PAGES;
    const initial = options.initialPages ?? 16;
    if (!(maximum >= 1 && maximum <= MODULE_MAX_PAGES && initial >= 1 && initial <= maximum))
      throw bad(`wasm memory pages must satisfy 1 <= initial (${initial}) <= maximum (${maximum}) <= ${MODULE_MAX_PAGES}`);
    this.module = kernelModule();
    this.memory = new WebAssembly.Memory({ initial, maximum, shared: true });
    this.raw = instantiateKernels(this.memory, this.module);
    this.buffer = this.memory.buffer;
    this.refresh();
    this.allocator = new RangeAllocator(this.raw.heapBase(), (end) => this.ensure(end));
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    this.buffer = buf;
    this.buffers.add(buf);
    this.heap8 = new Uint8Array(buf);
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        this.memory.grow(pages);
      } catch {
        throw new NextbestError('TOO_LARGE', `wasm kernel memory cannot grow to ${(end / 2 ** 20).toFixed(0)} MiB (its maximum is reached)`);
      }
    }
    if (this.memory.buffer !== this.buffer) this.refresh();
  }

  /** A view of the whole memory as float32 (current size; take a new one after allocations). */
  heapF32(): Float32Array {
    if (this.memory.buffer !== this.buffer) this.refresh();
    return new Float32Array(this.buffer);
  }

  f32(n: number): Float32Array {
    const at = this.allocator.alloc(4 * n);
    this.heap8.fill(0, at, at + 4 * n);
    return new Float32Array(this.buffer, at, n);
  }

  i32(n: number): Int32Array {
    const at = this.allocator.alloc(4 * n);
    this.heap8.fill(0, at, at + 4 * n);
    return new Int32Array(this.buffer, at, n);
  }

  free(a: KernelArray): void {
    if (!this.owns(a)) throw bad('free: the array is not in this kernel memory');
    this.c0 = this.c1 = null;
    this.allocator.release(a.byteOffset);
  }

  /** True when `a` is a view into this memory (so kernels use it in place). */
  owns(a: KernelArray): boolean {
    if (this.buffers.has(a.buffer)) return true;
    if (this.memory.buffer !== this.buffer) this.refresh();
    return a.buffer === this.buffer;
  }

  /** Byte address of a[0] if `a` is in this memory, else -1 (cached for the last two arrays). */
  private base(a: KernelArray): number {
    if (a === this.c0) return this.b0;
    if (a === this.c1) return this.b1;
    const b = this.owns(a) ? a.byteOffset : -1;
    this.c1 = this.c0;
    this.b1 = this.b0;
    this.c0 = a;
    this.b0 = b;
    return b;
  }

  /** Byte address of a[off] for an array in this memory (throws otherwise): for the raw exports and workers. */
  addressOf(a: KernelArray, off = 0): number {
    if (!this.owns(a)) throw bad('the array is not in the wasm kernel memory: allocate it with f32() / i32()');
    return a.byteOffset + 4 * off;
  }

  /** Allocator statistics (bytes). */
  stats(): { usedBytes: number; topBytes: number; blocks: number; memoryBytes: number } {
    return { ...this.allocator.stats(), memoryBytes: this.memory.buffer.byteLength };
  }

  /** Address of a block of at least n floats of kernel work space (reused across calls). */
  private work(n: number): number {
    if (4 * n > this.workSize) {
      if (this.workSize > 0) this.allocator.release(this.workAt);
      this.workSize = 0;
      this.workAt = this.allocator.alloc(4 * n);
      this.workSize = 4 * n;
    }
    return this.workAt;
  }

  // --- staging -------------------------------------------------------------------------------------

  /** Address of a[off] for a kernel reading (and if `out`, writing) a[off .. off + len). */
  private at(a: KernelArray, off: number, len: number, out: boolean): number {
    if (!(off >= 0 && len >= 0 && off + len <= a.length))
      throw bad(`kernel range ${off} .. ${off + len} is outside an array of ${a.length}`);
    const base = this.base(a);
    if (base >= 0) return base + 4 * off;
    const bytes = 4 * len;
    if (this.scratchUsed + bytes > this.scratchSize) this.growScratch(this.scratchUsed + bytes);
    const at = this.scratchAt + this.scratchUsed;
    this.scratchUsed += (bytes + 15) & ~15;
    const view = a instanceof Float32Array ? new Float32Array(this.buffer, at, len) : new Int32Array(this.buffer, at, len);
    view.set(a.subarray(off, off + len) as never);
    if (out) this.writeBack.push({ src: a, off, len, at });
    return at;
  }

  private growScratch(need: number): void {
    // Addresses handed out earlier in this call would move: make room, then have the call start over.
    const used = this.scratchUsed;
    if (this.scratchSize > 0) this.allocator.release(this.scratchAt);
    this.scratchSize = 0;
    this.scratchAt = this.allocator.alloc(Math.max(need * 2, 1 << 16));
    this.scratchSize = Math.max(need * 2, 1 << 16);
    if (used > 0) throw new RestageError();
  }

  private done(): void {
    for (const w of this.writeBack) {
      const view = w.src instanceof Float32Array ? new Float32Array(this.buffer, w.at, w.len) : new Int32Array(this.buffer, w.at, w.len);
      w.src.set(view as never, w.off);
    }
    this.writeBack.length = 0;
    this.scratchUsed = 0;
  }

  /**
   * Runs a kernel call whose `stage` function resolves its addresses with `this.at`. When staging
   * must enlarge the scratch block mid-call, earlier addresses would be stale: start over.
   */
  private call<T>(run: () => T): T {
    for (;;) {
      try {
        const r = run();
        this.done();
        return r;
      } catch (e) {
        this.writeBack.length = 0;
        this.scratchUsed = 0;
        if (!(e instanceof RestageError)) throw e;
      }
    }
  }

  // --- kernels -------------------------------------------------------------------------------------

  dot(n: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number): number {
    const xb = this.base(x);
    const yb = this.base(y);
    if (xb >= 0 && yb >= 0 && xOff >= 0 && yOff >= 0 && n >= 0 && xOff + n <= x.length && yOff + n <= y.length)
      return this.raw.dot(n, xb + 4 * xOff, yb + 4 * yOff);
    return this.call(() => this.raw.dot(n, this.at(x, xOff, n, false), this.at(y, yOff, n, false)));
  }

  axpy(n: number, a: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number): void {
    const xb = this.base(x);
    const yb = this.base(y);
    if (xb >= 0 && yb >= 0 && xOff >= 0 && yOff >= 0 && n >= 0 && xOff + n <= x.length && yOff + n <= y.length) {
      this.raw.axpy(n, a, xb + 4 * xOff, yb + 4 * yOff);
      return;
    }
    this.call(() => this.raw.axpy(n, a, this.at(x, xOff, n, false), this.at(y, yOff, n, true)));
  }

  spdot(nnz: number, indices: Int32Array, values: Float32Array, off: number, dense: Float32Array, denseOff: number): number {
    return this.call(() =>
      this.raw.spdot(nnz, this.at(indices, off, nnz, false), this.at(values, off, nnz, false), this.at(dense, denseOff, dense.length - denseOff, false)),
    );
  }

  csrMatVec(r0: number, r1: number, indptr: Int32Array, indices: Int32Array, values: Float32Array, x: Float32Array, out: Float32Array): void {
    if (!(r0 >= 0 && r1 >= r0 && r1 < indptr.length && r1 <= out.length)) throw bad(`csrMatVec rows ${r0} .. ${r1} do not fit indptr / out`);
    if (r1 === r0) return;
    this.call(() =>
      this.raw.csrMatVec(
        r0,
        r1,
        this.at(indptr, 0, r1 + 1, false),
        this.at(indices, 0, indices.length, false),
        this.at(values, 0, values.length, false),
        this.at(x, 0, x.length, false),
        this.at(out, 0, r1, true),
      ),
    );
  }

  mfStep(k: number, U: Float32Array, uOff: number, V: Float32Array, iOff: number, err: number, lr: number, reg: number): void {
    const ub = this.base(U);
    const vb = this.base(V);
    if (ub >= 0 && vb >= 0 && k >= 0 && uOff >= 0 && iOff >= 0 && uOff + k <= U.length && iOff + k <= V.length) {
      this.raw.mfStep(k, ub + 4 * uOff, vb + 4 * iOff, err, lr, reg);
      return;
    }
    this.call(() => this.raw.mfStep(k, this.at(U, uOff, k, true), this.at(V, iOff, k, true), err, lr, reg));
  }

  bprStep(k: number, U: Float32Array, uOff: number, V: Float32Array, iOff: number, jOff: number, g: number, lr: number, reg: number): void {
    const ub = this.base(U);
    const vb = this.base(V);
    if (ub >= 0 && vb >= 0 && k >= 0 && uOff >= 0 && iOff >= 0 && jOff >= 0 && uOff + k <= U.length && iOff + k <= V.length && jOff + k <= V.length) {
      this.raw.bprStep(k, ub + 4 * uOff, vb + 4 * iOff, vb + 4 * jOff, g, lr, reg);
      return;
    }
    this.call(() => this.raw.bprStep(k, this.at(U, uOff, k, true), this.at(V, iOff, k, true), this.at(V, jOff, k, true), g, lr, reg));
  }

  bprBatch(k: number, U: Float32Array, V: Float32Array, count: number, users: Int32Array, pos: Int32Array, neg: Int32Array, lr: number, reg: number): number {
    checkTriples(k, U, V, count, users, pos, neg);
    return this.call(() =>
      this.raw.bprBatch(
        k,
        this.at(U, 0, U.length, true),
        this.at(V, 0, V.length, true),
        count,
        this.at(users, 0, count, false),
        this.at(pos, 0, count, false),
        this.at(neg, 0, count, false),
        lr,
        reg,
      ),
    );
  }

  gram(n: number, k: number, Y: Float32Array, yOff: number, G: Float32Array, gOff: number): void {
    this.call(() => this.raw.gram(n, k, this.at(Y, yOff, n * k, false), this.at(G, gOff, k * k, true)));
  }

  cholSolve(k: number, A: Float32Array, aOff: number, b: Float32Array, bOff: number, ridge: number): number {
    return this.call(() => this.raw.cholSolve(k, this.at(A, aOff, k * k, true), this.at(b, bOff, k, true), ridge));
  }

  alsCg(k: number, r0: number, r1: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array, steps: number): void {
    checkAlsRows(k, r0, r1, X, Y, G, indptr, indices, conf);
    const work = this.work(3 * k);
    this.call(() =>
      this.raw.alsCg(k, r0, r1, ...this.alsArrays(k, X, Y, G, indptr, indices, conf), steps, work),
    );
  }

  alsCgLockstep(k: number, n: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array, steps: number): void {
    checkAlsLockstep(k, n, X, Y, G, indptr, indices, conf);
    if (n === 0) return;
    const work = this.work(3 * n * k + n);
    this.call(() =>
      this.raw.alsCgLockstep(k, n, ...this.alsArrays(k, X, Y, G, indptr, indices, conf), indptr.length - 1, steps, work),
    );
  }

  alsCholesky(k: number, r0: number, r1: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array): number {
    checkAlsRows(k, r0, r1, X, Y, G, indptr, indices, conf);
    const work = this.work(k * k + k);
    return this.call(() => this.raw.alsCholesky(k, r0, r1, ...this.alsArrays(k, X, Y, G, indptr, indices, conf), work));
  }

  bprEpoch(f: AdagradFactors, e: PairEpoch, popularity: boolean): number {
    checkEpoch(f, e);
    return this.call(() =>
      this.raw.bprEpoch(...this.adagrad(f, e), ...this.epoch(e), e.indices.length, f.bias.length, popularity ? 1 : 0, this.at(e.rng, 0, 1, true), e.updateItems ? 1 : 0),
    );
  }

  warpEpoch(f: AdagradFactors, e: PairEpoch, maxSampled: number): number {
    checkEpoch(f, e);
    return this.call(() =>
      this.raw.warpEpoch(...this.adagrad(f, e), ...this.epoch(e), f.bias.length, maxSampled, this.at(e.rng, 0, 1, true), e.updateItems ? 1 : 0),
    );
  }

  /** k, the factor and accumulator addresses, learning rate and regularisation, as the epoch kernels take them. */
  private adagrad(f: AdagradFactors, e: PairEpoch): [number, number, number, number, number, number, number, number, number] {
    const items = e.updateItems;
    return [
      f.k,
      this.at(f.user, 0, f.user.length, true),
      this.at(f.gUser, 0, f.gUser.length, true),
      this.at(f.item, 0, f.item.length, items),
      items ? this.at(f.gItem, 0, f.gItem.length, true) : 0,
      this.at(f.bias, 0, f.bias.length, items),
      items ? this.at(f.gBias, 0, f.gBias.length, true) : 0,
      f.learningRate,
      f.regularization,
    ];
  }

  /** count, order, owner, indptr and indices addresses of an epoch. */
  private epoch(e: PairEpoch): [number, number, number, number, number] {
    return [
      e.order.length,
      this.at(e.order, 0, e.order.length, false),
      this.at(e.owner, 0, e.owner.length, false),
      this.at(e.indptr, 0, e.indptr.length, false),
      this.at(e.indices, 0, e.indices.length, false),
    ];
  }

  private alsArrays(k: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array): [number, number, number, number, number, number] {
    return [
      this.at(X, 0, X.length, true),
      this.at(Y, 0, Y.length, false),
      this.at(G, 0, k * k, false),
      this.at(indptr, 0, indptr.length, false),
      this.at(indices, 0, indices.length, false),
      this.at(conf, 0, conf.length, false),
    ];
  }
}

/** Thrown inside WasmKernels.call when the scratch block moved; the call is staged again. */
class RestageError extends Error {}

let shared: WasmKernels | undefined;

/** The process-wide WebAssembly kernel set (created on first use). */
export function wasmKernels(): WasmKernels {
  shared ??= new WasmKernels();
  return shared;
}
