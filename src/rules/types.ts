// What the rules engine reads and returns: a ranked candidate list, facts about products and one
// customer (read from the store by src/app/customer-state.ts), and the final list with a trace.
import type { AttributeValue, Attributes } from '../data/model.js';
import type { EventBatch } from '../data/rows.js';

/** A product the model scored, best first. */
export interface Candidate {
  product: string;
  score: number;
}

/** What the rules know of the catalogue. */
export interface ProductFacts {
  /** The product's type ('' when unknown). */
  type(product: string): string;
  attribute(product: string, name: string): AttributeValue | undefined;
}

/** The last word on whether a customer holds a product: since when, and how the store knows. */
export interface HoldingMark {
  /** Epoch seconds. */
  time: number;
  held: boolean;
  how: string;
}

/** One customer as the rules see it at request time. */
export interface CustomerState {
  /** Its attributes in the store, or null when the store does not know it. */
  attributes: Attributes | null;
  /** Its holdings as the store knew them when they were indexed (latest snapshot and holding events), by product. */
  holdings: ReadonlyMap<string, HoldingMark>;
  /** Its events since then, covering at least the longest frequency-cap window, in time order. */
  events: EventBatch;
  /** The request's time, epoch seconds (frequency caps count back from it). */
  now: number;
}

/** The per-request filters: product types to keep only, and to leave out. */
export interface RequestFilters {
  include?: readonly string[];
  exclude?: readonly string[];
}

/** Every rule a trace can name: the request's filters, the rules file's removing rules, then the moving ones. */
export const RULE_NAMES = ['include', 'exclude', 'holds', 'eligibility', 'frequencyCap', 'maxPerType', 'boost', 'pin'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface Removal {
  product: string;
  rule: RuleName;
  detail: string;
}

export interface Move {
  product: string;
  rule: RuleName;
  detail: string;
  /** Its rank in the model's list (before any rule). */
  from: number;
  /** Its rank in the final list, or null when the move took it out of the list. */
  to: number | null;
}

export interface RuleTrace {
  removed: Removal[];
  moved: Move[];
}

export interface RankedItem {
  rank: number;
  product: string;
  score: number;
}

/** Why a product may not be shown, or null when it may. */
export type Verdict = { rule: RuleName; detail: string } | null;
