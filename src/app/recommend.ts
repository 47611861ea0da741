// Recommendations for customers by id from a saved model, and similar products. A customer the model
// was not trained on gets a real cold-start list: what is popular in its segment (an attribute in the
// store), else what is popular overall, flagged as such with what it was counted over.
import { NextbestError } from '../core/errors.js';
import type { TrainingSource } from '../data/rows.js';
import type { Store } from '../store/store.js';
import { ColdStart, type ColdStartBasis } from '../models/cold-start.js';
import { topK, type CsrMatrix } from '../matrix/index.js';
import { ranksAdds, recommendFor, type TrainedModel } from '../models/trained-model.js';
import { liveHistories } from './live-history.js';
import { loadModelForScoring } from './model-files.js';
import type { StoreAccess } from './store-access.js';

export interface CustomerRecommendations {
  customer: string;
  /** Whether the list comes from the customer's events (training or live), not from cold-start popularity. */
  known: boolean;
  /** Whether events after training (live events) reached the list: the model scored the customer's current history. */
  liveEvents: boolean;
  /** Set for customers the model was not trained on. */
  coldStart: { basis: ColdStartBasis; segment: string | null; customers: number; inStore: boolean } | null;
  recommendations: { rank: number; product: string; score: number }[];
}

export interface RecommendRequest {
  k: number;
  /** Rank products the customer already has in the training history too. */
  includeSeen?: boolean;
  /** The customer attribute that names segments for cold-start lists. */
  segmentAttribute: string;
}

export interface SavedModelRecommendRequest extends RecommendRequest {
  customers: readonly string[];
  /** A model name or .nbm path; default the newest saved model. */
  model?: string;
}

/** Lists for customers from a saved model; the store is read only when it exists and some customer needs it (cold start, current attributes). */
export async function recommend(store: StoreAccess, req: SavedModelRecommendRequest): Promise<{ model: string; customers: CustomerRecommendations[] }> {
  const trained = await loadModelForScoring(store, req.model);
  // The store holds live events since training and cold-start customers' segments: read it whenever there is one.
  const needsStore = store.exists();
  const customers = needsStore
    ? await store.use((s) => recommendCustomers(trained, req.customers, s, req))
    : await recommendCustomers(trained, req.customers, null, req);
  return { model: trained.model.name, customers };
}

export interface SimilarProducts {
  model: string;
  product: string;
  similar: { rank: number; product: string; score: number }[];
}

/** The products most similar to one, from a saved model. */
export async function similarProducts(store: StoreAccess, req: { product: string; k: number; model?: string }): Promise<SimilarProducts> {
  const trained = await loadModelForScoring(store, req.model);
  const p = trained.products.index(req.product);
  if (p < 0) throw new NextbestError('PRODUCT_NOT_FOUND', `product ${req.product} is not in the model; check the id`);
  const [list] = trained.model.similarItems(Int32Array.of(p), req.k);
  const similar = Array.from(list.items, (q, i) => ({ rank: i + 1, product: trained.products.id(q), score: list.scores[i] }));
  return { model: trained.model.name, product: req.product, similar };
}

export async function recommendCustomers(
  trained: TrainedModel,
  customerIds: readonly string[],
  /** Where customers' attributes come from; null when there is no store (every list is then global). */
  store: Store | null,
  req: RecommendRequest,
): Promise<CustomerRecommendations[]> {
  const live = store ? await liveHistories(trained, store, customerIds) : new Map<string, CsrMatrix>();
  // An adds model has no live events (it records no trainedThrough): it ranks from the last month's holdings.
  const known = customerIds.filter((id) => (ranksAdds(trained) ? trained.customers.has(id) : hasHistory(trained, id)) && !live.has(id));
  const lists = new Map(
    recommendFor(trained, known, { k: req.k, exclude: req.includeSeen ? null : undefined }).map((l) => [l.customerId, l]),
  );
  for (const [id, row] of live) lists.set(id, recommendFromHistory(trained, id, row, req));
  const unknown = customerIds.filter((id) => !lists.has(id));
  const segmentOf = unknown.length && store ? await segmentsOf(trained, store, req.segmentAttribute) : undefined;
  const coldStart = unknown.length ? new ColdStart(trained.history, segmentOf) : null;
  const out: CustomerRecommendations[] = [];
  for (const customer of customerIds) {
    const l = lists.get(customer);
    if (l) {
      out.push({ customer, known: true, liveEvents: live.has(customer), coldStart: null, recommendations: l.products.map((product, i) => ({ rank: i + 1, product, score: l.scores[i] })) });
      continue;
    }
    const attributes = store ? await store.attributesOf('customer', customer) : null;
    const value = attributes?.[req.segmentAttribute];
    const segment = value === undefined || value === null ? undefined : String(value);
    const list = (coldStart as ColdStart).recommend(segment, req.k);
    out.push({
      customer,
      known: false,
      liveEvents: false,
      coldStart: { basis: list.basis, segment: list.basis === 'segment' ? (segment as string) : null, customers: list.customers, inStore: attributes !== null },
      recommendations: Array.from(list.items, (p, i) => ({ rank: i + 1, product: trained.products.id(p), score: list.scores[i] })),
    });
  }
  return out;
}

/**
 * A customer's list from its current history (training plus live events): models with learned
 * per-customer state fold the customer in again; what the history holds is excluded unless includeSeen.
 */
function recommendFromHistory(trained: TrainedModel, customerId: string, row: CsrMatrix, req: RecommendRequest): { customerId: string; products: string[]; scores: number[] } {
  const scores = new Float32Array(trained.products.size);
  const history = row.row(0);
  trained.model.scoreInto(trained.customers.index(customerId), history, scores, true);
  const skip = new Uint8Array(trained.products.size);
  if (!req.includeSeen) for (const p of history.indices) skip[p] = 1;
  const list = topK(scores, Math.min(req.k, trained.products.size), skip);
  return { customerId, products: Array.from(list.items, (p) => trained.products.id(p)), scores: Array.from(list.scores) };
}

/** Whether the model was trained on events of this customer (an id with no events scores as a stranger). */
export function hasHistory(trained: TrainedModel, id: string): boolean {
  const u = trained.customers.index(id);
  return u >= 0 && trained.history.indptr[u + 1] > trained.history.indptr[u];
}

/** Each training customer's segment, read from the store's customer attributes. */
async function segmentsOf(trained: TrainedModel, store: TrainingSource, attribute: string): Promise<(u: number) => string | undefined> {
  const segment: (string | undefined)[] = new Array(trained.customers.size);
  for await (const rows of store.attributes('customer')) {
    for (const r of rows) {
      if (r.name !== attribute) continue;
      const u = trained.customers.index(r.id);
      if (u >= 0) segment[u] = r.str ?? (r.num === null ? undefined : String(r.num));
    }
  }
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
