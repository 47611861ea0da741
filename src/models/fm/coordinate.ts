// The coordinate-wise engine behind libFM's ALS and MCMC (fm_learn_mcmc): every parameter in turn is
// set to (ALS) or drawn from (MCMC) its conditional posterior given all others, a Gaussian with
//   precision = lambda + alpha * sum_i h_i^2,  mean = (lambda * mu - alpha * sum_i h_i (e_i - theta h_i)) / precision
// where h_i = d y(x_i) / d theta (x_ij for w_j, x_ij (q_if - v_jf x_ij) for v_jf) and e_i = y(x_i) - target_i.
// The caches e (residual) and q (sum_j v_jf x_ij for the current factor f) are updated after each
// change, so a parameter costs O(rows holding its feature) and a sweep O(k * nnz). Columns are read
// from the transpose of the design (CSC). MCMC also draws alpha ~ Gamma and per-group (mu, lambda) for
// w and for each factor of v from their Normal-Gamma posteriors, and averages predictions over samples;
// classification uses the probit link with latent targets (sampled from truncated normals in MCMC,
// their expectations in ALS, which makes ALS an EM algorithm there). A design's relation block (features
// shared by all rows of an entity, ./relation) is swept on per-entity sums instead of per row, and
// one-hot groups such as the customer and product ids row by row (./row-groups), for cache locality.
import { Rng } from '../../core/rng.js';
import type { CsrMatrix } from '../../matrix/csr.js';
import { groupCount, type Design } from './design.js';
import { FmParams, normalCdf, targetRange } from './model.js';
import { checkPositiveInt, isPositive, logLossOf, resolveReg, rmseOf, type FmFitOptions } from './options.js';
import { checkRelation, predictRawWithRelation, RelationSweeper, type Draw } from './relation.js';
import { findRowGroups, RowSweeper, sweepSegments, type Segment } from './row-groups.js';
import type { FmFitResult } from './result.js';
import { gamma, truncatedNormal, truncatedNormalMean } from './sampling.js';

/** Hyper-prior constants of libFM: alpha_0 = beta_0 = 1 (Gamma), mu_0 = 0, gamma_0 = 1 (Normal). */
const ALPHA_0 = 1;
const BETA_0 = 1;
const MU_0 = 0;
const GAMMA_0 = 1;

/** Memory allowed for kept MCMC samples. */
const SAMPLE_BUDGET_BYTES = 256 * 2 ** 20;

export function fitCoordinate(design: Design, opts: FmFitOptions, sample: boolean): FmFitResult {
  const started = performance.now();
  const { x, y, groups } = design;
  const task = opts.task ?? 'regression';
  const classify = task === 'classification';
  const k = checkPositiveInt(opts.k ?? 8, 'k', 0);
  const iterations = checkPositiveInt(opts.iterations ?? 100, 'iterations', 0);
  const initStdev = opts.initStdev ?? 0.1;
  const rng = new Rng(opts.seed ?? 1);
  const G = groupCount(design);
  const reg = resolveReg(opts.reg, G, 10, 0);
  const N = x.rows;
  const n = x.cols;
  const csc = x.transpose();
  const rel = design.relation;
  const relGroup = rel ? checkRelation(rel, N, groups) : -1;
  const sweeper = rel ? new RelationSweeper(rel) : null;
  // The block's columns are empty in x: the direct sweeps skip them.
  const skipFrom = rel ? rel.offset : n;
  const skipTo = rel ? rel.offset + rel.matrix.cols : n;
  const rowGroups = opts.rowSweeps === false ? [] : findRowGroups(x, groups, skipFrom, skipTo);
  const byRows = new RowSweeper(rowGroups);
  const segments = sweepSegments(n, rowGroups, skipFrom, skipTo);
  const rawOf = (out: Float64Array) => (rel ? predictRawWithRelation(params, x, rel, out) : params.predictRaw(x, out));
  const { min, max } = targetRange(y);
  const link = classify ? 'probit' : 'identity';

  const params = new FmParams(n, k);
  const { w, v } = params;
  for (let t = 0; t < v.length; t++) v[t] = initStdev * rng.normal();

  // Priors: w_j ~ N(muW[g], 1/lamW[g]), v_jf ~ N(muV[g*k+f], 1/lamV[g*k+f]); ALS keeps mu = 0, lambda = reg.
  const muW = new Float64Array(G);
  const lamW = Float64Array.from(reg.w);
  const muV = new Float64Array(G * k);
  const lamV = new Float64Array(G * k);
  for (let g = 0; g < G; g++) lamV.fill(reg.v[g], g * k, g * k + k);
  const groupSize = new Int32Array(G);
  for (let j = 0; j < n; j++) groupSize[groups[j]]++;
  let alpha = 1;

  const z = Float64Array.from(y); // targets; latent for classification
  const e = new Float64Array(N);
  const q = new Float64Array(N * k);
  const raw = new Float64Array(N);
  let longest = 0;
  for (let j = 0; j < n; j++) longest = Math.max(longest, csc.indptr[j + 1] - csc.indptr[j]);
  const hs = new Float64Array(longest);

  const burnIn = sample ? Math.min(opts.burnIn ?? Math.min(5, Math.floor(iterations / 10)), iterations - 1) : 0;
  const perSample = 8 * (n * (k + 1) + 1);
  const keep = sample ? Math.max(0, Math.min(opts.keepSamples ?? 20, Math.floor(SAMPLE_BUDGET_BYTES / perSample), iterations - burnIn)) : 0;
  const stride = keep > 0 ? Math.max(1, Math.floor((iterations - burnIn) / keep)) : 1;
  const samples: FmParams[] = [];

  const test = opts.test;
  const testSum = test ? new Float64Array(test.x.rows) : null;
  let testCount = 0;
  let testPredictions: Float64Array | undefined;

  for (let it = 0; it < iterations; it++) {
    // Raw outputs from the cached residuals, recomputed from scratch now and then against drift;
    // then the latent targets (classification) and fresh residuals.
    if (it % 10 === 0) rawOf(raw);
    else for (let i = 0; i < N; i++) raw[i] = e[i] + z[i];
    if (classify) {
      for (let i = 0; i < N; i++) {
        const pos = isPositive(y[i]);
        z[i] = sample ? truncatedNormal(rng, raw[i], pos) : truncatedNormalMean(raw[i], pos);
      }
    }
    for (let i = 0; i < N; i++) e[i] = raw[i] - z[i];

    if (sample) {
      if (!classify) {
        let se = 0;
        for (let i = 0; i < N; i++) se += e[i] * e[i];
        alpha = gamma(rng, (ALPHA_0 + N) / 2, (BETA_0 + se) / 2);
      }
      drawHyper(rng, w, 1, 0, groups, groupSize, muW, lamW);
      for (let f = 0; f < k; f++) drawHyper(rng, v, k, f, groups, groupSize, muV, lamV, G);
    }

    // w0: prior N(0, 1/reg.w0), h = 1 for every row.
    {
      let s = 0;
      for (let i = 0; i < N; i++) s += e[i] - params.w0;
      const prec = reg.w0 + alpha * N;
      const mean = -(alpha * s) / prec;
      const next = sample ? mean + rng.normal() / Math.sqrt(prec) : mean;
      const d = next - params.w0;
      params.w0 = next;
      for (let i = 0; i < N; i++) e[i] += d;
    }

    const draw: Draw = sample ? (mean, prec) => mean + rng.normal() / Math.sqrt(prec) : (mean) => mean;
    for (const seg of segments) {
      const g = seg.rows?.group ?? 0;
      if (seg.rows) byRows.sweepW(seg.rows, w, e, lamW[g], muW[g], alpha, draw);
      else sweepW(csc, groups, w, e, lamW, muW, alpha, draw, seg);
    }
    sweeper?.sweepW(w, e, lamW[relGroup], muW[relGroup], alpha, draw);
    // All factor sums in one pass: factor f's column of v is untouched until its own sweep.
    factorSums(x, v, k, q);
    sweeper?.addFactorSums(v, k, q);
    for (let f = 0; f < k; f++) {
      const qf = q.subarray(f * N, f * N + N);
      for (const seg of segments) {
        const gf = (seg.rows?.group ?? 0) * k + f;
        if (seg.rows) byRows.sweepV(seg.rows, v, k, f, e, qf, lamV[gf], muV[gf], alpha, draw);
        else sweepV(csc, groups, v, k, f, e, qf, hs, lamV, muV, alpha, draw, seg);
      }
      sweeper?.sweepV(v, k, f, e, qf, lamV[relGroup * k + f], muV[relGroup * k + f], alpha, draw);
    }

    if (sample && keep > 0 && it >= burnIn) {
      const back = iterations - 1 - it;
      if (back % stride === 0 && back / stride < keep) samples.push(params.clone());
    }

    let testMetric: number | undefined;
    if (test && testSum) {
      if (!sample) testSum.fill(0);
      if (!sample || it >= burnIn) {
        const testRaw = test.relation ? predictRawWithRelation(params, test.x, test.relation) : params.predictRaw(test.x);
        for (let i = 0; i < test.x.rows; i++) testSum[i] += classify ? normalCdf(testRaw[i]) : testRaw[i];
        testCount = sample ? testCount + 1 : 1;
      }
      if (testCount > 0) {
        testPredictions ??= new Float64Array(test.x.rows);
        for (let i = 0; i < testSum.length; i++) {
          const m = testSum[i] / testCount;
          testPredictions[i] = classify ? m : m < min ? min : m > max ? max : m;
        }
        testMetric = classify ? logLossOf(test.y, testPredictions) : rmseOf(test.y, testPredictions);
      }
    }
    if (opts.onProgress) {
      let train: number;
      if (classify) {
        const p = new Float64Array(N);
        for (let i = 0; i < N; i++) p[i] = normalCdf(e[i] + z[i]);
        train = logLossOf(y, p);
      } else {
        let se = 0;
        for (let i = 0; i < N; i++) se += e[i] * e[i];
        train = Math.sqrt(se / Math.max(1, N));
      }
      opts.onProgress({ iteration: it + 1, iterations, train, test: testMetric, seconds: (performance.now() - started) / 1000 });
    }
  }
  return { params, samples, task, link, min, max, testPredictions, seconds: (performance.now() - started) / 1000 };
}

/** Updates w_j for the columns of seg given the others; keeps e in step. */
function sweepW(
  csc: CsrMatrix,
  groups: Int32Array,
  w: Float64Array,
  e: Float64Array,
  lamW: Float64Array,
  muW: Float64Array,
  alpha: number,
  draw: Draw,
  seg: Segment,
): void {
  const { indptr, indices, data } = csc;
  for (let j = seg.from; j < seg.to; j++) {
    const a = indptr[j];
    const b = indptr[j + 1];
    const g = groups[j];
    const old = w[j];
    let sh = 0;
    let s = 0;
    for (let t = a; t < b; t++) {
      const h = data[t];
      sh += h * h;
      s += h * e[indices[t]];
    }
    s -= old * sh;
    const prec = lamW[g] + alpha * sh;
    const next = draw((lamW[g] * muW[g] - alpha * s) / prec, prec);
    const d = next - old;
    w[j] = next;
    if (d !== 0) for (let t = a; t < b; t++) e[indices[t]] += d * data[t];
  }
}

/** q[f*N + i] = sum_j v_jf x_ij for every row i and factor f. */
function factorSums(x: CsrMatrix, v: Float64Array, k: number, q: Float64Array): void {
  const { indptr, indices, data } = x;
  const N = x.rows;
  for (let i = 0; i < N; i++) {
    for (let f = 0; f < k; f++) q[f * N + i] = 0;
    for (let t = indptr[i], b = indptr[i + 1]; t < b; t++) {
      const base = indices[t] * k;
      const xv = data[t];
      for (let f = 0; f < k; f++) q[f * N + i] += v[base + f] * xv;
    }
  }
}

/** Updates v_jf for the columns j of seg given the others; keeps e and q in step. hs: scratch per column entry. */
function sweepV(
  csc: CsrMatrix,
  groups: Int32Array,
  v: Float64Array,
  k: number,
  f: number,
  e: Float64Array,
  q: Float64Array,
  hs: Float64Array,
  lamV: Float64Array,
  muV: Float64Array,
  alpha: number,
  draw: Draw,
  seg: Segment,
): void {
  const { indptr, indices, data } = csc;
  for (let j = seg.from; j < seg.to; j++) {
    const a = indptr[j];
    const b = indptr[j + 1];
    const gf = groups[j] * k + f;
    const old = v[j * k + f];
    let sh = 0;
    let s = 0;
    for (let t = a; t < b; t++) {
      const i = indices[t];
      const xv = data[t];
      const h = xv * (q[i] - xv * old);
      hs[t - a] = h;
      sh += h * h;
      s += h * e[i];
    }
    s -= old * sh;
    const prec = lamV[gf] + alpha * sh;
    const next = draw((lamV[gf] * muV[gf] - alpha * s) / prec, prec);
    const d = next - old;
    v[j * k + f] = next;
    if (d !== 0)
      for (let t = a; t < b; t++) {
        const i = indices[t];
        e[i] += hs[t - a] * d;
        q[i] += data[t] * d;
      }
  }
}

/**
 * Draws per-group lambda then mu (Normal-Gamma posterior) for the parameters theta[j*stride + f],
 * writing to lam[g*width + f] / mu[g*width + f] (width = stride for v, 1 for w).
 */
function drawHyper(
  rng: Rng,
  theta: Float64Array,
  stride: number,
  f: number,
  groups: Int32Array,
  groupSize: Int32Array,
  mu: Float64Array,
  lam: Float64Array,
  G = mu.length,
): void {
  const width = stride;
  const sum = new Float64Array(G);
  const sq = new Float64Array(G);
  for (let j = 0; j < groups.length; j++) {
    const g = groups[j];
    const d = theta[j * stride + f] - mu[g * width + f];
    sq[g] += d * d;
  }
  for (let g = 0; g < G; g++) {
    const m = mu[g * width + f];
    const shape = (ALPHA_0 + groupSize[g] + 1) / 2;
    const rate = (BETA_0 + GAMMA_0 * (m - MU_0) ** 2 + sq[g]) / 2;
    lam[g * width + f] = gamma(rng, shape, rate);
  }
  for (let j = 0; j < groups.length; j++) sum[groups[j]] += theta[j * stride + f];
  for (let g = 0; g < G; g++) {
    const prec = (groupSize[g] + GAMMA_0) * lam[g * width + f];
    const mean = (sum[g] + GAMMA_0 * MU_0) / (groupSize[g] + GAMMA_0);
    mu[g * width + f] = mean + rng.normal() / Math.sqrt(prec);
  }
}
