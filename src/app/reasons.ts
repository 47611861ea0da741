// The reason a bank agent reads beside each recommended product, made here and only here: a model's
// structured Reason (src/models/reason.ts) in ids and words, products named by their description in
// the store when it has one, and the reason of a cold-start list (how popular the product is).
import type { SparseRow } from '../matrix/index.js';
import type { FieldAttention, ScoringRequest } from '../models/contract.js';
import type { ColdStartBasis } from '../models/cold-start.js';
import type { FeatureGroup, Reason } from '../models/reason.js';
import type { TrainedModel } from '../models/trained-model.js';

/** A Reason in ids and words: `text` for people, the figures behind it for programs. */
export interface ReasonView {
  kind: Reason['kind'];
  text: string;
  /** held-product: the history product (id) and its name. */
  product?: string;
  productName?: string;
  measure?: 'contribution' | 'similarity' | 'attention';
  /** The figure the reason rests on: the held product's term or cosine, the score, a popularity weight. */
  weight?: number | null;
  /** held-product: the score its terms add up to (null when the measure is a similarity). */
  total?: number | null;
  /** similar-customers: the neighbours who hold it; popular: the customers who have it. */
  customers?: number | null;
  /** similar-customers: how many neighbours the customer has. */
  neighbours?: number;
  basis?: 'global' | 'segment' | 'trending';
  segment?: string | null;
  /** Cold start: the share of the `of` customers counted who have it. */
  share?: number;
  of?: number;
  group?: FeatureGroup;
  /** feature: its name, e.g. "segment=MASS" or "tod=morning". */
  feature?: string;
  /** Models with attention over feature fields (two-tower): each tower's weight of each field for this product. */
  attention?: FieldAttention;
}

/** What naming a model's reasons takes: its products, their descriptions, its feature names. */
export interface ReasonNames {
  trained: TrainedModel;
  /** Product id -> description (the store's; empty without a store). */
  descriptions: ReadonlyMap<string, string>;
}

/** The model's reasons for products of one customer, in ids and words; null when the model gives none. */
export function explainProducts(
  names: ReasonNames,
  customer: number,
  history: SparseRow,
  products: readonly string[],
  fromHistory: boolean,
  /** The request the scores came from (context, a customer's attributes): models that use it explain from it. */
  request?: ScoringRequest,
): ReasonView[] | null {
  const { model, products: ids } = names.trained;
  if (!model.explain) return null;
  const indices = Int32Array.from(products, (p) => ids.index(p));
  const reasons = model.explain(customer, history, indices, fromHistory, request);
  const attention = model.attention?.(customer, history, indices, request, fromHistory);
  return reasons.map((r, i) => {
    const view = reasonView(r, names);
    return attention ? { ...view, attention: attention[i] } : view;
  });
}

/** A model's Reason in ids and words. */
export function reasonView(r: Reason, names: ReasonNames): ReasonView {
  switch (r.kind) {
    case 'held-product': {
      const product = names.trained.products.id(r.product);
      const label = productLabel(product, names.descriptions);
      // "In your history", not "you hold": a history holds clicks and displays as well as holdings.
      const text =
        r.measure === 'contribution' ? `because of ${label} in your history` : r.measure === 'attention' ? `follows on from ${label} in your history` : `similar to ${label} in your history`;
      const productName = names.descriptions.get(product);
      return { kind: r.kind, text, product, ...(productName ? { productName } : {}), measure: r.measure, weight: r.weight, total: r.total };
    }
    case 'similar-customers':
      return { kind: r.kind, text: `held by ${r.customers} of your ${r.neighbours} most similar customers`, customers: r.customers, neighbours: r.neighbours, weight: r.weight };
    case 'popular': {
      const text =
        r.basis === 'trending'
          ? `trending: ${r.weight.toFixed(1)} recent events (newer ones count more)`
          : `${r.basis === 'segment' ? `popular in your segment (${r.segment})` : 'popular'}: ${count(r.customers ?? 0)} ${r.customers === 1 ? 'customer has' : 'customers have'} it`;
      return { kind: r.kind, text, basis: r.basis, segment: r.segment, customers: r.customers, weight: r.weight };
    }
    case 'feature': {
      const feature = featureName(names.trained, r.group, r.column);
      const text =
        r.group === 'ids' ? 'your own history raised it most' : r.group === 'customer' ? `your profile (${feature}) raised it most` : `the context (${feature}) raised it most`;
      return { kind: r.kind, text, group: r.group, feature, weight: r.weight };
    }
    case 'none':
      return { kind: r.kind, text: 'no single signal stands out; ranked by the model\'s overall score', weight: r.weight };
  }
}

/** The reason of a cold-start list's product: the share of customers (in the segment, or all) who have it. */
export function coldStartReason(basis: ColdStartBasis, segment: string | null, share: number, of: number): ReasonView {
  const where = basis === 'segment' ? `popular in your segment (${segment})` : 'popular overall';
  return { kind: 'popular', text: `${where}: ${percent(share)} hold it`, basis, segment, share, of, customers: Math.round(share * of) };
}

/** "Everyday current account (P01)", or the id alone when the product has no description. */
export function productLabel(id: string, descriptions: ReadonlyMap<string, string>): string {
  const d = descriptions.get(id);
  return d ? `${d} (${id})` : id;
}

/** A feature's name: "segment=MASS", "tod=morning", or a numeric bucket as its range ("age from 35 to under 44"). */
function featureName(trained: TrainedModel, group: FeatureGroup, column: number): string {
  if (group === 'ids') return 'customer id';
  const encoding = group === 'customer' ? trained.features.customer : trained.features.context;
  const name = encoding?.features[column] ?? `${group} feature ${column}`;
  const bucket = /^(.*)#(\d+)$/.exec(name);
  const cuts = bucket && encoding && 'cuts' in encoding ? encoding.cuts[bucket[1]] : undefined;
  if (!bucket || !cuts?.length) return name;
  // Bucket b holds cuts[b - 1] <= x < cuts[b] (src/matrix/buckets.ts).
  const b = Number(bucket[2]);
  const at = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (b === 0) return `${bucket[1]} under ${at(cuts[0])}`;
  if (b >= cuts.length) return `${bucket[1]} ${at(cuts[cuts.length - 1])} or over`;
  return `${bucket[1]} from ${at(cuts[b - 1])} to under ${at(cuts[b])}`;
}

const count = (n: number): string => n.toLocaleString('en-US');

function percent(share: number): string {
  const p = share * 100;
  return p > 0 && p < 1 ? '<1%' : `${Math.round(p)}%`;
}
