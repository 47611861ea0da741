// Reward offers for the API and the CLI: listing (by product, active at a time), creating, changing and
// retiring them through the store, and which offer a customer is eligible for. Eligibility reads the
// customer's attributes as the synthetic bank data writes them (age, income, segment) and its
// holdings: a condition the offer gives holds only when the attribute is there and satisfies it, so a
// customer whose age the store does not know gets no offer with an age limit.
import type { Attributes, Offer } from '../data/model.js';
import { isActive, type OfferChanges, type StoredOffer } from '../store/offers.js';
import { customerFacts, unmet } from '../rules/eligibility.js';
import type { Store } from '../store/store.js';

export interface OfferQuery {
  /** Only this product's offers. */
  product?: string;
  /** Only offers running at this time (in their window, not retired). */
  activeAt?: Date;
}

export async function listOffers(store: Store, q: OfferQuery = {}): Promise<StoredOffer[]> {
  const offers = await store.offers(q.product === undefined ? {} : { productId: q.product });
  const at = q.activeAt;
  return at ? offers.filter((o) => isActive(o, at)) : offers;
}

export const createOffer = (store: Store, offer: Offer): Promise<StoredOffer> => store.createOffer(offer);

export const updateOffer = (store: Store, offerId: string, changes: OfferChanges): Promise<StoredOffer> => store.updateOffer(offerId, changes);

/** Retires an offer now (or at a given time); it stays in the store, listed with its retirement time. */
export const retireOffer = (store: Store, offerId: string, at = new Date()): Promise<StoredOffer> => store.retireOffer(offerId, at);

/** The attribute names offer eligibility reads (as the synthetic bank data writes them). */
const OFFER_ATTRIBUTES = { age: 'age', income: 'income', segment: 'segment' };

/** Whether a customer (its attributes, the products it holds) meets every condition of an offer's eligibility (the rules' conditions, src/rules/eligibility.ts). */
export function isEligible(offer: Offer, attributes: Attributes | null, holdings: ReadonlySet<string>): boolean {
  if (offer.eligibility.excludeHolders && holdings.has(offer.productId)) return false;
  return unmet(offer.eligibility, customerFacts(attributes, OFFER_ATTRIBUTES)) === null;
}

/** Running offers grouped by product, each product's by reward value (highest first, then id), for picking a customer's best. */
export async function activeOffersByProduct(store: Store, at: Date): Promise<Map<string, StoredOffer[]>> {
  const byProduct = new Map<string, StoredOffer[]>();
  for (const o of await listOffers(store, { activeAt: at })) byProduct.set(o.productId, [...(byProduct.get(o.productId) ?? []), o]);
  for (const list of byProduct.values()) list.sort((a, b) => (b.rewardValue ?? 0) - (a.rewardValue ?? 0) || (a.id < b.id ? -1 : 1));
  return byProduct;
}

/** The customer's best offer (highest reward value) among a product's running ones it is eligible for, or null. */
export function bestOffer(candidates: readonly StoredOffer[] | undefined, attributes: Attributes | null, holdings: ReadonlySet<string>): StoredOffer | null {
  return candidates?.find((o) => isEligible(o, attributes, holdings)) ?? null;
}
