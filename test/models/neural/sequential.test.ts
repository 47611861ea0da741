import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { buildInteractions, EventLogBuilder, type SparseRow } from '../../../src/matrix/index.js';
import { decodeArtifact, encodeArtifact } from '../../../src/models/artifact.js';
import type { TrainingSet } from '../../../src/models/contract.js';
import { SequentialRecommender } from '../../../src/models/neural/sequential.js';
import { loadTf } from '../../../src/models/neural/tf.js';
import { createModel } from '../../../src/models/registry.js';

const PRODUCTS = 30;
const HOUR = 3600;

/**
 * 120 customers walking a cycle of 30 products: each starts anywhere and steps to the next product
 * (p -> p + 1 mod 30) 6-12 times, a few events an hour apart within a visit and visits days apart.
 */
function chains(seed = 5): TrainingSet {
  const rng = new Rng(seed);
  const b = new EventLogBuilder();
  for (let p = 0; p < PRODUCTS; p++) b.addProduct(`p${p}`);
  for (let c = 0; c < 120; c++) {
    let p = rng.int(PRODUCTS);
    let time = 1_700_000_000 + rng.int(1000) * HOUR;
    const n = 6 + rng.int(7);
    for (let e = 0; e < n; e++) {
      b.add(`c${c}`, `p${p}`, time, 'click', 1);
      p = (p + 1) % PRODUCTS;
      time += rng.next() < 0.3 ? 48 * HOUR : 600;
    }
  }
  b.addCustomer('idle');
  const log = b.build();
  return { log, interactions: buildInteractions(log, { binary: true }) };
}

const small = { factors: 16, blocks: 1, maxLength: 8, dropout: 0.1, learningRate: 0.01, epochs: 30, batchSize: 64, negatives: 0, patience: 0 };
const none: SparseRow = { indices: new Int32Array(0), data: new Float32Array(0) };
const data = chains();
const argmax = (a: Float32Array): number => a.reduce((best, x, i) => (x > a[best] ? i : best), 0);

async function fitted(params: Record<string, number> = {}): Promise<SequentialRecommender> {
  const m = new SequentialRecommender({ ...small, ...params });
  await m.fit(data);
  return m;
}

let trained: Promise<SequentialRecommender> | undefined;
/** The model the first two tests share (fitted once). */
const shared = (): Promise<SequentialRecommender> => (trained ??= fitted());

describe('sequential recommender', () => {
  it('learns the next product, and a recent click moves the list to what follows it', async () => {
    const m = await shared();
    const scores = new Float32Array(PRODUCTS);
    const c = data.log.customers.index('c0');
    const last = m.sequenceOf(c, none).products.at(-1) as number;
    m.scoreInto(c, data.interactions.userItem.row(c), scores);
    expect(argmax(scores)).toBe((last + 1) % PRODUCTS);
    const x = (last + 15) % PRODUCTS;
    m.scoreInto(c, data.interactions.userItem.row(c), scores, false, { recent: Int32Array.of(x) });
    expect(argmax(scores)).toBe((x + 1) % PRODUCTS);
    // A customer the model never saw: from recent events alone, or from a history row (index order).
    const idle = data.log.customers.index('idle');
    m.scoreInto(idle, none, scores, false, { recent: Int32Array.of(3, 4) });
    expect(argmax(scores)).toBe(5);
    m.scoreInto(idle, { indices: Int32Array.of(10, 11, 12), data: new Float32Array(3).fill(1) }, scores);
    expect(argmax(scores)).toBe(13);
    // No events at all: popularity, a finite score for every product.
    m.scoreInto(idle, none, scores);
    expect(scores.every(Number.isFinite)).toBe(true);
  });

  it('explains with the event the prediction attended to most, and finds similar products by embedding', async () => {
    const m = await shared();
    const c = data.log.customers.index('c1');
    const reasons = m.explain(c, none, Int32Array.of(0, 1));
    const seq = m.sequenceOf(c, none).products;
    expect(reasons).toHaveLength(2);
    const r = reasons[0];
    expect(r.kind).toBe('held-product');
    if (r.kind !== 'held-product') return;
    expect(r.measure).toBe('attention');
    expect(Array.from(seq)).toContain(r.product);
    expect(r.weight).toBeGreaterThan(0);
    expect(r.weight).toBeLessThanOrEqual(1);
    const similar = m.similarItems(Int32Array.of(4), 5)[0];
    expect(similar.items).toHaveLength(5);
    expect(Array.from(similar.items)).not.toContain(4);
  });

  it('is deterministic for a seed, and saves and restores as an artifact with the same scores', async () => {
    const a = await fitted({ epochs: 3, negatives: 8, dropout: 0.3, seed: 11 });
    const b = await fitted({ epochs: 3, negatives: 8, dropout: 0.3, seed: 11 });
    const other = await fitted({ epochs: 3, negatives: 8, dropout: 0.3, seed: 12 });
    const sa = new Float32Array(PRODUCTS);
    const sb = new Float32Array(PRODUCTS);
    const so = new Float32Array(PRODUCTS);
    const c = data.log.customers.index('c2');
    a.scoreInto(c, none, sa);
    b.scoreInto(c, none, sb);
    other.scoreInto(c, none, so);
    expect(Array.from(sb)).toEqual(Array.from(sa));
    expect(Array.from(so)).not.toEqual(Array.from(sa));
    const back = decodeArtifact(encodeArtifact({ model: a.name, params: a.params, state: a.state(), meta: {} }));
    const restored = createModel('sequential', back.params as Record<string, number>);
    restored.restore(back.state);
    const sr = new Float32Array(PRODUCTS);
    restored.scoreInto(c, none, sr, false, { recent: Int32Array.of(7) });
    a.scoreInto(c, none, sa, false, { recent: Int32Array.of(7) });
    expect(Array.from(sr)).toEqual(Array.from(sa));
  });

  it('reports the loss every epoch, stops early on its validation split, and honours an abort signal', async () => {
    const tf = await loadTf();
    const losses: number[] = [];
    const tensors: number[] = [];
    const m = new SequentialRecommender({ ...small, epochs: 40, patience: 2 });
    await m.fit(data, {
      onProgress: (p) => {
        losses.push(p.loss ?? NaN);
        tensors.push(tf.memory().numTensors);
      },
    });
    // Nothing accumulates per epoch, and fit leaves no tensor behind (variables and optimizer disposed).
    expect(new Set(tensors.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBeLessThan(tensors[0]);
    expect(losses.length).toBeGreaterThan(1);
    expect(losses.length).toBeLessThan(40);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)).toBeLessThan(losses[0]);
    const controller = new AbortController();
    const aborted = new SequentialRecommender({ ...small, epochs: 40 });
    const fit = aborted.fit(data, { signal: controller.signal, onProgress: (p) => p.iteration === 2 && controller.abort() });
    await expect(fit).rejects.toThrow();
  });

  it('refuses bad parameters in one line', () => {
    expect(() => new SequentialRecommender({ factors: 10, heads: 3 })).toThrow(/multiple of heads/);
    expect(() => new SequentialRecommender({ window: 3 })).toThrow(/has no parameter "window"/);
  });
});
