// The sequential model's training graph on tfjs (wasm): SASRec-style causal self-attention (Kang &
// McAuley 2018) over right-aligned windows of events, with pre-layer-norm blocks, and the session level:
// a learned bias per session distance added to every block's attention logits, and the previous
// session's mean item embedding projected into each event's input. Loss: cross-entropy of the next
// product against a batch's shared negatives drawn by popularity, with the logQ correction (sampled
// softmax), or against every product (negatives = 0). sequential-forward.ts computes the same in TS.
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D, Tf, Variable } from './tf.js';
import type { Batch } from './sequential-batches.js';
import type { SequentialShape, SequentialWeights } from './sequential-weights.js';
import { weightShapes } from './sequential-weights.js';
import { LAYER_NORM_EPSILON } from './sequential-forward.js';
import { MASKED } from './sequential-batches.js';

export interface Negatives {
  /** Product + 1 of each shared negative. */
  items: Int32Array;
  /** log of each negative's sampling probability, and of each target's. */
  logQ: Float32Array;
  targetLogQ: Float32Array;
}

export class SequentialGraph {
  private readonly vars: Map<string, Variable>;

  constructor(private readonly tf: Tf, private readonly s: SequentialShape, init: SequentialWeights) {
    this.vars = new Map(weightShapes(s).map(([name, shape]) => [name, tf.variable(tf.tensor(init[name], shape), true)]));
  }

  private v(name: string): Variable {
    return this.vars.get(name) as Variable;
  }

  /** The hidden state of every position, [B * T, d] (after the final layer norm); dropout > 0 when training. */
  hidden(batch: Batch, dropout: number, seed: number): Tensor2D {
    const { tf, s } = this;
    const B = batch.size;
    const T = s.maxLength;
    const d = s.factors;
    const H = s.heads;
    const dh = d / H;
    let seeds = seed;
    const drop = (x: Tensor): Tensor => (dropout > 0 ? tf.dropout(x, dropout, undefined, seeds++) : x);
    const keep = tf.tensor3d(batch.keep, [B, T, 1]);
    const items = tf.tensor1d(batch.items, 'int32');
    const embedded = tf.gather(this.v('item'), items);
    let x: Tensor = tf.add(tf.reshape(tf.mul(embedded, Math.sqrt(d)), [B, T, d]), this.v('position'));
    let bias: Tensor = tf.tensor3d(batch.mask, [B, T, T]);
    if (s.sessions && batch.previousSession) {
      // The previous session's mean item: differences of running sums along each window (row B * T is zero).
      const { previousStart, previousEnd, previousWeight } = batch.previousSession;
      const running = tf.concat([tf.reshape(this.runningSum(tf.mul(tf.reshape(embedded, [B, T, d]), keep)), [B * T, d]), tf.zeros([1, d])]);
      const span = tf.sub(tf.gather(running, tf.tensor1d(previousEnd, 'int32')), tf.gather(running, tf.tensor1d(previousStart, 'int32')));
      const summary = tf.mul(span, tf.tensor2d(previousWeight, [B * T, 1]));
      x = tf.add(x, tf.reshape(tf.matMul(summary, this.v('sessionProjection')), [B, T, d]));
    }
    x = tf.mul(drop(x), keep);
    const distance = s.sessions && batch.distance ? tf.tensor1d(batch.distance, 'int32') : null;
    for (let b = 0; b < s.blocks; b++) {
      let blockBias = bias;
      if (distance) {
        const sessionBias = tf.reshape(tf.gather(tf.gather(this.v('sessionBias'), b), distance), [B, T, T]);
        blockBias = tf.add(bias, sessionBias);
      }
      const h = this.layerNorm(tf.reshape(x, [B * T, d]), `b${b}.ln1`);
      const heads = (w: string): Tensor => {
        const m = tf.matMul(h, this.v(`b${b}.${w}`));
        return H === 1 ? tf.reshape(m, [B, T, d]) : tf.transpose(tf.reshape(m, [B, T, H, dh]), [0, 2, 1, 3]);
      };
      const q = heads('query');
      const k = heads('key');
      const v = heads('value');
      let logits = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
      logits = tf.add(logits, H === 1 ? blockBias : tf.expandDims(blockBias, 1));
      const weights = tf.softmax(logits);
      let attended = tf.matMul(weights, v);
      if (H > 1) attended = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [B, T, d]);
      x = tf.add(x, drop(attended));
      const h2 = this.layerNorm(tf.reshape(x, [B * T, d]), `b${b}.ln2`);
      const mid = tf.relu(tf.add(tf.matMul(h2, this.v(`b${b}.ffn1`)), this.v(`b${b}.ffn1.bias`)));
      const ffn = tf.reshape(tf.add(tf.matMul(mid, this.v(`b${b}.ffn2`)), this.v(`b${b}.ffn2.bias`)), [B, T, d]);
      x = tf.mul(tf.add(x, drop(ffn)), keep);
    }
    return this.layerNorm(tf.reshape(x, [B * T, d]), 'final');
  }

  /** Cumulative sum along axis 1 of [B, T, d], taken along the last axis (tfjs's cumsum gradient has the wrong shape on any other). */
  private runningSum(x: Tensor): Tensor {
    const { tf } = this;
    return tf.transpose(tf.cumsum(tf.transpose(x, [0, 2, 1]), 2), [0, 2, 1]);
  }

  private layerNorm(x: Tensor2D, name: string): Tensor2D {
    const { tf } = this;
    const { mean, variance } = tf.moments(x, 1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON)));
    return tf.add(tf.mul(normed, this.v(`${name}.gain`)), this.v(`${name}.bias`));
  }

  /** Mean cross-entropy of the batch's targets (sampled softmax when negatives are given), plus l2 on the used embeddings. */
  loss(batch: Batch, negatives: Negatives | null, dropout: number, seed: number, l2: number): Tensor {
    const { tf } = this;
    const hidden = tf.gather(this.hidden(batch, dropout, seed), tf.tensor1d(batch.rows, 'int32'));
    const targets = tf.tensor1d(batch.targets, 'int32');
    const targetEmbedding = tf.gather(this.v('item'), targets);
    let positive: Tensor = tf.sum(tf.mul(hidden, targetEmbedding), 1);
    let logits: Tensor;
    if (negatives) {
      // The target's logit first, then the shared negatives' (a negative that is the row's target masked).
      positive = tf.sub(positive, tf.tensor1d(negatives.targetLogQ));
      const negativeEmbedding = tf.gather(this.v('item'), tf.tensor1d(negatives.items, 'int32'));
      const hits = accidentalHits(batch.targets, negatives.items);
      const sampled = tf.add(tf.sub(tf.matMul(hidden, negativeEmbedding, false, true), tf.tensor1d(negatives.logQ)), tf.tensor2d(hits, [batch.targets.length, negatives.items.length]));
      logits = tf.concat([tf.expandDims(positive, 1), sampled], 1);
    } else {
      const products = tf.slice(this.v('item'), [1, 0], [this.s.products, this.s.factors]);
      logits = tf.matMul(hidden, products, false, true);
    }
    const ce = tf.sub(meanLogSumExp(tf, logits as Tensor2D), tf.mean(positive));
    return l2 > 0 ? tf.add(ce, tf.mul(l2, tf.mean(tf.sum(tf.square(targetEmbedding), 1)))) : ce;
  }

  /** The hidden state of the last position of each window, [B, d], without dropout. */
  lastHidden(batch: Batch): Tensor2D {
    const { tf } = this;
    const T = this.s.maxLength;
    const rows = Int32Array.from({ length: batch.size }, (_, b) => b * T + T - 1);
    return tf.gather(this.hidden(batch, 0, 0), tf.tensor1d(rows, 'int32'));
  }

  /** Scores of every product for the last position of each window, [B, products]. */
  lastScores(batch: Batch): Tensor2D {
    const { tf } = this;
    return tf.slice(tf.matMul(this.lastHidden(batch), this.v('item'), false, true), [0, 1], [-1, -1]) as Tensor2D;
  }

  variables(): Variable[] {
    return [...this.vars.values()];
  }

  /** A copy of every weight as Float32Arrays. */
  export(): SequentialWeights {
    const out: SequentialWeights = {};
    for (const [name, v] of this.vars) out[name] = Float32Array.from(v.dataSync() as Float32Array);
    return out;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
  }
}

/**
 * The mean over rows of log sum exp, with its gradient fused (softmax / rows): the softmax
 * cross-entropy's costly half, in a third of the passes over the rows x products logits that the
 * composed ops (and tf.losses.softmaxCrossEntropy) take.
 */
function meanLogSumExp(tf: Tf, logits: Tensor2D): Tensor {
  const rows = logits.shape[0];
  const body = (x: Tensor, save: GradSaveFunc) => {
    const max = tf.max(x, 1, true);
    const e = tf.exp(tf.sub(x, max));
    const sum = tf.sum(e, 1, true);
    save([e, sum]);
    return {
      value: tf.mean(tf.add(tf.log(sum), max)),
      gradFunc: (dy: Tensor, [saved, total]: Tensor[]) => tf.mul(tf.div(saved, total), tf.div(dy, rows)),
    };
  };
  return tf.customGrad(body as unknown as Parameters<Tf['customGrad']>[0])(logits);
}

/** MASKED where a shared negative is the row's own target (it must not count against it), 0 elsewhere. */
function accidentalHits(targets: Int32Array, negatives: Int32Array): Float32Array {
  const out = new Float32Array(targets.length * negatives.length);
  const at = new Map<number, number[]>();
  negatives.forEach((p, j) => at.set(p, [...(at.get(p) ?? []), j]));
  targets.forEach((p, r) => {
    for (const j of at.get(p) ?? []) out[r * negatives.length + j] = MASKED;
  });
  return out;
}
