import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { blockOrder } from '../../src/models/visit-order.js';

describe('SGD visiting order', () => {
  it.each([1, 63, 64, 4096, 4097, 10_000])('visits each of %i rows exactly once, in a fresh random order each epoch', (n) => {
    const rng = new Rng(3);
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    blockOrder(a, rng);
    blockOrder(b, rng);
    for (const order of [a, b]) expect(Array.from(order).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    if (n > 64) expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('mixes rows from many places of the data within each stretch of 64 steps', () => {
    const order = new Int32Array(100_000);
    blockOrder(order, new Rng(1));
    // 64 consecutive steps come from about 64 different blocks of 64 rows, not one.
    const blocks = new Set(Array.from(order.subarray(0, 64), (i) => i >> 6));
    expect(blocks.size).toBeGreaterThan(30);
  });

  it('visits given steps (BPR and WARP entries) in a block order of their positions', () => {
    const steps = Int32Array.from({ length: 5000 }, (_, i) => 3 * i + 1);
    const order = new Int32Array(steps.length);
    const positions = new Int32Array(steps.length);
    blockOrder(order, new Rng(4), steps);
    blockOrder(positions, new Rng(4));
    expect(Array.from(order)).toEqual(Array.from(positions, (i) => steps[i]));
  });
});
