// The TensorFlow.js setup the neural models train on (src/models/neural/tf.ts): the wasm backend, its
// kernel overrides (transposed matmul operands, row gathers) and the UnsortedSegmentSum kernel the
// gradient of gather needs.
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../../src/models/neural/tf.js';

describe('TensorFlow.js on wasm (src/models/neural/tf.ts)', () => {
  it('multiplies with transposed operands as without, and gathers rows (ids outside give zeros) with their gradient', async () => {
    const tf = await loadTf();
    const a = tf.tensor3d([1, 2, 3, 4, 5, 6, -1, 0, 2, 1, 3, -2], [2, 2, 3]);
    const b = tf.tensor3d([2, 0, 1, 1, -1, 3, 0, 2, 1, 1, 4, -1], [2, 3, 2]);
    const plain = tf.matMul(a, b).arraySync() as number[][][];
    expect(tf.matMul(tf.transpose(a, [0, 2, 1]), b, true, false).arraySync()).toEqual(plain);
    expect(tf.matMul(a, tf.transpose(b, [0, 2, 1]), false, true).arraySync()).toEqual(plain);
    expect(tf.matMul(tf.transpose(a, [0, 2, 1]), tf.transpose(b, [0, 2, 1]), true, true).arraySync()).toEqual(plain);
    expect(plain[0]).toEqual([[1 * 2 + 2 * 1 + 3 * -1, 0 + 2 * 1 + 3 * 3], [4 * 2 + 5 * 1 + 6 * -1, 0 + 5 + 18]]);

    const table = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const ids = tf.tensor1d([2, 0, 2, 5], 'int32');
    expect(tf.gather(table, ids).arraySync()).toEqual([[5, 6], [1, 2], [5, 6], [0, 0]]);
    const grad = tf.grad((t) => tf.sum(tf.gather(t, tf.tensor1d([2, 0, 2], 'int32'))))(table);
    expect(grad.arraySync()).toEqual([[1, 1], [0, 0], [2, 2]]);
  });

  it('runs on the wasm backend', async () => {
    const tf = await loadTf();
    expect(tf.getBackend()).toBe('wasm');
  });

  it('sums the gradient of repeated rows of a gather, and drops ids outside the segments', async () => {
    const tf = await loadTf();
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const weights = tf.tensor2d([[1, 10], [2, 20], [3, 30]]);
    // d/dtable of sum(gather(table, [0, 2, 2]) * weights) = weights' rows summed per looked-up row.
    const grad = tf.grad((t) => tf.sum(tf.mul(tf.gather(t as typeof table, tf.tensor1d([0, 2, 2], 'int32')), weights)))(table);
    expect(grad.arraySync()).toEqual([[1, 10], [0, 0], [5, 50]]);
    const sums = tf.unsortedSegmentSum(tf.tensor2d([[1, 1], [2, 2], [4, 4]]), tf.tensor1d([1, -1, 1], 'int32'), 2);
    expect(sums.arraySync()).toEqual([[0, 0], [5, 5]]);
    tf.dispose([table, weights, grad, sums]);
  });
});
