// Every model by name, with its parameter schema (defaults included) and a constructor, so the CLI,
// the evaluator and saved artifacts all build models the same way from plain key=value parameters.
import type { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import type { Recommender } from './contract.js';
import type { DataNeeds } from './needs.js';
import { addsLogitNeeds, AddsLogitParams, AddsLogitRecommender } from './adds-logit.js';
import { AlsParams, AlsRecommender } from './als.js';
import { BprParams, BprRecommender } from './bpr.js';
import { EaseParams, EaseRecommender } from './ease.js';
import { ImportedFactorsParams, ImportedFactorsRecommender } from './imported-factors.js';
import { fmNeeds, FmRecommender, FmRecommenderParams } from './fm-recommender.js';
import { ItemKnnParams, ItemKnnRecommender } from './item-knn.js';
import { parseParams } from './params.js';
import { SequentialParams, SequentialRecommender } from './neural/sequential.js';
import { popularityNeeds, PopularityParams, PopularityRecommender } from './popularity.js';
import { SimsParams, SimsRecommender } from './sims.js';
import { TwoTowerParams, TwoTowerRecommender, twoTowerNeeds } from './neural/two-tower.js';
import { UserKnnParams, UserKnnRecommender } from './user-knn.js';
import { WarpParams, WarpRecommender } from './warp.js';

export interface ModelEntry {
  description: string;
  /** Validates and fills defaults; accepts numbers and booleans as strings, rejects unknown keys. */
  params: z.ZodObject;
  /** Builds an unfitted model; params are validated again, so raw values are fine. */
  create(params?: Readonly<Record<string, unknown>>): Recommender;
  /** The side features the model trains on with these params (none when absent or null). */
  needs?(params: Readonly<Record<string, unknown>>): DataNeeds | null;
}

export const MODELS = {
  popularity: {
    description: 'most popular products overall, per customer segment, or trending (time-decayed)',
    params: PopularityParams,
    create: (params) => new PopularityRecommender(params),
    needs: popularityNeeds,
  },
  sims: {
    description: 'item co-occurrence (SAR): count, Jaccard, lift or cosine similarity, optional time decay',
    params: SimsParams,
    create: (params) => new SimsRecommender(params),
  },
  'item-knn': {
    description: 'item-based nearest neighbours, cosine similarity with shrinkage',
    params: ItemKnnParams,
    create: (params) => new ItemKnnRecommender(params),
  },
  'user-knn': {
    description: 'customer-based nearest neighbours, cosine similarity with shrinkage',
    params: UserKnnParams,
    create: (params) => new UserKnnRecommender(params),
  },
  ease: {
    description: 'EASE linear autoencoder, closed form (dense; catalogues up to maxProducts)',
    params: EaseParams,
    create: (params) => new EaseRecommender(params),
  },
  als: {
    description: 'implicit-feedback ALS matrix factorisation (Hu, Koren & Volinsky), conjugate-gradient or Cholesky solves, fold-in for new customers',
    params: AlsParams,
    create: (params) => new AlsRecommender(params),
  },
  bpr: {
    description: 'BPR matrix factorisation (pairwise ranking, SGD with adagrad, product biases), popularity or uniform negatives',
    params: BprParams,
    create: (params) => new BprRecommender(params),
  },
  warp: {
    description: 'WARP matrix factorisation as in LightFM (sampled rank-weighted pairwise SGD with adagrad, product biases)',
    params: WarpParams,
    create: (params) => new WarpRecommender(params),
  },
  fm: {
    description: 'factorization machine for top-N ranking (customer, product and side-feature one-hots, sampled negatives; sgd, als or mcmc)',
    params: FmRecommenderParams,
    create: (params) => new FmRecommender(params),
    needs: fmNeeds,
  },
  factors: {
    description: 'customer and product factors trained elsewhere (Parquet id, features[] as Spark ALS writes them), scored by dot product; fold-in for customers without a row',
    params: ImportedFactorsParams,
    create: (params) => new ImportedFactorsRecommender(params),
  },
  'adds-logit': {
    description: 'the adds task (Santander holdings): multinomial logit over the products not held, on customer attributes, holdings, months held and last month\'s adds and drops',
    params: AddsLogitParams,
    create: (params) => new AddsLogitRecommender(params),
    needs: addsLogitNeeds,
  },
  sequential: {
    description: 'next product from the time-ordered events: self-attention (SASRec) with a session level (session-distance attention bias, previous-session summary); reads recent events',
    params: SequentialParams,
    create: (params) => new SequentialRecommender(params),
  },
  'two-tower': {
    description: 'two-tower neural retrieval: customer tower (id, attributes, context, attention-pooled history) and product tower (id, attributes) with attention over feature fields, in-batch softmax with logQ correction; scores new customers and products from attributes',
    params: TwoTowerParams,
    create: (params) => new TwoTowerRecommender(params),
    needs: twoTowerNeeds,
  },
} satisfies Record<string, ModelEntry>;

export type ModelName = keyof typeof MODELS;
export const MODEL_NAMES = Object.keys(MODELS) as ModelName[];

export const isModelName = (name: string): name is ModelName => Object.hasOwn(MODELS, name);

/** An unfitted model from its registry name and raw parameters (e.g. {lambda: "300"} from the CLI). */
export function createModel(name: string, rawParams: Readonly<Record<string, string | number | boolean>> = {}): Recommender {
  if (!isModelName(name))
    throw new NextbestError('BAD_OPTION', `unknown model "${name}"; choose one of ${MODEL_NAMES.join(', ')}`);
  return MODELS[name].create(rawParams);
}

/** A model's parameters with defaults filled in, validated (the CLI can show or save them). */
export function resolveParams(name: string, rawParams: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  if (!isModelName(name))
    throw new NextbestError('BAD_OPTION', `unknown model "${name}"; choose one of ${MODEL_NAMES.join(', ')}`);
  return parseParams(name, MODELS[name].params, rawParams) as Record<string, unknown>;
}

/** What a model with these raw parameters needs besides its events (side features, context), or null. */
export function modelNeeds(name: string, rawParams: Readonly<Record<string, unknown>> = {}): DataNeeds | null {
  if (!isModelName(name))
    throw new NextbestError('BAD_OPTION', `unknown model "${name}"; choose one of ${MODEL_NAMES.join(', ')}`);
  const entry: ModelEntry = MODELS[name];
  return entry.needs?.(rawParams) ?? null;
}
