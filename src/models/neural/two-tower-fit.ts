// Training the two-tower model: the training pairs less a validation part (./two-tower-validation),
// epochs of shuffled batches through ./two-tower-graph (TensorFlow.js), and early stopping on the
// validation NDCG@10 scored with the serving forward pass on the exported weights. Deterministic for a
// seed: every random draw (weights, order, history samples, dropout) comes from one seeded Rng and the
// wasm backend runs single-threaded.
import { NextbestError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { CsrMatrix, shuffle } from '../../matrix/index.js';
import type { FitOptions } from '../contract.js';
import { trainWithEarlyStopping } from './early-stopping.js';
import { loadTf } from './tf.js';
import { makeBatch, type TowerData } from './two-tower-batch.js';
import type { TwoTowerWeights } from './two-tower-forward.js';
import { TwoTowerGraph, type TrainSettings } from './two-tower-graph.js';

export interface TrainConfig extends TrainSettings {
  factors: number;
  hidden: number;
  epochs: number;
  batchSize: number;
  patience: number;
  idDropout: number;
  productDropout: number;
  historyLength: number;
  seed: number;
}

/** Pairs of the positive interactions: the histories and, per pair, its row in the given context matrix. */
export interface TrainingPairs {
  /** customers x products, positive pairs only, each with its strength (training weighs pairs by it). */
  history: CsrMatrix;
  /** Per pair of history, its row in the full context matrix. */
  origin: Int32Array;
}

/** The positive pairs of userItem, less those marked in `drop` (positions of userItem). */
export function positivePairs(userItem: CsrMatrix, drop?: Uint8Array): TrainingPairs {
  const indptr = new Int32Array(userItem.rows + 1);
  const keep: number[] = [];
  for (let u = 0; u < userItem.rows; u++) {
    for (let q = userItem.indptr[u]; q < userItem.indptr[u + 1]; q++) if (userItem.data[q] > 0 && !drop?.[q]) keep.push(q);
    indptr[u + 1] = keep.length;
  }
  const origin = Int32Array.from(keep);
  const indices = Int32Array.from(origin, (q) => userItem.indices[q]);
  return { history: new CsrMatrix(userItem.rows, userItem.cols, indptr, indices, Float32Array.from(origin, (q) => userItem.data[q])), origin };
}

/** Rows `rows` of m, in that order. */
export function selectRows(m: CsrMatrix, rows: Int32Array): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (indptr[i + 1] = indptr[i] + m.indptr[r + 1] - m.indptr[r]));
  const indices = new Int32Array(indptr[rows.length]);
  const data = new Float32Array(indptr[rows.length]);
  rows.forEach((r, i) => {
    indices.set(m.indices.subarray(m.indptr[r], m.indptr[r + 1]), indptr[i]);
    data.set(m.data.subarray(m.indptr[r], m.indptr[r + 1]), indptr[i]);
  });
  return new CsrMatrix(rows.length, m.cols, indptr, indices, data);
}

/** log of each product's share of the pairs (1 pair for products without any). */
export function logPopularity(history: CsrMatrix): Float32Array {
  const counts = new Float64Array(history.cols);
  for (let t = 0; t < history.nnz; t++) counts[history.indices[t]]++;
  const total = Math.max(1, history.nnz);
  return Float32Array.from(counts, (c) => Math.log(Math.max(1, c) / total));
}

/**
 * Trains on data (its history: the training part) and returns the best validated weights; `validation`
 * scores weights (higher is better). With a wide part (fitted beforehand: ./wide-part), the towers and
 * the product biases train on top of it, starting from its biases.
 */
export async function trainTwoTower(
  data: TowerData,
  shape: { customers: number; products: number },
  config: TrainConfig,
  wide: { weights: Float32Array; bias: Float32Array; columns: number } | null,
  validation: (w: TwoTowerWeights) => number,
  opts: FitOptions | undefined,
): Promise<TwoTowerWeights> {
  const n = data.history.nnz;
  if (n === 0) throw new NextbestError('NO_EVENTS', 'model two-tower: the training set has no positive interactions');
  const tf = await loadTf();
  const rng = new Rng(config.seed);
  const owners = new Int32Array(n);
  for (let u = 0; u < data.history.rows; u++) owners.fill(u, data.history.indptr[u], data.history.indptr[u + 1]);
  const graph = new TwoTowerGraph(
    tf,
    {
      ...shape,
      factors: config.factors,
      hidden: config.hidden,
      customerAttrColumns: data.customerAttrColumns,
      contextColumns: data.contextColumns,
      productAttrColumns: data.productAttrColumns,
      layout: data.layout,
      catalogue: catalogue(data),
      productBias: wide ? wide.bias : centred(data.logQ),
      wide,
    },
    rng,
    config,
  );
  try {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const size = Math.min(config.batchSize, n);
    const batches = Math.max(1, Math.floor(n / size));
    const result = await trainWithEarlyStopping(
      {
        epochs: config.epochs,
        patience: config.patience,
        validateStart: wide !== null,
        runEpoch: () => {
          shuffle(order, n, rng);
          let total = 0;
          for (let s = 0; s < batches; s++) {
            opts?.signal?.throwIfAborted();
            const batch = makeBatch(data, order.subarray(s * size, (s + 1) * size), owners, {
              historyLength: config.historyLength,
              leaveOut: true,
              dropout: config.idDropout,
              productDropout: config.productDropout,
              rng,
            });
            total += graph.step(batch);
          }
          return total / batches;
        },
        validate: () => validation(graph.weights()),
        snapshot: () => graph.weights(),
      },
      opts,
    );
    return result.best;
  } finally {
    graph.dispose();
  }
}

/** Every product's attribute columns (dense) and present fields: the id where it has training pairs. */
function catalogue(data: TowerData): { attr: Float32Array; fields: Float32Array } {
  const P = data.history.cols;
  const F = data.layout.productFields;
  const width = data.productAttrColumns;
  const attr = new Float32Array(P * width);
  const fields = new Float32Array(P * F);
  for (const j of data.history.indices) fields[j * F] = 1;
  const m = data.productAttr;
  if (m)
    for (let j = 0; j < Math.min(P, m.rows); j++)
      for (let t = m.indptr[j]; t < m.indptr[j + 1]; t++)
        if (m.data[t] > 0) {
          attr[j * width + m.indices[t]] = m.data[t];
          fields[j * F + data.layout.productAttr[m.indices[t]]] = 1;
        }
  return { attr, fields };
}

/** x less its mean. */
function centred(x: Float32Array): Float32Array {
  const mean = x.reduce((s, v) => s + v, 0) / Math.max(1, x.length);
  return Float32Array.from(x, (v) => v - mean);
}
