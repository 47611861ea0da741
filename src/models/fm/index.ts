// Public API of the factorization machine (Rendle 2010, order 2): design matrices, the three libFM
// solvers (SGD, ALS, MCMC), libFM text I/O, and the FactorizationMachine class that fits, predicts
// and saves its state as typed arrays.
import { NextbestError } from '../../core/errors.js';
import type { ModelState } from '../contract.js';
import { fitAls } from './als.js';
import { withRelationInRows, type Design } from './design.js';
import { fitMcmc } from './mcmc.js';
import { fitPairwise, type PairwiseData, type PairwiseOptions } from './pairwise.js';
import { expandRelation } from './relation.js';
import { FmParams, type FmTask } from './model.js';
import type { FmFitOptions, FmSolver } from './options.js';
import { predictWith, transform, type FmFitResult, type FmLink } from './result.js';
import { fitSgd } from './sgd.js';

export {
  attributeOf,
  buildDesign,
  groupCount,
  makeDesign,
  withRelationInRows,
  type BuildDesignOptions,
  type Design,
  type SideBlock,
} from './design.js';
export { expandRelation, predictRawWithRelation, type Relation } from './relation.js';
export { clip, erfc, FmParams, normalCdf, normalPdf, sigmoid, targetRange, type FmTask } from './model.js';
export { type FmFitOptions, type FmProgress, type FmSolver, type RegSpec, logLossOf, rmseOf } from './options.js';
export { predictWith, transform, type FmFitResult, type FmLink } from './result.js';
export { fitSgd } from './sgd.js';
export { heldProducts, timeCuts } from './history-features.js';
export { fitAls } from './als.js';
export { fitMcmc } from './mcmc.js';
export { fitPairwise, type PairwiseData, type PairwiseLoss, type PairwiseOptions } from './pairwise.js';
export { gamma, truncatedNormal, truncatedNormalMean } from './sampling.js';
export {
  formatLibfm,
  libfmFeaturesPath,
  libfmLine,
  libfmMetaPath,
  parseLibfm,
  readLibfmDesign,
  writeLibfmDesign,
  type ParsedLibfm,
} from './libfm-io.js';

const LINKS: readonly FmLink[] = ['identity', 'logit', 'probit'];

export class FactorizationMachine {
  private fitted: FmFitResult | null = null;
  /** The test design given to fit, whose MCMC-averaged predictions predict() returns as they are. */
  private fitTest: Design | null = null;

  get result(): FmFitResult | null {
    return this.fitted;
  }

  fit(design: Design, opts: FmFitOptions = {}): this {
    const solver: FmSolver = opts.solver ?? 'mcmc';
    const task: FmTask = opts.task ?? 'regression';
    if (task !== 'regression' && task !== 'classification')
      throw new NextbestError('INTERNAL', `task must be 'regression' or 'classification' (ranking trains with fitRanking), got "${String(task)}"`);
    if (design.x.rows === 0) throw new NextbestError('NO_EVENTS', 'cannot fit a factorization machine on an empty design');
    const run = solver === 'sgd' ? fitSgd : solver === 'als' ? fitAls : solver === 'mcmc' ? fitMcmc : null;
    if (!run) throw new NextbestError('BAD_PARAMETER', `solver must be 'sgd', 'als' or 'mcmc', got "${String(solver)}"`);
    // SGD steps row by row: a relation block goes into the rows (ALS and MCMC sweep it as a block).
    const rows = solver === 'sgd' ? withRelationInRows : <D extends Design>(d: D): D => d;
    this.fitted = run(rows(design), { ...opts, task, test: opts.test && rows(opts.test) });
    this.fitTest = opts.test ?? null;
    return this;
  }

  /** Fits a ranking FM with a pairwise loss (BPR or WARP) on held pairs; predict() gives raw scores. */
  fitRanking(data: PairwiseData, opts: PairwiseOptions): this {
    const started = performance.now();
    const params = fitPairwise(data, opts);
    this.fitted = { params, samples: [], task: 'ranking', link: 'identity', min: -Number.MAX_VALUE, max: Number.MAX_VALUE, seconds: (performance.now() - started) / 1000 };
    this.fitTest = null;
    return this;
  }

  /**
   * Clipped ratings (regression) or probabilities (classification) for every row. MCMC averages over
   * its kept samples; for the very design passed as opts.test it returns the average over all samples.
   */
  predict(design: Pick<Design, 'x' | 'relation'>): Float64Array {
    const r = this.require();
    if (this.fitTest && design === this.fitTest && r.testPredictions) return r.testPredictions.slice();
    const x = design.relation ? expandRelation(design.x, design.relation) : design.x;
    if (r.samples.length === 0) return predictWith(r.params, x, r.link, r.min, r.max);
    // Average in the output space (probabilities for the probit link), then clip, as libFM does.
    const out = new Float64Array(x.rows);
    for (const s of r.samples)
      for (let i = 0; i < out.length; i++) {
        const raw = s.predictRow(x, i);
        out[i] += r.link === 'identity' ? raw : transform(raw, r.link, r.min, r.max);
      }
    for (let i = 0; i < out.length; i++) {
      const m = out[i] / r.samples.length;
      out[i] = r.link === 'identity' ? transform(m, 'identity', r.min, r.max) : m;
    }
    return out;
  }

  /** Typed arrays and small JSON for a model artifact. */
  state(): ModelState {
    const r = this.require();
    const { n, k } = r.params;
    const S = r.samples.length;
    const sw0 = new Float64Array(S);
    const sw = new Float64Array(S * n);
    const sv = new Float64Array(S * n * k);
    r.samples.forEach((s, i) => {
      sw0[i] = s.w0;
      sw.set(s.w, i * n);
      sv.set(s.v, i * n * k);
    });
    return {
      arrays: { w0: Float64Array.of(r.params.w0), w: r.params.w, v: r.params.v, samplesW0: sw0, samplesW: sw, samplesV: sv },
      json: { n, k, task: r.task, link: r.link, min: r.min, max: r.max, samples: S },
    };
  }

  restore(state: ModelState): void {
    const j = state.json as { n?: unknown; k?: unknown; task?: unknown; link?: unknown; min?: unknown; max?: unknown; samples?: unknown };
    const bad = (why: string): NextbestError => new NextbestError('CORRUPT_MODEL', `not a factorization machine state: ${why}`);
    const int = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
    if (!int(j.n) || !int(j.k) || !int(j.samples)) throw bad('n, k and samples must be non-negative integers');
    if (j.task !== 'regression' && j.task !== 'classification' && j.task !== 'ranking') throw bad(`unknown task ${String(j.task)}`);
    if (!LINKS.includes(j.link as FmLink)) throw bad(`unknown link ${String(j.link)}`);
    if (typeof j.min !== 'number' || typeof j.max !== 'number') throw bad('min and max must be numbers');
    const { n, k, samples: S } = j;
    const f64 = (name: string, length: number): Float64Array => {
      const a = state.arrays[name];
      if (!(a instanceof Float64Array) || a.length !== length) throw bad(`array ${name} must be a Float64Array of length ${length}`);
      return a;
    };
    const params = new FmParams(n, k, f64('w', n), f64('v', n * k));
    params.w0 = f64('w0', 1)[0];
    const sw0 = f64('samplesW0', S);
    const sw = f64('samplesW', S * n);
    const sv = f64('samplesV', S * n * k);
    const samples: FmParams[] = [];
    for (let i = 0; i < S; i++) {
      const p = new FmParams(n, k, sw.slice(i * n, (i + 1) * n), sv.slice(i * n * k, (i + 1) * n * k));
      p.w0 = sw0[i];
      samples.push(p);
    }
    this.fitted = { params, samples, task: j.task, link: j.link as FmLink, min: j.min, max: j.max, seconds: 0 };
    this.fitTest = null;
  }

  private require(): FmFitResult {
    if (!this.fitted) throw new NextbestError('INTERNAL', 'the factorization machine is not fitted; call fit() or restore() first');
    return this.fitted;
  }
}
