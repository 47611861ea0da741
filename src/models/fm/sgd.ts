// Stochastic gradient descent for FMs, as libFM's SGD: one pass over the rows per epoch, each row
// updating w0, then w_j and v_j of its features with the gradient of the squared error (regression,
// prediction clipped to the target range) or of the logistic loss (classification), plus L2
// regularisation per feature group. O(k * nnz) per epoch. With shuffle (the default) each epoch visits
// the rows in a fresh cache-friendly random order (../visit-order).
import { Rng } from '../../core/rng.js';
import { groupCount, type Design } from './design.js';
import { clip, FmParams, sigmoid, targetRange } from './model.js';
import { checkPositiveInt, isPositive, logLossOf, resolveReg, rmseOf, type FmFitOptions } from './options.js';
import { predictWith, type FmFitResult } from './result.js';
import { blockOrder } from '../visit-order.js';

export function fitSgd(design: Design, opts: FmFitOptions = {}): FmFitResult {
  const started = performance.now();
  const { x, y, groups } = design;
  const task = opts.task ?? 'regression';
  const k = checkPositiveInt(opts.k ?? 8, 'k', 0);
  const iterations = checkPositiveInt(opts.iterations ?? 100, 'iterations', 0);
  const lr = opts.learnRate ?? 0.01;
  const initStdev = opts.initStdev ?? 0.1;
  const reg = resolveReg(opts.reg, groupCount(design), 0.01);
  const rng = new Rng(opts.seed ?? 1);
  const shuffle = opts.shuffle ?? true;
  const n = x.cols;
  const params = new FmParams(n, k);
  for (let t = 0; t < params.v.length; t++) params.v[t] = initStdev * rng.normal();
  const { min, max } = targetRange(y);
  const classify = task === 'classification';
  const link = classify ? 'logit' : 'identity';
  const { w, v } = params;
  const regW = new Float64Array(n);
  const regV = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    regW[j] = reg.w[groups[j]];
    regV[j] = reg.v[groups[j]];
  }
  const sum = new Float64Array(k);
  const order = new Int32Array(x.rows);
  for (let i = 0; i < order.length; i++) order[i] = i;
  let testPredictions: Float64Array | undefined;

  for (let it = 0; it < iterations; it++) {
    if (shuffle) blockOrder(order, rng);
    let loss = 0;
    for (let o = 0; o < order.length; o++) {
      const i = order[o];
      const p = params.predictRow(x, i, sum);
      let g: number;
      if (classify) {
        const s = isPositive(y[i]) ? 1 : -1;
        const q = sigmoid(s * p);
        g = s * (q - 1);
        loss -= Math.log(Math.max(q, 1e-15));
      } else {
        const e = clip(p, min, max) - y[i];
        g = e;
        loss += e * e;
      }
      params.w0 -= lr * (g + reg.w0 * params.w0);
      for (let t = x.indptr[i], b = x.indptr[i + 1]; t < b; t++) {
        const j = x.indices[t];
        const xv = x.data[t];
        w[j] -= lr * (g * xv + regW[j] * w[j]);
        const base = j * k;
        const rv = regV[j];
        for (let f = 0; f < k; f++) {
          const vf = v[base + f];
          v[base + f] = vf - lr * (g * xv * (sum[f] - vf * xv) + rv * vf);
        }
      }
    }
    if (opts.test || opts.onProgress) {
      let test: number | undefined;
      if (opts.test) {
        testPredictions = predictWith(params, opts.test.x, link, min, max, testPredictions);
        test = classify ? logLossOf(opts.test.y, testPredictions) : rmseOf(opts.test.y, testPredictions);
      }
      opts.onProgress?.({
        iteration: it + 1,
        iterations,
        train: classify ? loss / Math.max(1, x.rows) : Math.sqrt(loss / Math.max(1, x.rows)),
        test,
        seconds: (performance.now() - started) / 1000,
      });
    }
  }
  return { params, samples: [], task, link, min, max, testPredictions, seconds: (performance.now() - started) / 1000 };
}
