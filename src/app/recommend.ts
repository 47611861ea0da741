// Recommendations for customers by id from a saved model, and similar products. A customer the model
// was not trained on gets a real cold-start list: what is popular in its segment (an attribute in the
// store), else what is popular overall, flagged as such with what it was counted over.
import { NextbestError } from '../core/errors.js';
import type { TrainingSource } from '../data/rows.js';
import type { Store } from '../store/store.js';
import { ColdStart, type ColdStartBasis } from '../models/cold-start.js';
import { CsrMatrix, topK, type SparseRow } from '../matrix/index.js';
import type { ScoringRequest } from '../models/contract.js';
import { ranksAdds, recommendFor, type TrainedModel } from '../models/trained-model.js';
import { attributeValues } from './attribute-values.js';
import { encodeAttributes } from './dataset.js';
import type { Rules } from '../rules/schema.js';
import type { RuleTrace } from '../rules/types.js';
import { BusinessRules, type ListRules } from './business-rules.js';
import { liveHistories, type CurrentHistory } from './live-history.js';
import { checkExploration, exploreTopK, youngOfModel, type Exploration, type ExplorationOptions } from '../models/exploration.js';
import { loadModelForScoring } from './model-files.js';
import { coldStartReason, explainProducts, type ReasonNames, type ReasonView } from './reasons.js';
import { contextKeys, requestContext, type AppliedContext, type ContextValues } from './request-context.js';
import type { StoreAccess } from './store-access.js';

export interface CustomerRecommendations {
  customer: string;
  /** Whether the list comes from the customer's events (training or live), not from cold-start popularity. */
  known: boolean;
  /** Whether events after training (live events) reached the list: the model scored the customer's current history. */
  liveEvents: boolean;
  /** Set for customers the model was not trained on. */
  coldStart: { basis: ColdStartBasis; segment: string | null; customers: number; inStore: boolean } | null;
  /** Set when a customer without training history was scored by the model from its attributes (and the context). */
  fromAttributes?: boolean;
  /** The context the list was scored with (models trained with context features only). */
  context?: AppliedContext;
  recommendations: RecommendedProduct[];
  /** What business rules and filters removed or moved (set when the request had rules or filters). */
  debug?: RuleTrace;
}

export interface RecommendedProduct {
  rank: number;
  product: string;
  score: number;
  /** Why the model (or the cold-start list) put it there; absent for a model that gives no reasons. */
  reason?: ReasonView;
}

export interface RecommendRequest {
  k: number;
  /** Rank products the customer already has in the training history too. */
  includeSeen?: boolean;
  /** The customer attribute that names segments for cold-start lists. */
  segmentAttribute: string;
  /** Cold-start shares counted once for the model and segment attribute (a server keeps one); built when missing. */
  coldStart?: ColdStart;
  /** Product descriptions that name products in reasons (a server keeps them); read from the store when missing. */
  descriptions?: ReadonlyMap<string, string>;
  /** The request's context (tod, page, channel, ...): models trained with context score in it. */
  context?: ContextValues;
  /** Business rules and type filters: the whole catalogue is ranked, then cut to k after them (held products are the rules' call). */
  rules?: ListRules;
  /** Whether a customer may have live events since training (a server knows); the store is asked for every customer when unset. */
  mayHaveLiveEvents?: (customer: string) => boolean;
  /** Exploration of cold products: products younger than ageDays at the end of training get `weight` of each list. */
  explore?: ExplorationOptions;
}

export interface SavedModelRecommendRequest extends RecommendRequest {
  customers: readonly string[];
  /** A model name or .nbm path; default the newest saved model. */
  model?: string;
  /** A business-rules file, already loaded (src/rules/load.ts). */
  businessRules?: Rules;
}

/** Lists for customers from a saved model; the store is read only when it exists and some customer needs it (cold start, current attributes). */
export async function recommend(
  store: StoreAccess,
  req: SavedModelRecommendRequest,
): Promise<{ model: string; contextKeys: string[]; customers: CustomerRecommendations[] }> {
  const trained = await loadModelForScoring(store, req.model);
  // The store holds live events since training and cold-start customers' segments: read it whenever there is one.
  const needsStore = store.exists();
  if (req.businessRules && !needsStore) throw new NextbestError('STORE_MISSING', `the store ${store.name} does not exist, and business rules read customers and products from it; pass --store or leave out --rules`);
  const customers = needsStore
    ? await store.use(async (s) => {
        const rules = req.businessRules ? { business: new BusinessRules(req.businessRules, s), filters: {} } : undefined;
        return recommendCustomers(trained, req.customers, s, { ...req, rules });
      })
    : await recommendCustomers(trained, req.customers, null, req);
  return { model: trained.model.name, contextKeys: [...contextKeys(trained).keys()].sort(), customers };
}

export interface SimilarProducts {
  model: string;
  product: string;
  similar: { rank: number; product: string; score: number }[];
}

/** The products most similar to one, from a saved model. */
export async function similarProducts(store: StoreAccess, req: { product: string; k: number; model?: string }): Promise<SimilarProducts> {
  const trained = await loadModelForScoring(store, req.model);
  return { model: trained.model.name, ...similarTo(trained, req.product, req.k) };
}

/** The k products a trained model finds most similar to one. */
export function similarTo(trained: TrainedModel, product: string, k: number): Omit<SimilarProducts, 'model'> {
  const p = trained.products.index(product);
  if (p < 0) throw new NextbestError('PRODUCT_NOT_FOUND', `product ${product} is not in the model; check the id`);
  const [list] = trained.model.similarItems(Int32Array.of(p), k);
  const similar = Array.from(list.items, (q, i) => ({ rank: i + 1, product: trained.products.id(q), score: list.scores[i] }));
  return { product, similar };
}

export async function recommendCustomers(
  trained: TrainedModel,
  customerIds: readonly string[],
  /** Where customers' attributes come from; null when there is no store (every list is then global). */
  store: Store | null,
  req: RecommendRequest,
): Promise<CustomerRecommendations[]> {
  const rules = req.rules;
  // With rules the whole catalogue is ranked (held products too when a rules file decides them), then cut to k.
  const ranked = await rankCustomers(trained, customerIds, store, rules ? { ...req, k: trained.products.size, includeSeen: rules.business.rules ? true : req.includeSeen } : req);
  const out: CustomerRecommendations[] = [];
  for (const { list, explain } of ranked) {
    const cut = rules ? { ...list, ...(await rules.business.apply(list.customer, list.recommendations, req.k, rules)) } : list;
    // Reasons only for the products the list keeps.
    const reasons = explain?.(cut.recommendations.map((r) => r.product));
    out.push(reasons ? { ...cut, recommendations: cut.recommendations.map((r, i) => ({ ...r, reason: reasons[i] })) } : cut);
  }
  return out;
}

/** A customer's list before business rules, and how to explain the products the model put in it (null when its items carry their reasons). */
interface RankedCustomer {
  list: CustomerRecommendations;
  explain: ((products: readonly string[]) => ReasonView[] | null) | null;
}

async function rankCustomers(trained: TrainedModel, customerIds: readonly string[], store: Store | null, req: RecommendRequest): Promise<RankedCustomer[]> {
  const applied = requestContext(trained, req.context);
  const scoring: ScoringRequest = applied?.request ? { context: applied.request } : {};
  const withContext = applied ? { context: applied.applied } : {};
  const live = store ? await liveHistories(trained, store, customerIds, req.mayHaveLiveEvents) : new Map<string, CurrentHistory>();
  // An adds model has no live events (it records no trainedThrough): it ranks from the last month's holdings.
  const known = customerIds.filter((id) => (ranksAdds(trained) ? trained.customers.has(id) : hasHistory(trained, id)) && !live.has(id));
  const explore = explorationOf(trained, req.explore);
  const lists = new Map(
    recommendFor(trained, known, { k: req.k, exclude: req.includeSeen ? null : undefined, request: scoring, explore }).map((l) => [l.customerId, l]),
  );
  for (const [id, h] of live) lists.set(id, recommendFromHistory(trained, id, h.row, req, { ...scoring, recent: h.recent }, explore));
  const fromAttributes = new Map<string, SparseRow>();
  for (const id of customerIds.filter((c) => !lists.has(c))) {
    const features = await attributeFeatures(trained, store, id);
    if (!features) continue;
    lists.set(id, recommendFromHistory(trained, id, emptyRow(trained), req, { ...scoring, customerFeatures: features }, explore));
    fromAttributes.set(id, features);
  }
  const unknown = customerIds.filter((id) => !lists.has(id));
  const coldStart = unknown.length ? (req.coldStart ?? (await coldStartFor(trained, store, req.segmentAttribute))) : null;
  const names: ReasonNames = { trained, descriptions: req.descriptions ?? (store && lists.size ? await store.productDescriptions() : new Map()) };
  const out: RankedCustomer[] = [];
  for (const customer of customerIds) {
    const l = lists.get(customer);
    if (l) {
      const known = !fromAttributes.has(customer);
      const u = trained.customers.index(customer);
      const current = live.get(customer);
      const history = current ? current.row.row(0) : u >= 0 ? trained.history.row(u) : emptyRow(trained).row(0);
      const request = known ? (current ? { ...scoring, recent: current.recent } : scoring) : { ...scoring, customerFeatures: fromAttributes.get(customer) };
      out.push({
        list: {
          customer,
          known,
          liveEvents: live.has(customer),
          coldStart: null,
          ...(known ? {} : { fromAttributes: true }),
          ...withContext,
          recommendations: l.products.map((product, i) => ({ rank: i + 1, product, score: l.scores[i] })),
        },
        explain: (products) => explainProducts(names, u, history, products, current !== undefined, request),
      });
      continue;
    }
    const { attributes, segment } = await segmentOfCustomer(store, customer, req.segmentAttribute);
    const list = (coldStart as ColdStart).recommend(segment, req.k);
    const listSegment = list.basis === 'segment' ? (segment as string) : null;
    out.push({
      list: {
        customer,
        known: false,
        liveEvents: false,
        coldStart: { basis: list.basis, segment: listSegment, customers: list.customers, inStore: attributes !== null },
        recommendations: Array.from(list.items, (p, i) => ({
          rank: i + 1,
          product: trained.products.id(p),
          score: list.scores[i],
          reason: coldStartReason(list.basis, listSegment, list.scores[i], list.customers),
        })),
      },
      explain: null,
    });
  }
  return out;
}

/**
 * A customer's list from its current history (training plus live events): models with learned
 * per-customer state fold the customer in again; what the history holds is excluded unless includeSeen.
 */
function recommendFromHistory(
  trained: TrainedModel,
  customerId: string,
  row: CsrMatrix,
  req: RecommendRequest,
  scoring: ScoringRequest,
  explore: Exploration | undefined,
): { customerId: string; products: string[]; scores: number[] } {
  const scores = new Float32Array(trained.products.size);
  const history = row.row(0);
  trained.model.scoreInto(trained.customers.index(customerId), history, scores, true, scoring);
  const skip = new Uint8Array(trained.products.size);
  if (!req.includeSeen) for (const p of history.indices) skip[p] = 1;
  const k = Math.min(req.k, trained.products.size);
  const list = explore ? exploreTopK(scores, k, skip, explore) : topK(scores, k, skip);
  return { customerId, products: Array.from(list.items, (p) => trained.products.id(p)), scores: Array.from(list.scores) };
}

/** Each loaded model's young products by age cut-off, worked out once. */
const youngByModel = new WeakMap<TrainedModel, Map<number, Uint8Array>>();

/** The model's young products with the request's exploration weight, or undefined without exploration. */
function explorationOf(trained: TrainedModel, opts: ExplorationOptions | undefined): Exploration | undefined {
  if (!opts || opts.weight === 0) return undefined;
  checkExploration(opts);
  let byAge = youngByModel.get(trained);
  if (!byAge) youngByModel.set(trained, (byAge = new Map()));
  let young = byAge.get(opts.ageDays);
  if (!young) {
    const hasEvents = new Uint8Array(trained.products.size);
    for (const p of trained.history.indices) hasEvents[p] = 1;
    young = youngOfModel(trained.meta, (p) => hasEvents[p] === 1, trained.products.size, opts.ageDays);
    byAge.set(opts.ageDays, young);
  }
  return { weight: opts.weight, young };
}

const emptyRow = (trained: TrainedModel): CsrMatrix => CsrMatrix.empty(1, trained.products.size);

/**
 * A customer's store attributes in the model's customer-feature columns, for a model that scores a
 * customer without training history from them; null when it does not, or the store has none of them.
 */
async function attributeFeatures(trained: TrainedModel, store: Store | null, customerId: string): Promise<SparseRow | null> {
  const encoding = trained.features.customer;
  if (!store || !encoding || !trained.model.scoresFromAttributes) return null;
  const attributes = await store.attributesOf('customer', customerId);
  if (!attributes) return null;
  const row = encodeAttributes(encoding, attributes);
  return row.indices.length ? row : null;
}

/** Whether the model was trained on events of this customer (an id with no events scores as a stranger). */
export function hasHistory(trained: TrainedModel, id: string): boolean {
  const u = trained.customers.index(id);
  return u >= 0 && trained.history.indptr[u + 1] > trained.history.indptr[u];
}

/** Cold-start shares over the model's training customers, by the segment attribute in the store (global only without a store). */
export async function coldStartFor(trained: TrainedModel, store: TrainingSource | null, segmentAttribute: string): Promise<ColdStart> {
  return new ColdStart(trained.history, store ? await segmentsOf(trained, store, segmentAttribute) : undefined);
}

/** A customer's attributes in the store and its segment among them. */
async function segmentOfCustomer(store: Store | null, customer: string, segmentAttribute: string): Promise<{ attributes: Record<string, unknown> | null; segment: string | undefined }> {
  const attributes = store ? await store.attributesOf('customer', customer) : null;
  const value = attributes?.[segmentAttribute];
  return { attributes, segment: value === undefined || value === null ? undefined : String(value) };
}

export interface RankedProducts {
  customer: string;
  known: boolean;
  coldStart: boolean;
  /** Set when a customer without training history was ranked by the model from its attributes. */
  fromAttributes?: boolean;
  /** The context the ranking was scored with (models trained with context features only). */
  context?: AppliedContext;
  ranked: { rank: number; product: string; score: number }[];
  /** Products the caller gave that the model does not know (left out of the ranking). */
  unknown: string[];
}

/**
 * The caller's products in the order the model ranks them for a customer, from the history known now
 * (cold-start shares for a customer without history). Held products are ranked too: the caller chose them.
 */
export async function rankProducts(
  trained: TrainedModel,
  customer: string,
  productIds: readonly string[],
  store: Store,
  req: Pick<RecommendRequest, 'segmentAttribute' | 'coldStart' | 'mayHaveLiveEvents' | 'context'>,
): Promise<RankedProducts> {
  const scores = new Float32Array(trained.products.size);
  const applied = requestContext(trained, req.context);
  const scoring: ScoringRequest = applied?.request ? { context: applied.request } : {};
  const live = await liveHistories(trained, store, [customer], req.mayHaveLiveEvents);
  const current = live.get(customer);
  const known = current !== undefined || hasHistory(trained, customer);
  const features = known ? null : await attributeFeatures(trained, store, customer);
  const u = trained.customers.index(customer);
  if (known) trained.model.scoreInto(u, current ? current.row.row(0) : trained.history.row(u), scores, current !== undefined, current ? { ...scoring, recent: current.recent } : scoring);
  else if (features) trained.model.scoreInto(u, emptyRow(trained).row(0), scores, true, { ...scoring, customerFeatures: features });
  else {
    const coldStart = req.coldStart ?? (await coldStartFor(trained, store, req.segmentAttribute));
    const { segment } = await segmentOfCustomer(store, customer, req.segmentAttribute);
    scores.set(coldStart.scores(segment).ranked);
  }
  const unknown = productIds.filter((id) => !trained.products.has(id));
  const ranked = [...new Set(productIds.filter((id) => trained.products.has(id)))]
    .map((product) => ({ product, score: scores[trained.products.index(product)] }))
    .sort((a, b) => b.score - a.score || (a.product < b.product ? -1 : 1))
    .map((r, i) => ({ rank: i + 1, ...r }));
  return { customer, known, coldStart: !known && !features, ...(features ? { fromAttributes: true } : {}), ...(applied ? { context: applied.applied } : {}), ranked, unknown };
}

/** Each training customer's segment, read from the store's customer attributes. */
async function segmentsOf(trained: TrainedModel, store: TrainingSource, attribute: string): Promise<(u: number) => string | undefined> {
  const segment: (string | undefined)[] = new Array(trained.customers.size);
  for (const [id, v] of await attributeValues(store, 'customer', attribute, trained.customers)) segment[trained.customers.index(id)] = v ?? undefined;
  return (u) => segment[u];
}

/** One line for a person about how a cold-start list was made. */
export function coldStartNote(c: CustomerRecommendations, segmentAttribute: string): string {
  const cs = c.coldStart;
  if (!cs) return '';
  const who = cs.inStore ? `customer ${c.customer} has no training history` : `customer ${c.customer} is unknown to the store and the model`;
  return cs.basis === 'segment'
    ? `${who}; showing the share of the ${cs.customers.toLocaleString('en-US')} customers with ${segmentAttribute}=${cs.segment} who have each product (cold start)`
    : `${who}; showing the share of all ${cs.customers.toLocaleString('en-US')} training customers who have each product (cold start)`;
}
