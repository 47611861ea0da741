// The arrays one job (a model fit) allocates from a kernel set, freed together when it ends: kernel
// memory is not garbage-collected, so every f32 / i32 must be given back.
import type { KernelArray, Kernels } from './types.js';

export class KernelScope {
  private readonly arrays: KernelArray[] = [];

  constructor(readonly kernels: Kernels) {}

  f32(n: number): Float32Array {
    const a = this.kernels.f32(n);
    this.arrays.push(a);
    return a;
  }

  i32(n: number): Int32Array {
    const a = this.kernels.i32(n);
    this.arrays.push(a);
    return a;
  }

  /** A copy of `a` in kernel memory, so kernels use it in place. */
  copy<T extends KernelArray>(a: T): T {
    const b = (a instanceof Float32Array ? this.f32(a.length) : this.i32(a.length)) as T;
    b.set(a as never);
    return b;
  }

  /** Frees every array of the scope; none may be used afterwards. */
  close(): void {
    for (const a of this.arrays) this.kernels.free(a);
    this.arrays.length = 0;
  }
}
