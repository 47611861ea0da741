// Evaluates models the one honest way: fit on the split's train part, rank every product a customer
// has not seen in train, score against the test part with the BENCHMARKS.md metrics, attach bootstrap
// intervals and a paired test against the popularity baseline, and time fit and scoring.
import { NextbestError } from '../core/errors.js';
import { EVENT_TYPES, type EventType } from '../data/model.js';
import { buildInteractions, DEFAULT_EVENT_WEIGHTS, type CsrMatrix, type InteractionOptions, type TopK } from '../matrix/index.js';
import type { Split } from '../matrix/splits/index.js';
import type { FitProgress, TrainingSet } from '../models/contract.js';
import { checkpoint } from '../models/mf-common.js';
import { checkExploration, lastEventTime, productFirstSeen, youngProducts, youngShare, type ExplorationOptions } from '../models/exploration.js';
import { createModel } from '../models/registry.js';
import { trainingSet } from '../models/trained-model.js';
import {
  bootstrapCI,
  catalogueCoverage,
  intraListDiversity,
  novelty,
  meanDefined,
  pairedTest,
  personalisation,
  rankingMetrics,
  usersWithTest,
} from './metrics/index.js';
import { smallSampleWarning } from './small-sample.js';

export interface ModelSpec {
  name: string;
  params: Record<string, string | number | boolean>;
}

export interface EvaluateOptions {
  models: ModelSpec[];
  split: Split;
  k: number;
  interactionOptions?: InteractionOptions;
  /** Event types that count as relevant in test (default: those whose default weight is >= 1). */
  relevantTypes?: readonly EventType[];
  /** Bootstrap resamples for the intervals (default 1000; 0 turns them off). */
  bootstrap?: number;
  seed?: number;
  /** The baseline every model is paired against (default popularity, added when not listed). */
  baseline?: ModelSpec;
  onModel?: (name: string, phase: 'fit' | 'score', progress?: FitProgress) => void;
  /** Given to every fit, which checks it between iterations (the CLI's Ctrl-C). */
  signal?: AbortSignal;
  /** A model's training set from the shared one (its log and interactions) with the side features it needs; default: the shared one. */
  trainingSetFor?: (spec: ModelSpec, shared: TrainingSet) => Promise<TrainingSet>;
  /** Exploration of cold products in every model's lists; each model is also scored without it, for its cost. */
  explore?: ExplorationOptions;
}

export interface ModelResult {
  name: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  /** 95 % bootstrap interval of each per-customer metric. */
  intervals: Record<string, { low: number; high: number }>;
  /**
   * Paired t-test of a per-customer metric (NDCG@K unless the run names another) against the baseline,
   * with the 95 % bootstrap interval of the mean difference (null for the baseline itself).
   */
  vsBaseline: PairedComparison | null;
  /** The same paired comparison against every model that ran before this one (the baseline included), by name. */
  versus?: Record<string, PairedComparison>;
  fitSeconds: number;
  scoreSeconds: number;
  /** Mean precision, recall, HR and NDCG at each K of CURVE_KS up to the run's K (the lists cut short), keyed `${name}@${K}`: the dashboard's metric-vs-K curves. */
  curve?: Record<string, number>;
  /** With exploration: the young products' share of the lists with and without it, and NDCG@K without it (the cost is the difference). */
  exploration?: ExplorationResult;
}

export interface ExplorationResult extends ExplorationOptions {
  /** Products younger than the cut-off (first seen in train within ageDays of its last event, or never). */
  youngProducts: number;
  share: number;
  shareWithout: number;
  ndcgWithout: number;
  /** NDCG@K without exploration minus with it (positive: exploration costs accuracy). */
  ndcgCost: number;
}

/** A paired t-test of a per-customer metric, with the 95 % bootstrap interval of the mean difference (this model minus the other). */
export interface PairedComparison {
  metric: string;
  meanDiff: number;
  t: number;
  p: number;
  low?: number;
  high?: number;
}

export interface EvaluationReport {
  split: string;
  k: number;
  customers: number;
  trainEvents: number;
  testEvents: number;
  baseline: string;
  models: ModelResult[];
  /** Set when too few customers are evaluated for the intervals and the paired test to mean much. */
  warning?: string;
  /** 'adds' for the Santander task (next month's adds from holdings): customers counts every customer ranked. */
  task?: 'adds';
  /** The adds task: customers who added at least one product (the ranking metrics average over them). */
  customersWithAdds?: number;
}

/** The cut-offs of each model's metric-vs-K curve (those up to the run's K). */
export const CURVE_KS = [1, 3, 5, 10, 20] as const;
const CURVE_METRICS = ['precision', 'recall', 'hr', 'ndcg'];

export const DEFAULT_RELEVANT: readonly EventType[] = EVENT_TYPES.filter((t) => DEFAULT_EVENT_WEIGHTS[t] >= 1);

export function relevantMatrix(split: Split, types: readonly EventType[] = DEFAULT_RELEVANT): CsrMatrix {
  const weights = Object.fromEntries(EVENT_TYPES.map((t) => [t, types.includes(t) ? 1 : 0]));
  return buildInteractions(split.test, { weights, binary: true }).userItem;
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

export async function evaluate(opts: EvaluateOptions): Promise<EvaluationReport> {
  const { split, k } = opts;
  const baseline = opts.baseline ?? { name: 'popularity', params: {} };
  const train = trainingSet(split.train, opts.interactionOptions);
  const test = relevantMatrix(split, opts.relevantTypes);
  const users = usersWithTest(test);
  if (users.length === 0)
    throw new NextbestError(
      'UNSUITABLE_DATA',
      `split ${split.name} leaves no customer with relevant test events (${(opts.relevantTypes ?? DEFAULT_RELEVANT).join(', ')}); choose another split or cut-off`,
    );
  const results = await runModels(opts.models, baseline, { ...opts, train, history: train.interactions.userItem, test, users });
  const warning = smallSampleWarning(users.length, 'test', 'intervals and the paired test are');
  return {
    split: split.name,
    k,
    customers: users.length,
    trainEvents: split.train.length,
    testEvents: split.test.length,
    baseline: baseline.name,
    models: results,
    ...(warning ? { warning } : {}),
  };
}

export interface ModelRun extends Pick<EvaluateOptions, 'k' | 'bootstrap' | 'seed' | 'signal' | 'onModel' | 'trainingSetFor' | 'explore'> {
  /** The shared training set (each model's comes from trainingSetFor when given). */
  train: TrainingSet;
  /** What every model scores from and excludes, customers x products. */
  history: CsrMatrix;
  /** The relevant products of each customer. */
  test: CsrMatrix;
  /** The customers ranked; the ranking metrics average over those with test products. */
  users: Int32Array;
  /** Per-customer metrics over every customer ranked (entry j for users[j]), beside the ranking metrics. */
  extra?: (recs: TopK[], users: Int32Array) => Record<string, Float64Array>;
  /** The per-customer metric the paired test against the baseline compares (default ndcg@k). */
  paired?: string;
}

/**
 * Fits each model (the baseline first when it is not listed), ranks `users` from `history`, and scores
 * the lists: ranking metrics, coverage, novelty, diversity, personalisation, the extra metrics, bootstrap
 * intervals, and the paired test (with a bootstrap interval of the mean difference) against the baseline.
 */
export async function runModels(models: ModelSpec[], baseline: ModelSpec, run: ModelRun): Promise<ModelResult[]> {
  const { k, history, test, users } = run;
  const specs = models.some((m) => m.name === baseline.name) ? models : [baseline, ...models];
  const itemUsers = run.train.interactions.itemUser;
  const withTest: number[] = [];
  users.forEach((u, j) => test.indptr[u + 1] > test.indptr[u] && withTest.push(j));
  const samples = run.bootstrap ?? 1000;
  const seed = run.seed ?? 1;
  const results: ModelResult[] = [];
  const earlier = new Map<string, Float64Array>();
  const pairedKey = run.paired ?? `ndcg@${k}`;
  if (run.explore) checkExploration(run.explore);
  const young = run.explore ? youngProducts(productFirstSeen(run.train.log), run.explore.ageDays, lastEventTime(run.train.log)) : null;
  const explore = run.explore && young ? { weight: run.explore.weight, young } : undefined;
  for (const spec of specs) {
    const model = createModel(spec.name, spec.params);
    run.onModel?.(spec.name, 'fit');
    let started = performance.now();
    const data = run.trainingSetFor ? await run.trainingSetFor(spec, run.train) : run.train;
    await model.fit(data, { signal: run.signal, onProgress: (p) => run.onModel?.(spec.name, 'fit', p) });
    const fitSeconds = seconds(started);
    run.onModel?.(spec.name, 'score');
    started = performance.now();
    const recs: TopK[] = model.recommend(users, { k, history, explore });
    const scoreSeconds = seconds(started);

    const ranked = withTest.length === users.length;
    const rankingOf = (lists: TopK[], ks: number | number[] = k) =>
      rankingMetrics(
        ranked ? lists : withTest.map((j) => lists[j]),
        ranked ? users : Int32Array.from(withTest, (j) => users[j]),
        test,
        ks,
      );
    // One ranking pass at every K of the curve; the metrics at K are those of the run's K.
    const curveKs = [...new Set([...CURVE_KS.filter((c) => c < k), k])];
    const ranking = rankingOf(recs, curveKs);
    const atK = Object.fromEntries(Object.entries(ranking.perUser).filter(([key]) => key.split('@')[1] === String(k)));
    const perUser = { ...atK, ...run.extra?.(recs, users) };
    const metrics: Record<string, number> = Object.fromEntries(Object.entries(perUser).map(([name, v]) => [name, meanDefined(v)]));
    metrics[`coverage@${k}`] = catalogueCoverage(recs, history.cols, k);
    metrics[`novelty@${k}`] = novelty(recs, history, k).mean;
    metrics[`diversity@${k}`] = intraListDiversity(recs, itemUsers, k).mean;
    metrics[`personalisation@${k}`] = personalisation(recs, { k, seed });
    const intervals: ModelResult['intervals'] = {};
    if (samples > 0) {
      for (const [name, values] of Object.entries(perUser)) {
        const ci = bootstrapCI(values, { samples, seed });
        intervals[name] = { low: ci.low, high: ci.high };
      }
    }
    const values = perUser[pairedKey];
    const compare = (other: Float64Array): PairedComparison => {
      const t = pairedTest(values, other);
      const c: PairedComparison = { metric: pairedKey, meanDiff: t.meanDiff, t: t.t, p: t.p };
      if (samples > 0) {
        const ci = bootstrapCI(values.map((v, j) => v - other[j]), { samples, seed });
        c.low = ci.low;
        c.high = ci.high;
      }
      return c;
    };
    const baselineValues = earlier.get(baseline.name);
    const vsBaseline = spec.name !== baseline.name && baselineValues ? compare(baselineValues) : null;
    const versus = Object.fromEntries([...earlier].filter(([name]) => name !== spec.name).map(([name, other]) => [name, compare(other)]));
    if (values) earlier.set(spec.name, values);
    const curve = Object.fromEntries(Object.entries(ranking.mean).filter(([key]) => CURVE_METRICS.includes(key.split('@')[0])));
    const result: ModelResult = { name: spec.name, params: { ...model.params }, metrics, intervals, vsBaseline, ...(earlier.size > 1 ? { versus } : {}), fitSeconds, scoreSeconds, curve };
    if (run.explore && young) {
      const plain = model.recommend(users, { k, history });
      const ndcgWithout = meanDefined(rankingOf(plain).perUser[`ndcg@${k}`]);
      result.exploration = {
        ...run.explore,
        youngProducts: young.reduce((a, b) => a + b, 0),
        share: youngShare(recs, young, k),
        shareWithout: youngShare(plain, young, k),
        ndcgWithout,
        ndcgCost: ndcgWithout - metrics[`ndcg@${k}`],
      };
    }
    results.push(result);
    await checkpoint(run.signal);
  }
  return results;
}
