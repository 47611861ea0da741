import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { buildBatch, type Sequence } from '../../../src/models/neural/sequential-batches.js';
import { forwardLast } from '../../../src/models/neural/sequential-forward.js';
import { SequentialGraph } from '../../../src/models/neural/sequential-graph.js';
import { initialWeights, type SequentialShape } from '../../../src/models/neural/sequential-weights.js';
import { loadTf } from '../../../src/models/neural/tf.js';

/** Random sequences of 1..T events with sessions that advance at random, some skipping numbers. */
function sequences(rng: Rng, count: number, T: number, products: number): Sequence[] {
  return Array.from({ length: count }, (_, c) => {
    const n = c === 0 ? T : 1 + rng.int(T);
    const productsOf = Int32Array.from({ length: n }, () => rng.int(products));
    const sessions = new Int32Array(n);
    for (let t = 1; t < n; t++) sessions[t] = sessions[t - 1] + (rng.next() < 0.3 ? 1 + rng.int(2) : 0);
    return { products: productsOf, sessions };
  });
}

describe('sequential model forward pass', () => {
  for (const sessions of [true, false])
    it(`plain TypeScript matches the tf graph on the same weights (session level ${sessions ? 'on' : 'off'}, 2 heads, 2 blocks)`, async () => {
      const tf = await loadTf();
      const shape: SequentialShape = { products: 40, factors: 8, blocks: 2, heads: 2, maxLength: 12, sessions };
      const weights = initialWeights(shape, 3);
      // Non-trivial layer norms and biases (the start has gains 1 and biases 0).
      const rng = new Rng(9);
      for (const [name, w] of Object.entries(weights)) if (name !== 'item' && name !== 'position') for (let i = 0; i < w.length; i++) w[i] += 0.3 * rng.normal();
      const seqs = sequences(rng, 16, shape.maxLength, shape.products);
      const graph = new SequentialGraph(tf, shape, weights);
      const before = tf.memory().numTensors;
      const batch = buildBatch(seqs.map((sequence) => ({ sequence, start: 0, end: sequence.products.length })), shape.maxLength, sessions, false);
      const out = tf.tidy(() => graph.lastHidden(batch));
      const expected = out.dataSync() as Float32Array;
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
      graph.dispose();
      let worst = 0;
      seqs.forEach((s, b) => {
        const { hidden, attention } = forwardLast(shape, weights, s.products, s.sessions);
        for (let c = 0; c < shape.factors; c++) worst = Math.max(worst, Math.abs(hidden[c] - expected[b * shape.factors + c]));
        expect(attention.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 5);
      });
      expect(worst).toBeLessThan(1e-4);
      // The hidden states are not trivially equal (e.g. all zero).
      expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0.1);
    });
});
