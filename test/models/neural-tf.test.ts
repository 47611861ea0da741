// The TensorFlow.js setup the neural models train on: the wasm backend, and the gradient of gather
// (embedding lookups) through the UnsortedSegmentSum kernel src/models/neural/tf.ts registers for it.
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../src/models/neural/tf.js';

describe('loadTf', () => {
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
