// TensorFlow.js on its WebAssembly backend, loaded on first use so that commands without a neural
// model start as fast as before. The tfjs-core Node build registers no gradients (only its ESM build
// does, which Node cannot load: its imports lack file extensions), so the @tensorflow/tfjs Node bundle
// is loaded for its gradient registrations; every op runs on the wasm backend. The wasm backend lacks
// UnsortedSegmentSum, which the gradient of gather (embedding lookups) needs: it is registered here.
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
  if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js wasm backend did not start');
  await tf.ready();
  return tf;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TfCore.TensorInfo;
  typedArrayFromHeap(t: TfCore.TensorInfo): Float32Array | Int32Array;
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
