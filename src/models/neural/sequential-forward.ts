// The sequential model's forward pass in plain TypeScript, for serving without tf: one customer's
// sequence (at most maxLength products, oldest first, with session numbers) through the embedding, the
// causal self-attention blocks and the final layer norm, giving the last event's hidden state (scores
// are its dot with every product's embedding) and the last block's attention weights over the events.
// It computes exactly what sequential-graph.ts trains (pre-layer-norm blocks, a learned bias per session
// distance in every block's attention logits, the previous session's mean item projected into the input).
import { previousSessions, sessionDistances, SESSION_DISTANCES } from './sessions.js';
import type { SequentialShape, SequentialWeights } from './sequential-weights.js';

export const LAYER_NORM_EPSILON = 1e-6;

export interface ForwardResult {
  /** The last event's output (length d). */
  hidden: Float32Array;
  /** The last block's attention of the last event over the n events (mean over heads). */
  attention: Float32Array;
}

/** products: product indices, oldest first (n <= maxLength, n >= 1); sessions: their session numbers. */
export function forwardLast(s: SequentialShape, w: SequentialWeights, products: ArrayLike<number>, sessions: ArrayLike<number>): ForwardResult {
  const d = s.factors;
  const n = products.length;
  const T = s.maxLength;
  const pad = T - n;
  const item = w.item;
  const x = new Float32Array(n * d);
  const scale = Math.sqrt(d);
  for (let t = 0; t < n; t++) {
    const e = (products[t] + 1) * d;
    const p = (pad + t) * d;
    for (let j = 0; j < d; j++) x[t * d + j] = item[e + j] * scale + w.position[p + j];
  }
  let distance: Int32Array | null = null;
  if (s.sessions) {
    // The window alone (T = n, no padding) gives the same distances as the padded one.
    distance = new Int32Array(n * n);
    sessionDistances(sessions, n, n, distance, 0);
    const spans = previousSessions(sessions, n);
    const summary = new Float32Array(d);
    for (let t = 0; t < n; t++) {
      if (spans.start[t] < 0) continue;
      summary.fill(0);
      const share = 1 / (spans.end[t] - spans.start[t]);
      for (let j = spans.start[t]; j < spans.end[t]; j++) {
        const e = (products[j] + 1) * d;
        for (let k = 0; k < d; k++) summary[k] += share * item[e + k];
      }
      addMatVec(summary, w.sessionProjection, d, d, x, t * d);
    }
  }
  const h = new Float32Array(n * d);
  const q = new Float32Array(n * d);
  const k = new Float32Array(n * d);
  const v = new Float32Array(n * d);
  const hidden1 = new Float32Array(d);
  const attention = new Float32Array(n);
  const heads = s.heads;
  const dh = d / heads;
  const logits = new Float64Array(n);
  for (let b = 0; b < s.blocks; b++) {
    const last = b === s.blocks - 1;
    for (let t = 0; t < n; t++) layerNorm(x, t * d, d, w[`b${b}.ln1.gain`], w[`b${b}.ln1.bias`], h, t * d);
    matMul(h, n, d, w[`b${b}.query`], d, q);
    matMul(h, n, d, w[`b${b}.key`], d, k);
    matMul(h, n, d, w[`b${b}.value`], d, v);
    const bias = s.sessions ? w.sessionBias.subarray(b * SESSION_DISTANCES, (b + 1) * SESSION_DISTANCES) : null;
    // Later blocks need every event's output; the last block only the last event's.
    for (let t = last ? n - 1 : 0; t < n; t++) {
      const out = new Float32Array(d);
      for (let hd = 0; hd < heads; hd++) {
        const o = hd * dh;
        let max = -Infinity;
        for (let j = 0; j <= t; j++) {
          let sdot = 0;
          for (let c = 0; c < dh; c++) sdot += q[t * d + o + c] * k[j * d + o + c];
          let l = sdot / Math.sqrt(dh);
          if (bias && distance) l += bias[distance[t * n + j]];
          logits[j] = l;
          if (l > max) max = l;
        }
        let sum = 0;
        for (let j = 0; j <= t; j++) sum += (logits[j] = Math.exp(logits[j] - max));
        for (let j = 0; j <= t; j++) {
          const a = logits[j] / sum;
          if (last) attention[j] += a / heads;
          for (let c = 0; c < dh; c++) out[o + c] += a * v[j * d + o + c];
        }
      }
      for (let c = 0; c < d; c++) x[t * d + c] += out[c];
    }
    for (let t = last ? n - 1 : 0; t < n; t++) {
      layerNorm(x, t * d, d, w[`b${b}.ln2.gain`], w[`b${b}.ln2.bias`], hidden1, 0);
      const mid = w[`b${b}.ffn1.bias`].slice();
      addMatVec(hidden1, w[`b${b}.ffn1`], d, d, mid, 0);
      for (let c = 0; c < d; c++) if (mid[c] < 0) mid[c] = 0;
      const b2 = w[`b${b}.ffn2.bias`];
      for (let c = 0; c < d; c++) x[t * d + c] += b2[c];
      addMatVec(mid, w[`b${b}.ffn2`], d, d, x, t * d);
    }
  }
  const hidden = new Float32Array(d);
  layerNorm(x, (n - 1) * d, d, w['final.gain'], w['final.bias'], hidden, 0);
  return { hidden, attention };
}

/** out[j] = hidden · item[j + 1] for every product j. */
export function scoreProducts(s: SequentialShape, w: SequentialWeights, hidden: Float32Array, out: Float32Array): void {
  const d = s.factors;
  const item = w.item;
  for (let j = 0; j < s.products; j++) {
    const e = (j + 1) * d;
    let sum = 0;
    for (let c = 0; c < d; c++) sum += hidden[c] * item[e + c];
    out[j] = sum;
  }
}

function layerNorm(x: Float32Array, at: number, d: number, gain: Float32Array, bias: Float32Array, out: Float32Array, to: number): void {
  let mean = 0;
  for (let c = 0; c < d; c++) mean += x[at + c];
  mean /= d;
  let variance = 0;
  for (let c = 0; c < d; c++) variance += (x[at + c] - mean) ** 2;
  variance /= d;
  const inv = 1 / Math.sqrt(variance + LAYER_NORM_EPSILON);
  for (let c = 0; c < d; c++) out[to + c] = (x[at + c] - mean) * inv * gain[c] + bias[c];
}

/** out (rows x cols) = a (rows x inner) · m (inner x cols). */
function matMul(a: Float32Array, rows: number, inner: number, m: Float32Array, cols: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) addMatVec(a.subarray(r * inner, (r + 1) * inner), m, inner, cols, out, r * cols);
}

/** out[to + c] += sum over i of v[i] m[i][c] (m: inner x cols). */
function addMatVec(v: Float32Array, m: Float32Array, inner: number, cols: number, out: Float32Array, to: number): void {
  for (let i = 0; i < inner; i++) {
    const a = v[i];
    if (a === 0) continue;
    const r = i * cols;
    for (let c = 0; c < cols; c++) out[to + c] += a * m[r + c];
  }
}
