// Numeric kernels with two interchangeable implementations: `wasm` (AssemblyScript + SIMD, the fast
// one; needs build/kernels.wasm from `npm run build`) and `ts` (plain loops, always available).
//
//   const K = getKernels('wasm');
//   const U = K.f32(users * k), V = K.f32(items * k);   // factors live in kernel memory: no copies
//   K.bprStep(k, U, u * k, V, i * k, j * k, g, lr, reg);
import { NextbestError } from '../core/errors.js';
import { tsKernels } from './reference.js';
import type { KernelImpl, Kernels } from './types.js';
import { wasmAvailable, wasmKernels } from './wasm.js';

export type { AdagradFactors, KernelArray, KernelImpl, Kernels, PairEpoch } from './types.js';
export { tsKernels } from './reference.js';
export { WasmKernels, wasmAvailable, wasmKernels, wasmPath, type WasmExports, type WasmKernelOptions } from './wasm.js';
export { KernelPool, sharedPool, type KernelPoolOptions } from './pool.js';
export { KernelScope } from './scope.js';

export const KERNEL_IMPLS: readonly KernelImpl[] = ['ts', 'wasm'];

/**
 * The kernel set by name. 'wasm' throws a NextbestError ("run npm run build") when the compiled
 * kernels are missing; 'auto' picks wasm when available, else ts.
 */
export function getKernels(impl: KernelImpl | 'auto' = 'auto'): Kernels {
  if (impl === 'ts') return tsKernels;
  if (impl === 'wasm') return wasmKernels();
  if (impl === 'auto') return wasmAvailable() ? wasmKernels() : tsKernels;
  throw new NextbestError('BAD_OPTION', `unknown kernel implementation '${String(impl)}': use ts, wasm or auto`);
}
