// The one contract every recommender follows (after benfred/implicit's RecommenderBase): fit on a
// training set, score every product for a customer from that customer's history, and from that
// batch recommend with exclusions, candidates and filters, similar items, and save.
import type { KernelImpl } from '../kernels/index.js';
import type { CsrMatrix, EventLog, Interactions, PairContexts, SideFeatures, SparseRow, TopK } from '../matrix/index.js';
import type { MonthlyHoldings } from '../matrix/holdings.js';
import type { Exploration } from './exploration.js';
import type { Reason } from './reason.js';

export type { Reason } from './reason.js';

export interface TrainingSet {
  /** The training events; its id maps index customers and products for everything below. */
  log: EventLog;
  /** Customer x product strengths built from the log. */
  interactions: Interactions;
  customerFeatures?: SideFeatures;
  productFeatures?: SideFeatures;
  /** The context of each pair of interactions.userItem (models that learn from context). */
  pairContexts?: PairContexts;
  /** Month-by-month holdings (the adds task): models of customer state learn from every month's adds. */
  holdings?: MonthlyHoldings;
}

export interface FitProgress {
  iteration: number;
  total: number;
  elapsedSeconds: number;
  loss?: number;
}

export interface FitOptions {
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void;
  /** Numeric kernels for the models that use them (ALS, BPR, WARP): default auto (wasm when built, else ts). */
  kernels?: KernelImpl | 'auto';
  /** Worker threads for the work that splits (ALS conjugate-gradient rows, with the wasm kernels); default 1. */
  threads?: number;
  /** Report the training loss even where it costs extra work per iteration (ALS: about a half-iteration); default false. */
  trainingLoss?: boolean;
}

export interface RecommendOptions {
  k: number;
  /** Each customer's history (customers x products): what the model scores from. */
  history: CsrMatrix;
  /** Products a customer must not be offered (seen, held); default: the history. null: exclude nothing. */
  exclude?: CsrMatrix | null;
  /** Only these products are ranked. */
  candidates?: Int32Array;
  /** The histories hold events the model was not trained on: score from them (see Recommender.scoreInto). */
  fromHistory?: boolean;
  /** Keep a (customer, product) pair only when this returns true (eligibility, business rules). */
  filter?: (customer: number, product: number) => boolean;
  /** What the request knows besides the history (its context), for the models that use it. */
  request?: ScoringRequest;
  /** Exploration of cold products: young products get this share of each list (src/models/exploration.ts). */
  explore?: Exploration;
}

/**
 * A request's context in a model's context columns (the "key=value" features it was trained with):
 * the columns of every key the request names are replaced (0), then `set` ones are 1; the columns of
 * the keys it does not name keep the training average.
 */
export interface RequestContext {
  /** Columns of the keys the request names. */
  replaced: Int32Array;
  /** Columns of the request's values (each one of `replaced`). */
  set: Int32Array;
}

/** What a request tells a model beyond the customer's history; models that do not use a part ignore it. */
export interface ScoringRequest {
  /** The request's context (time of day, page, ...); absent: the training average. */
  context?: RequestContext;
  /** Side features of a customer the model has no trained row for (its columns as in training). */
  customerFeatures?: SparseRow;
  /**
   * The products of the customer's events after the model's training (live events), oldest first:
   * sequence models read them after the trained history, so the next list reflects the last click.
   */
  recent?: Int32Array;
}

/** Attention weights by feature field in the customer's and the product's tower (each sums to 1). */
export interface FieldAttention {
  customer: Record<string, number>;
  product: Record<string, number>;
}

/** Named typed arrays and JSON, as an artifact stores them. */
export type ArtifactArray = Int32Array | Float32Array | Float64Array | Uint8Array;

export interface ModelState {
  arrays: Record<string, ArtifactArray>;
  /** Small JSON-serialisable state (e.g. id lists). */
  json: Record<string, unknown>;
}

export interface Recommender<P extends object = object> {
  /** Registry key, written into every saved artifact. */
  readonly name: string;
  readonly params: Readonly<P>;
  readonly products: number;
  fit(data: TrainingSet, opts?: FitOptions): Promise<void>;
  /**
   * Writes the customer's score for every product into out (length = products). With fromHistory, the
   * history holds events the model was not trained on (live events): models with a learned per-customer
   * state (factors, neighbours) derive it from the history instead, as for a new customer (fold-in).
   * The request's context and a new customer's attributes reach the models that use them (ranking fm).
   */
  scoreInto(customer: number, history: SparseRow, out: Float32Array, fromHistory?: boolean, request?: ScoringRequest): void;
  /** One TopK per customer, always, in the order given. */
  recommend(customers: Int32Array, opts: RecommendOptions): TopK[];
  /** One TopK per product: the most similar other products. */
  similarItems(products: Int32Array, k: number): TopK[];
  /** The fitted state, for artifacts. */
  state(): ModelState;
  /** Restores fitted state saved by state(). */
  restore(state: ModelState): void;
  /**
   * Models with side features: score from these from now on (same columns and entities as in fit,
   * e.g. the store's current attributes encoded as in training).
   */
  useFeatures?(features: { customer?: SideFeatures; product?: SideFeatures }): void;
  /**
   * Why each of these products scored as it did for the customer, from the same state scoreInto uses
   * (the same customer, history and fromHistory give the reasons of the scores scoreInto writes).
   */
  explain?(customer: number, history: SparseRow, products: Int32Array, fromHistory?: boolean, request?: ScoringRequest): Reason[];
  /**
   * Models that weigh feature fields with attention (two-tower): each tower's weight of each field ("id",
   * "history", "attr:age", "context:tod", ...) in scoring the customer and each of these products, from
   * the same state scoreInto uses.
   */
  attention?(customer: number, history: SparseRow, products: Int32Array, request?: ScoringRequest, fromHistory?: boolean): FieldAttention[];
  /**
   * Factor models: the learned factor rows (dims each) of the customers trained on, or of every product,
   * with the index of each row's customer or product (for pictures of them: the dashboard's Clusters page).
   */
  learnedFactors?(entity: 'customers' | 'products'): LearnedFactors;
  /** Set when scoreInto scores a customer without a trained row from ScoringRequest.customerFeatures (its attributes). */
  readonly scoresFromAttributes?: boolean;
  /**
   * Models with context features: per context column, its value in the request's context (the training
   * average's share for keys it does not name) and what it adds to the score of (customer, product);
   * null when the model has none.
   */
  contextContributions?(customer: number, product: number, request?: ScoringRequest): { values: Float32Array; contributions: Float64Array } | null;
}

/** A factor model's learned rows: rows (index.length x dims), row r belonging to customer or product index[r]. */
export interface LearnedFactors {
  dims: number;
  rows: Float32Array;
  index: Int32Array;
}
