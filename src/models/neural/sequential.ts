// The sequential recommender: the next product from a customer's time-ordered events with SASRec-style
// causal self-attention (Kang & McAuley 2018) and a session level above the events (as hierarchical
// RNNs do, Quadrana et al. 2017): events split into sessions at gaps over sessionGapHours, each block's
// attention biased by how many sessions separate two events, and the previous session's mean item fed
// into each event's input (sessionGapHours = 0 turns the session level off). Trained on tfjs (wasm)
// with sampled softmax and early stopping on each customer's last training event; served in plain
// TypeScript from the exported weights and each customer's stored last maxLength events, to which the
// request's recent events (ScoringRequest.recent, one new session) are appended.
import { z } from 'zod';
import { NextbestError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { buildSequences, shuffle, type SparseRow, type TopK } from '../../matrix/index.js';
import { BaseRecommender } from '../base.js';
import { checkSameParams, notFitted, stateArray, stateCount, trainingShape } from '../common.js';
import type { FitOptions, ModelState, Reason, ScoringRequest, TrainingSet } from '../contract.js';
import { checkpoint, cosineSimilarItems, unitRows } from '../mf-common.js';
import { MAX_FACTORS, MAX_ITERATIONS, numberParam, parseParams, type RawParams } from '../params.js';
import { heldOutNdcg, trainWithEarlyStopping } from './early-stopping.js';
import { buildBatch, trainingWindows, type Sequence, type Window } from './sequential-batches.js';
import { forwardLast, scoreProducts } from './sequential-forward.js';
import { SequentialGraph, type Negatives } from './sequential-graph.js';
import { initialWeights, weightShapes, type SequentialShape, type SequentialWeights } from './sequential-weights.js';
import { sessionNumbers } from './sessions.js';
import { loadTf, type Tf } from './tf.js';

export const SequentialParams = z
  .object({
    /** Embedding width d (a multiple of heads). */
    factors: numberParam(z.number().int().min(2).max(MAX_FACTORS)).default(64),
    blocks: numberParam(z.number().int().min(1).max(8)).default(1),
    heads: numberParam(z.number().int().min(1).max(16)).default(1),
    /** Events per customer the model reads (the latest). */
    maxLength: numberParam(z.number().int().min(2).max(1000)).default(30),
    dropout: numberParam(z.number().min(0).max(0.9)).default(0.2),
    /** Adam step. */
    learningRate: numberParam(z.number().positive()).default(0.005),
    epochs: numberParam(z.number().int().min(1).max(MAX_ITERATIONS)).default(6),
    batchSize: numberParam(z.number().int().min(1).max(4096)).default(128),
    /**
     * 0 (default): softmax over every product. Else shared negatives per batch (sampled softmax by popularity
     * with the logQ correction), for catalogues too large for that; on ML-NEXT it ranks far worse (HR@10 0.09 vs 0.15).
     */
    negatives: numberParam(z.number().int().min(0).max(100_000)).default(0),
    /** Validations without improvement before stopping (NDCG@10 of each customer's last training event); 0: no validation. */
    patience: numberParam(z.number().int().min(0).max(MAX_ITERATIONS)).default(2),
    seed: numberParam(z.number().int()).default(42),
    /** A gap longer than this starts a new session (e.g. 720 for monthly data); 0: no session level. */
    sessionGapHours: numberParam(z.number().min(0)).default(1),
    /** L2 penalty on the embeddings of the products a batch predicts. */
    l2: numberParam(z.number().min(0)).default(0),
  })
  .strict();
export type SequentialParams = z.output<typeof SequentialParams>;

/** Validation customers scored per tf call. */
const VALIDATION_BATCH = 256;

interface Fitted {
  shape: SequentialShape;
  weights: SequentialWeights;
  customers: number;
  /** Customer u's stored events are tailProducts[tailOffsets[u] .. tailOffsets[u+1]), with their session numbers. */
  tailOffsets: Int32Array;
  tailProducts: Int32Array;
  tailSessions: Int32Array;
  /** log(1 + training events) per product: the scores of a customer with no events at all. */
  popular: Float32Array;
}

export class SequentialRecommender extends BaseRecommender<SequentialParams> {
  readonly name = 'sequential';
  private f: Fitted | null = null;
  private unitItems: Float32Array | null = null;

  constructor(params: RawParams = {}) {
    super(parseParams('sequential', SequentialParams, params));
    if (this.params.factors % this.params.heads !== 0)
      throw new NextbestError('BAD_PARAMETER', `model "sequential": factors (${this.params.factors}) must be a multiple of heads (${this.params.heads})`);
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    opts?.signal?.throwIfAborted();
    const { customers, products } = trainingShape(this.name, data);
    const p = this.params;
    const shape: SequentialShape = { products, factors: p.factors, blocks: p.blocks, heads: p.heads, maxLength: p.maxLength, sessions: p.sessionGapHours > 0 };
    const sequences = customerSequences(data, customers, p.sessionGapHours * 3600);
    const tf = await loadTf();
    const weights = await train(tf, shape, p, sequences, opts);
    const tails = storeTails(sequences, p.maxLength);
    const popular = new Float32Array(products);
    for (const s of sequences) for (const q of s.products) popular[q]++;
    for (let j = 0; j < products; j++) popular[j] = Math.log1p(popular[j]);
    this.install({ shape, weights, customers, ...tails, popular });
  }

  private install(f: Fitted): void {
    this.f = f;
    this.products = f.shape.products;
    this.unitItems = null;
  }

  private fitted(): Fitted {
    if (!this.f) throw notFitted(this.name);
    return this.f;
  }

  /**
   * The events the model reads for a customer, oldest first, at most maxLength: a trained customer's
   * stored ones (unless fromHistory), else the history's products in index order (a history row is
   * unordered), as one session; then the request's recent events as one new session.
   */
  sequenceOf(customer: number, history: SparseRow, fromHistory = false, request?: ScoringRequest): Sequence {
    const f = this.fitted();
    const products: number[] = [];
    const sessions: number[] = [];
    const known = !fromHistory && Number.isInteger(customer) && customer >= 0 && customer < f.customers && f.tailOffsets[customer + 1] > f.tailOffsets[customer];
    if (known) {
      for (let q = f.tailOffsets[customer]; q < f.tailOffsets[customer + 1]; q++) {
        products.push(f.tailProducts[q]);
        sessions.push(f.tailSessions[q]);
      }
    } else {
      for (let t = 0; t < history.indices.length; t++) {
        const j = history.indices[t];
        if (j >= 0 && j < f.shape.products && history.data[t] > 0) {
          products.push(j);
          sessions.push(0);
        }
      }
    }
    const recent = request?.recent;
    if (recent && recent.length) {
      const session = sessions.length ? sessions[sessions.length - 1] + 1 : 0;
      for (const j of recent)
        if (j >= 0 && j < f.shape.products) {
          products.push(j);
          sessions.push(session);
        }
    }
    const from = Math.max(0, products.length - f.shape.maxLength);
    return { products: Int32Array.from(products.slice(from)), sessions: Int32Array.from(sessions.slice(from)) };
  }

  scoreInto(customer: number, history: SparseRow, out: Float32Array, fromHistory = false, request?: ScoringRequest): void {
    const f = this.fitted();
    const seq = this.sequenceOf(customer, history, fromHistory, request);
    if (!seq.products.length) {
      out.set(f.popular);
      return;
    }
    const { hidden } = forwardLast(f.shape, f.weights, seq.products, seq.sessions);
    scoreProducts(f.shape, f.weights, hidden, out);
  }

  /** The event the prediction attended to most (last block, mean over heads), for every product asked about. */
  explain(customer: number, history: SparseRow, products: Int32Array, fromHistory = false, request?: ScoringRequest): Reason[] {
    const f = this.fitted();
    const seq = this.sequenceOf(customer, history, fromHistory, request);
    if (!seq.products.length) return Array.from(products, (): Reason => ({ kind: 'none', weight: null }));
    const { attention } = forwardLast(f.shape, f.weights, seq.products, seq.sessions);
    let best = 0;
    for (let t = 1; t < attention.length; t++) if (attention[t] >= attention[best]) best = t;
    const product = seq.products[best];
    return Array.from(products, (): Reason => ({ kind: 'held-product', product, weight: attention[best], total: null, measure: 'attention' }));
  }

  /** The products whose embeddings point the same way (cosine). */
  similarItems(products: Int32Array, k: number): TopK[] {
    const f = this.fitted();
    const d = f.shape.factors;
    const n = f.shape.products;
    const unit = (this.unitItems ??= unitRows(f.weights.item.subarray(d), n, d));
    return cosineSimilarItems(unit, n, d, products, k);
  }

  state(): ModelState {
    const f = this.fitted();
    const arrays: ModelState['arrays'] = { tailOffsets: f.tailOffsets, tailProducts: f.tailProducts, tailSessions: f.tailSessions, popular: f.popular };
    for (const [name, w] of Object.entries(f.weights)) arrays[`w.${name}`] = w;
    return { arrays, json: { params: this.params, customers: f.customers, products: f.shape.products } };
  }

  restore(state: ModelState): void {
    checkSameParams(this.name, this.params, state);
    const customers = stateCount(this.name, state, 'customers');
    const products = stateCount(this.name, state, 'products');
    const p = this.params;
    const shape: SequentialShape = { products, factors: p.factors, blocks: p.blocks, heads: p.heads, maxLength: p.maxLength, sessions: p.sessionGapHours > 0 };
    const weights: SequentialWeights = {};
    for (const [name, dims] of weightShapes(shape))
      weights[name] = stateArray(this.name, state, `w.${name}`, Float32Array, dims.reduce((a, b) => a * b, 1));
    const tailOffsets = stateArray(this.name, state, 'tailOffsets', Int32Array, customers + 1);
    const stored = tailOffsets[customers];
    const tailProducts = stateArray(this.name, state, 'tailProducts', Int32Array, stored);
    for (const j of tailProducts)
      if (!(j >= 0 && j < products)) throw new NextbestError('CORRUPT_MODEL', `model ${this.name}: a stored event names a product outside 0..${products - 1}`);
    this.install({
      shape,
      weights,
      customers,
      tailOffsets,
      tailProducts,
      tailSessions: stateArray(this.name, state, 'tailSessions', Int32Array, stored),
      popular: stateArray(this.name, state, 'popular', Float32Array, products),
    });
  }
}

/** Every customer's events in time order with their session numbers. */
function customerSequences(data: TrainingSet, customers: number, gapSeconds: number): Sequence[] {
  const all = buildSequences(data.log);
  return Array.from({ length: customers }, (_, u) => {
    const a = u + 1 < all.offsets.length ? all.offsets[u] : 0;
    const b = u + 1 < all.offsets.length ? all.offsets[u + 1] : 0;
    return { products: all.products.slice(a, b), sessions: sessionNumbers(all.times.slice(a, b), gapSeconds) };
  });
}

/** Each customer's last maxLength events, session numbers counted from the first kept one. */
function storeTails(sequences: Sequence[], maxLength: number): Pick<Fitted, 'tailOffsets' | 'tailProducts' | 'tailSessions'> {
  const tailOffsets = new Int32Array(sequences.length + 1);
  sequences.forEach((s, u) => (tailOffsets[u + 1] = tailOffsets[u] + Math.min(maxLength, s.products.length)));
  const tailProducts = new Int32Array(tailOffsets[sequences.length]);
  const tailSessions = new Int32Array(tailProducts.length);
  sequences.forEach((s, u) => {
    const from = s.products.length - (tailOffsets[u + 1] - tailOffsets[u]);
    tailProducts.set(s.products.subarray(from), tailOffsets[u]);
    for (let t = from; t < s.products.length; t++) tailSessions[tailOffsets[u] + t - from] = s.sessions[t] - s.sessions[from];
  });
  return { tailOffsets, tailProducts, tailSessions };
}

/** A customer's validation case: the events before their last training event, and that event. */
interface Holdout {
  window: Window;
  target: number;
}

/** Trains the graph with Adam and early stopping; returns the best validated weights. */
async function train(tf: Tf, shape: SequentialShape, p: SequentialParams, sequences: Sequence[], opts: FitOptions | undefined): Promise<SequentialWeights> {
  const T = shape.maxLength;
  const rng = new Rng(p.seed);
  const windows: Window[] = [];
  const holdouts: Holdout[] = [];
  for (const s of sequences) {
    const n = s.products.length;
    if (p.patience > 0 && n >= 3) {
      const cut = { products: s.products.subarray(0, n - 1), sessions: s.sessions.subarray(0, n - 1) };
      trainingWindows(cut, T, windows);
      holdouts.push({ window: { sequence: s, start: Math.max(0, n - 1 - T), end: n - 1 }, target: s.products[n - 1] });
    } else trainingWindows(s, T, windows);
  }
  if (!windows.length) throw new NextbestError('NO_EVENTS', 'model sequential: no customer has two events to learn a next product from');
  const sampler = p.negatives > 0 ? popularitySampler(windows, shape.products) : null;
  const graph = new SequentialGraph(tf, shape, initialWeights(shape, p.seed));
  const optimizer = tf.train.adam(p.learningRate);
  try {
    const result = await trainWithEarlyStopping(
      {
        epochs: p.epochs,
        // Without a customer of three events there is nothing to validate on: every epoch trains.
        patience: holdouts.length ? p.patience : 0,
        runEpoch: async () => {
          shuffle(windows, windows.length, rng);
          let total = 0;
          let count = 0;
          for (let at = 0; at < windows.length; at += p.batchSize) {
            await checkpoint(opts?.signal);
            const batch = buildBatch(windows.slice(at, at + p.batchSize), T, shape.sessions, true);
            const negatives = sampler ? sampler(rng, p.negatives, batch.targets) : null;
            const seed = rng.int(2 ** 31);
            const loss = optimizer.minimize(() => graph.loss(batch, negatives, p.dropout, seed, p.l2) as ReturnType<Tf['scalar']>, true);
            total += (loss?.dataSync()[0] ?? 0) * batch.targets.length;
            count += batch.targets.length;
            loss?.dispose();
          }
          return count ? total / count : 0;
        },
        validate: () => validationNdcg(tf, graph, holdouts, shape),
        snapshot: () => graph.export(),
      },
      opts,
    );
    return result.best;
  } finally {
    optimizer.dispose();
    graph.dispose();
  }
}

/** NDCG@10 of each holdout's target among the products outside its input events. */
function validationNdcg(tf: Tf, graph: SequentialGraph, holdouts: Holdout[], shape: SequentialShape): number {
  let sum = 0;
  for (let at = 0; at < holdouts.length; at += VALIDATION_BATCH) {
    const part = holdouts.slice(at, at + VALIDATION_BATCH);
    const batch = buildBatch(part.map((h) => h.window), shape.maxLength, shape.sessions, false);
    const out = tf.tidy(() => graph.lastScores(batch));
    const scores = out.dataSync() as Float32Array;
    out.dispose();
    part.forEach((h, b) => {
      const row = scores.subarray(b * shape.products, (b + 1) * shape.products);
      const seen = new Set(h.window.sequence.products.subarray(0, h.window.end));
      sum += heldOutNdcg(row, h.target, (j) => seen.has(j));
    });
  }
  return holdouts.length ? sum / holdouts.length : 0;
}

/** Draws a batch's shared negatives by training popularity (+1), with the log-probabilities the correction needs. */
function popularitySampler(windows: Window[], products: number): (rng: Rng, n: number, targets: Int32Array) => Negatives {
  const counts = new Float64Array(products).fill(1);
  for (const w of windows) for (let t = w.start + 1; t <= w.end; t++) counts[w.sequence.products[t]]++;
  const cdf = new Float64Array(products);
  let total = 0;
  for (let j = 0; j < products; j++) cdf[j] = total += counts[j];
  const logQ = Float32Array.from(counts, (c) => Math.log(c / total));
  return (rng, n, targets) => {
    const items = new Int32Array(n);
    const q = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const r = rng.next() * total;
      let lo = 0;
      let hi = products - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      items[i] = lo + 1;
      q[i] = logQ[lo];
    }
    return { items, logQ: q, targetLogQ: Float32Array.from(targets, (t) => logQ[t - 1]) };
  };
}
