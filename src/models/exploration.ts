// Exploration of cold products, as in the managed user-personalisation recipe (an exploration weight and
// an item age cut-off, set where lists are served, not in training): products younger than the cut-off
// (first seen in the training events within `ageDays` of their end, or never seen) receive a share
// `weight` of each list's slots. The young products fill their slots in the model's order (a model
// that scores products from their attributes ranks them as it would an established product), the
// others fill the rest in theirs; the slots are spread evenly through the list, so the first slot
// always goes to the best established product when weight < 1.
import { NextbestError } from '../core/errors.js';
import { topK, type EventLog, type TopK } from '../matrix/index.js';

export interface Exploration {
  /** Share of each list given to young products, from 0 (none) to 1. */
  weight: number;
  /** young[p] = 1 when product p is younger than the cut-off. */
  young: Uint8Array;
}

export interface ExplorationOptions {
  weight: number;
  /** The cold-product age cut-off in days. */
  ageDays: number;
}

export const DEFAULT_EXPLORE_AGE_DAYS = 30;

export function checkExploration(opts: ExplorationOptions): void {
  if (!(opts.weight >= 0 && opts.weight <= 1))
    throw new NextbestError('BAD_OPTION', `the exploration weight must be from 0 to 1, got ${opts.weight}; e.g. --explore 0.2`);
  if (!(opts.ageDays > 0)) throw new NextbestError('BAD_OPTION', `the cold-product age cut-off must be a positive number of days, got ${opts.ageDays}`);
}

/** Each product's first event time in the log (epoch seconds; NaN for a product without events). */
export function productFirstSeen(log: EventLog): Float64Array {
  const first = new Float64Array(log.products.size).fill(Number.NaN);
  for (let k = 0; k < log.length; k++) {
    const p = log.product[k];
    const t = log.time[k];
    if (!(first[p] <= t)) first[p] = t;
  }
  return first;
}

/** The log's last event time (epoch seconds; NaN for an empty log). */
export function lastEventTime(log: EventLog): number {
  let last = -Infinity;
  for (let k = 0; k < log.length; k++) if (log.time[k] > last) last = log.time[k];
  return last === -Infinity ? Number.NaN : last;
}

/** Products first seen within ageDays of `reference` (e.g. the training log's last event), or never seen. */
export function youngProducts(firstSeen: Float64Array, ageDays: number, reference: number): Uint8Array {
  const cut = reference - ageDays * 86_400;
  return Uint8Array.from(firstSeen, (t) => (Number.isNaN(t) || t > cut ? 1 : 0));
}

/** The list positions (0-based) a list of k gives to young products: round(weight * k) of them, spread evenly. */
export function explorationSlots(k: number, weight: number): number[] {
  const n = Math.min(k, Math.round(weight * k));
  if (n === k) return Array.from({ length: k }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => Math.floor(((i + 1) * k) / (n + 1)));
}

/**
 * topK with exploration: the young products' best fill the exploration slots, the others' best the rest
 * (either side's shortfall is filled by the other side, so the list is as long as topK's).
 */
export function exploreTopK(scores: Float32Array, k: number, skip: Uint8Array, exploration: Exploration, candidates?: Int32Array): TopK {
  const { young } = exploration;
  const slots = explorationSlots(k, exploration.weight);
  if (slots.length === 0) return topK(scores, k, skip, candidates);
  const split = candidates ? splitCandidates(young, candidates) : productsOf(young);
  const fresh = topK(scores, k, skip, split.young);
  const old = topK(scores, k, skip, split.old);
  const length = Math.min(k, fresh.items.length + old.items.length);
  const items = new Int32Array(length);
  const out = new Float32Array(length);
  const isSlot = new Uint8Array(length);
  for (const s of slots) if (s < length) isSlot[s] = 1;
  let f = 0;
  let o = 0;
  for (let r = 0; r < length; r++) {
    const takeFresh = (isSlot[r] && f < fresh.items.length) || o >= old.items.length;
    const from = takeFresh ? fresh : old;
    const j = takeFresh ? f++ : o++;
    items[r] = from.items[j];
    out[r] = from.scores[j];
  }
  return { items, scores: out };
}

/** The young and the established products of each young mask, listed once (lists are made per customer). */
const listed = new WeakMap<Uint8Array, { young: Int32Array; old: Int32Array }>();

function productsOf(young: Uint8Array): { young: Int32Array; old: Int32Array } {
  let lists = listed.get(young);
  if (!lists) listed.set(young, (lists = splitCandidates(young, Int32Array.from(young, (_, p) => p))));
  return lists;
}

function splitCandidates(young: Uint8Array, candidates: Int32Array): { young: Int32Array; old: Int32Array } {
  return { young: candidates.filter((p) => young[p] === 1), old: candidates.filter((p) => young[p] !== 1) };
}

/** Share of the recommended slots that went to young products. */
export function youngShare(lists: readonly TopK[], young: Uint8Array, k: number): number {
  let slots = 0;
  let fresh = 0;
  for (const l of lists)
    for (let r = 0; r < Math.min(k, l.items.length); r++) {
      slots++;
      fresh += young[l.items[r]];
    }
  return slots ? fresh / slots : 0;
}

/**
 * A saved model's young products: first seen (meta.productFirstSeen, recorded by training) within ageDays
 * of the end of its training events, or never; a model file without the record counts the products
 * without training events as young.
 */
export function youngOfModel(meta: Record<string, unknown>, itemHasEvents: (p: number) => boolean, products: number, ageDays: number): Uint8Array {
  const first = meta.productFirstSeen;
  const end = meta.trainedThrough;
  if (Array.isArray(first) && first.length === products && typeof end === 'number')
    return youngProducts(Float64Array.from(first, (t) => (typeof t === 'number' ? t : Number.NaN)), ageDays, end);
  return Uint8Array.from({ length: products }, (_, p) => (itemHasEvents(p) ? 0 : 1));
}
