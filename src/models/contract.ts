// The one contract every recommender follows (after benfred/implicit's RecommenderBase): fit on a
// training set, score every product for a customer from that customer's history, and from that
// batch recommend with exclusions, candidates and filters, similar items, and save.
import type { KernelImpl } from '../kernels/index.js';
import type { CsrMatrix, EventLog, Interactions, PairContexts, SideFeatures, SparseRow, TopK } from '../matrix/index.js';
import type { MonthlyHoldings } from '../matrix/holdings.js';

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
   */
  scoreInto(customer: number, history: SparseRow, out: Float32Array, fromHistory?: boolean): void;
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
}
