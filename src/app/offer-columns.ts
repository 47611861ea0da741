// Offer columns for exports: each exported (customer, product) row gains the customer's best running
// offer on the product that it is eligible for, the offer's P(accept) from the accept / decline model
// and the expected value (pAccept x reward value). The rows keep the recommender's order.
import type { Attributes } from '../data/model.js';
import type { StoredOffer } from '../store/offers.js';
import type { Store } from '../store/store.js';
import type { AcceptModel } from './accept-model.js';
import { acceptProbabilities, attributeRows } from './expected-value.js';
import { activeOffersByProduct, bestOffer } from './offers.js';
import type { ExtraColumns } from './export.js';

export const OFFER_COLUMNS = { offer_id: 'text', reward: 'text', reward_value: 'double', p_accept: 'double', expected_value: 'double' } as const;

/** Every customer's attributes in the store, as objects. */
async function customerAttributes(store: Store): Promise<Map<string, Attributes>> {
  const out = new Map<string, Attributes>();
  for await (const rows of store.attributes('customer'))
    for (const r of rows) {
      let a = out.get(r.id);
      if (!a) out.set(r.id, (a = {}));
      a[r.name] = r.num ?? r.str;
    }
  return out;
}

/** The offer columns of an export from the store's offers running at `at`. */
export async function offerColumns(store: Store, accept: AcceptModel | null, at: Date): Promise<ExtraColumns> {
  const byProduct = await activeOffersByProduct(store, at);
  const attributes = await customerAttributes(store);
  const productRows = (await Promise.all([...byProduct.keys()].map(async (p) => attributeRows(p, await store.attributesOf('product', p))))).flat();
  return {
    names: Object.keys(OFFER_COLUMNS),
    types: OFFER_COLUMNS,
    async values(lists) {
      const pairs: { customer: string; product: string; offer: StoredOffer }[] = [];
      const picked: (StoredOffer | null)[][] = [];
      for (const { customer, products } of lists) {
        const a = attributes.get(customer) ?? null;
        // Holdings are read only for a customer with a candidate offer that excludes holders.
        const needsHoldings = products.some((p) => byProduct.get(p)?.some((o) => o.eligibility.excludeHolders));
        const holdings = new Set(needsHoldings ? await store.holdingsOf(customer) : []);
        const offers = products.map((p) => bestOffer(byProduct.get(p), a, holdings));
        offers.forEach((offer, i) => offer && pairs.push({ customer, product: products[i], offer }));
        picked.push(offers);
      }
      const customerRows = [...new Set(pairs.map((p) => p.customer))].flatMap((c) => attributeRows(c, attributes.get(c) ?? null));
      const p = accept ? acceptProbabilities(accept.model, pairs, { customer: customerRows, product: productRows }, at) : null;
      let next = 0;
      return picked.map((offers) =>
        offers.map((o) => {
          if (!o) return ['', '', '', '', ''];
          const pa = p ? p[next++] : null;
          const ev = pa !== null && o.rewardValue !== null ? pa * o.rewardValue : null;
          return [o.id, o.reward, o.rewardValue ?? '', pa ?? '', ev ?? ''].map(String);
        }),
      );
    },
  };
}
