// TensorFlow.js on its WebAssembly backend, loaded on first use so that commands without a neural
// model start as fast as before. The tfjs-core Node build registers no gradients (only its ESM build
// does, which Node cannot load: its imports lack file extensions), so the @tensorflow/tfjs Node bundle
// is loaded for its gradient registrations; every op runs on the wasm backend. The wasm backend lacks
// UnsortedSegmentSum, which the gradient of gather (embedding lookups) needs: it is registered here.
// Its BatchMatMul with a transposed operand (every matmul gradient) runs about ten times slower than
// without: the operand is transposed explicitly first. Its GatherV2 of rows (embedding lookups) takes
// ~40 ns a value: rows along axis 0 are copied here instead.
import { createRequire } from 'node:module';
import type * as TfCore from '@tensorflow/tfjs-core';

export type Tf = typeof TfCore;
export type { Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';

let loading: Promise<Tf> | undefined;

/** The tfjs API on the wasm backend (single-threaded under Node, so results are deterministic). */
export function loadTf(): Promise<Tf> {
  loading ??= load();
  return loading;
}

async function load(): Promise<Tf> {
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs') as Tf;
  require('@tensorflow/tfjs-backend-wasm');
  registerSegmentSum(tf);
  transposeBeforeMatMul(tf);
  copyGatheredRows(tf);
  if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js wasm backend did not start');
  await tf.ready();
  return tf;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TfCore.TensorInfo;
  typedArrayFromHeap(t: TfCore.TensorInfo): Float32Array | Int32Array;
  disposeData(dataId: object): void;
}

/** GatherV2 along axis 0 without batch dimensions as row copies (ids outside the rows give zeros); other gathers as before. */
function copyGatheredRows(tf: Tf): void {
  const gather = tf.getKernel('GatherV2', 'wasm');
  if (!gather) return;
  tf.unregisterKernel('GatherV2', 'wasm');
  tf.registerKernel({
    ...gather,
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as { x: TfCore.TensorInfo; indices: TfCore.TensorInfo };
      const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
      if (axis !== 0 || batchDims || indices.shape.length !== 1 || x.shape.length < 1) return gather.kernelFunc(args);
      const wasm = args.backend as unknown as WasmBackend;
      const width = x.shape.slice(1).reduce((a, b) => a * b, 1);
      const out = wasm.makeOutput([indices.shape[0], ...x.shape.slice(1)], x.dtype);
      const from = wasm.typedArrayFromHeap(x);
      const ids = wasm.typedArrayFromHeap(indices);
      const to = wasm.typedArrayFromHeap(out);
      const rows = x.shape[0];
      for (let r = 0; r < ids.length; r++) {
        const i = ids[r];
        if (i >= 0 && i < rows) to.set(from.subarray(i * width, (i + 1) * width), r * width);
        else to.fill(0, r * width, (r + 1) * width);
      }
      return out;
    },
  });
}

/** BatchMatMul with transposeA/transposeB as an explicit Transpose and then the plain product (the fast path). */
function transposeBeforeMatMul(tf: Tf): void {
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!matMul || !transpose) return;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    ...matMul,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as { a: TfCore.TensorInfo; b: TfCore.TensorInfo };
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      const swapped = (x: TfCore.TensorInfo): TfCore.TensorInfo => {
        const perm = x.shape.map((_, i) => i);
        [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
        return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as TfCore.TensorInfo;
      };
      const a2 = transposeA ? swapped(a) : a;
      const b2 = transposeB ? swapped(b) : b;
      const out = matMul.kernelFunc({ inputs: { a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
      const wasm = backend as unknown as WasmBackend;
      if (a2 !== a) wasm.disposeData(a2.dataId);
      if (b2 !== b) wasm.disposeData(b2.dataId);
      return out;
    },
  });
}

/** out[s] = sum of x's rows whose segment id is s (rows with ids outside [0, numSegments) dropped). */
function registerSegmentSum(tf: Tf): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: TfCore.TensorInfo; segmentIds: TfCore.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const wasm = backend as unknown as WasmBackend;
      const width = x.shape.slice(1).reduce((a, b) => a * b, 1);
      const out = wasm.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
      const values = wasm.typedArrayFromHeap(x);
      const ids = wasm.typedArrayFromHeap(segmentIds);
      const sums = wasm.typedArrayFromHeap(out);
      sums.fill(0);
      for (let r = 0; r < ids.length; r++) {
        const s = ids[r];
        if (s < 0 || s >= numSegments) continue;
        const from = r * width;
        const to = s * width;
        for (let j = 0; j < width; j++) sums[to + j] += values[from + j];
      }
      return out;
    },
  });
}
