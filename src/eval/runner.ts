// Evaluates models the one honest way: fit on the split's train part, rank every product a customer
// has not seen in train, score against the test part with the BENCHMARKS.md metrics, attach bootstrap
// intervals and a paired test against the popularity baseline, and time fit and scoring.
import { NextbestError } from '../core/errors.js';
import { EVENT_TYPES, type EventType } from '../data/model.js';
import { buildInteractions, DEFAULT_EVENT_WEIGHTS, type CsrMatrix, type InteractionOptions, type TopK } from '../matrix/index.js';
import type { Split } from '../matrix/splits/index.js';
import type { FitProgress, TrainingSet } from '../models/contract.js';
import { checkpoint } from '../models/mf-common.js';
import { createModel } from '../models/registry.js';
import { trainingSet } from '../models/trained-model.js';
import {
  bootstrapCI,
  catalogueCoverage,
  intraListDiversity,
  novelty,
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
}

export interface ModelResult {
  name: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  /** 95 % bootstrap interval of each per-customer metric. */
  intervals: Record<string, { low: number; high: number }>;
  /** Paired t-test of per-customer NDCG@K against the baseline (null for the baseline itself). */
  vsBaseline: { metric: string; meanDiff: number; t: number; p: number } | null;
  fitSeconds: number;
  scoreSeconds: number;
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
}

export const DEFAULT_RELEVANT: readonly EventType[] = EVENT_TYPES.filter((t) => DEFAULT_EVENT_WEIGHTS[t] >= 1);

export function relevantMatrix(split: Split, types: readonly EventType[] = DEFAULT_RELEVANT): CsrMatrix {
  const weights = Object.fromEntries(EVENT_TYPES.map((t) => [t, types.includes(t) ? 1 : 0]));
  return buildInteractions(split.test, { weights, binary: true }).userItem;
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

export async function evaluate(opts: EvaluateOptions): Promise<EvaluationReport> {
  const { split, k } = opts;
  const baseline = opts.baseline ?? { name: 'popularity', params: {} };
  const specs = opts.models.some((m) => m.name === baseline.name) ? opts.models : [baseline, ...opts.models];
  const train = trainingSet(split.train, opts.interactionOptions);
  const history = train.interactions.userItem;
  const test = relevantMatrix(split, opts.relevantTypes);
  const users = usersWithTest(test);
  if (users.length === 0)
    throw new NextbestError(
      'UNSUITABLE_DATA',
      `split ${split.name} leaves no customer with relevant test events (${(opts.relevantTypes ?? DEFAULT_RELEVANT).join(', ')}); choose another split or cut-off`,
    );
  const itemUsers = train.interactions.itemUser;

  const results: ModelResult[] = [];
  let baselineNdcg: Float64Array | null = null;
  const ndcgKey = `ndcg@${k}`;
  for (const spec of specs) {
    const model = createModel(spec.name, spec.params);
    opts.onModel?.(spec.name, 'fit');
    let started = performance.now();
    const data = opts.trainingSetFor ? await opts.trainingSetFor(spec, train) : train;
    await model.fit(data, { signal: opts.signal, onProgress: (p) => opts.onModel?.(spec.name, 'fit', p) });
    const fitSeconds = seconds(started);
    opts.onModel?.(spec.name, 'score');
    started = performance.now();
    const recs: TopK[] = model.recommend(users, { k, history });
    const scoreSeconds = seconds(started);

    const ranking = rankingMetrics(recs, users, test, k);
    const metrics: Record<string, number> = { ...ranking.mean };
    metrics[`coverage@${k}`] = catalogueCoverage(recs, history.cols, k);
    metrics[`novelty@${k}`] = novelty(recs, history, k).mean;
    metrics[`diversity@${k}`] = intraListDiversity(recs, itemUsers, k).mean;
    metrics[`personalisation@${k}`] = personalisation(recs, { k, seed: opts.seed ?? 1 });
    const intervals: ModelResult['intervals'] = {};
    if ((opts.bootstrap ?? 1000) > 0) {
      for (const [name, perUser] of Object.entries(ranking.perUser)) {
        const ci = bootstrapCI(perUser, { samples: opts.bootstrap ?? 1000, seed: opts.seed ?? 1 });
        intervals[name] = { low: ci.low, high: ci.high };
      }
    }
    const ndcg = ranking.perUser[ndcgKey];
    let vsBaseline: ModelResult['vsBaseline'] = null;
    if (spec.name === baseline.name) baselineNdcg = ndcg;
    else if (baselineNdcg) {
      const t = pairedTest(ndcg, baselineNdcg);
      vsBaseline = { metric: ndcgKey, meanDiff: t.meanDiff, t: t.t, p: t.p };
    }
    results.push({ name: spec.name, params: { ...model.params }, metrics, intervals, vsBaseline, fitSeconds, scoreSeconds });
    await checkpoint(opts.signal);
  }
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
