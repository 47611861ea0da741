// A customer's recommended products joined with the reward offers it is eligible for now, ranked by the
// blend of the recommender's relevance and expected value (expected-value.ts). The recommender's top
// candidates (3k, at least 30) are re-ranked, so a product just outside the top k with a valuable offer
// can enter the list.
import type { Attributes, Context } from '../data/model.js';
import type { ColdStart } from '../models/cold-start.js';
import type { TrainedModel } from '../models/trained-model.js';
import type { Store } from '../store/store.js';
import type { Rules } from '../rules/schema.js';
import { loadAcceptModel, type AcceptModel } from './accept-model.js';
import { BusinessRules } from './business-rules.js';
import { acceptProbabilities, attributeRows, blendScores } from './expected-value.js';
import { activeOffersByProduct, bestOffer } from './offers.js';
import { loadModelForScoring } from './model-files.js';
import { coldStartFor, recommendCustomers, type CustomerRecommendations, type RecommendRequest } from './recommend.js';
import type { StoreAccess } from './store-access.js';

export interface ItemOffer {
  id: string;
  reward: string;
  rewardValue: number | null;
}

export interface OfferedProduct {
  rank: number;
  product: string;
  /** The recommender's score. */
  score: number;
  /** The customer's best running offer on the product (highest reward value it is eligible for), or null. */
  offer: ItemOffer | null;
  /** P(accept) of the offer from the accept / decline model; null without an offer or a model. */
  pAccept: number | null;
  /** pAccept x reward value; null without one of them. */
  expectedValue: number | null;
  /** (1 - evWeight) * normalized score + evWeight * normalized expected value: the list's order. */
  blended: number;
}

export interface CustomerOffers extends Omit<CustomerRecommendations, 'recommendations'> {
  /** When the offers had to be running. */
  at: string;
  evWeight: number;
  /** The accept / decline model that gave pAccept, or null (then the recommender's order stands). */
  acceptModel: string | null;
  recommendations: OfferedProduct[];
}

export interface OffersRequest extends Pick<RecommendRequest, 'descriptions' | 'rules' | 'mayHaveLiveEvents'> {
  k: number;
  segmentAttribute: string;
  coldStart?: ColdStart;
  /** Offers running at this time; default now. */
  at?: Date;
  /** Weight of expected value against relevance, in [0, 1]. */
  evWeight: number;
  /** The request's context, for the recommender (models trained with context) and for P(accept). */
  context?: Context;
}

export const candidatePool = (k: number): number => Math.max(3 * k, 30);

export async function recommendWithOffers(
  trained: TrainedModel,
  accept: AcceptModel | null,
  customer: string,
  store: Store,
  req: OffersRequest,
): Promise<CustomerOffers> {
  const at = req.at ?? new Date();
  const [list] = await recommendCustomers(trained, [customer], store, {
    k: candidatePool(req.k),
    segmentAttribute: req.segmentAttribute,
    coldStart: req.coldStart,
    context: req.context,
    descriptions: req.descriptions,
    rules: req.rules,
    mayHaveLiveEvents: req.mayHaveLiveEvents,
  });
  const byProduct = await activeOffersByProduct(store, at);
  const attributes = await store.attributesOf('customer', customer);
  const holdings = new Set(await store.holdingsOf(customer));
  const offers = list.recommendations.map((r) => bestOffer(byProduct.get(r.product), attributes, holdings));
  const offered = list.recommendations.filter((_, i) => offers[i] !== null);
  const p = accept ? await pAcceptOf(accept, store, customer, attributes, offered.map((r) => r.product), at, req.context) : new Map<string, number>();
  const items = list.recommendations.map((r, i) => {
    const o = offers[i];
    const pAccept = p.get(r.product) ?? null;
    const expectedValue = pAccept !== null && o?.rewardValue !== null && o?.rewardValue !== undefined ? pAccept * o.rewardValue : null;
    return { ...r, offer: o && { id: o.id, reward: o.reward, rewardValue: o.rewardValue }, pAccept, expectedValue };
  });
  const blended = blendScores(items, req.evWeight);
  const ranked = items
    .map((item, i) => ({ ...item, blended: blended[i] }))
    .sort((a, b) => b.blended - a.blended || a.rank - b.rank)
    .slice(0, req.k)
    .map((item, i) => ({ ...item, rank: i + 1 }));
  const { recommendations: _, ...rest } = list;
  return { ...rest, at: at.toISOString(), evWeight: req.evWeight, acceptModel: accept?.name ?? null, recommendations: ranked };
}

export interface SavedModelOffersRequest extends Omit<OffersRequest, 'coldStart' | 'rules'> {
  customers: readonly string[];
  /** A business-rules file, already loaded (src/rules/load.ts). */
  businessRules?: Rules;
  /** The ranking model (name or .nbm path); default the newest saved. */
  model?: string;
  /** The accept / decline model; default fm-classification when trained. */
  acceptModel?: string;
}

/** Lists with offers and expected value for customers by id, from saved models (`nextbest recommend --offers`). */
export async function recommendOffers(store: StoreAccess, req: SavedModelOffersRequest): Promise<{ model: string; customers: CustomerOffers[] }> {
  const trained = await loadModelForScoring(store, req.model);
  const accept = loadAcceptModel(store.name, req.acceptModel);
  return store.use(async (s) => {
    const coldStart = await coldStartFor(trained, s, req.segmentAttribute);
    const rules = req.businessRules ? { business: new BusinessRules(req.businessRules, s), filters: {} } : undefined;
    const customers: CustomerOffers[] = [];
    for (const customer of req.customers) customers.push(await recommendWithOffers(trained, accept, customer, s, { ...req, coldStart, rules }));
    return { model: trained.model.name, customers };
  });
}

/** P(accept) of the products' offers for one customer, from its and the products' attributes in the store. */
async function pAcceptOf(
  accept: AcceptModel,
  store: Store,
  customer: string,
  attributes: Attributes | null,
  products: string[],
  at: Date,
  context?: Context,
): Promise<Map<string, number>> {
  const productRows = (await Promise.all(products.map(async (p) => attributeRows(p, await store.attributesOf('product', p))))).flat();
  const p = acceptProbabilities(accept.model, products.map((product) => ({ customer, product })), { customer: attributeRows(customer, attributes), product: productRows }, at, context);
  return new Map(products.map((product, i) => [product, p[i]]));
}
