// Row shapes that the store streams out and the training views read in (columnar where it matters).
import type { EventType } from './model.js';

/** A batch of events, one array per field. */
export interface EventBatch {
  length: number;
  customer: string[];
  product: string[];
  /** Epoch seconds. */
  time: Float64Array;
  type: EventType[];
  value: Float64Array;
  /** Context as canonical JSON ('{}' when empty). */
  context: string[];
}

/** Monthly holdings (snapshot loads): one row per customer and month with the products held that month. */
export interface HoldingBatch {
  length: number;
  customer: string[];
  /** The month's snapshot date as epoch seconds. */
  month: Float64Array;
  /** The products held that month, sorted. */
  products: string[][];
}

/** One attribute of one customer or product; both null means missing. */
export interface AttributeRow {
  id: string;
  name: string;
  num: number | null;
  str: string | null;
}

/** Where training data comes from: the Store implements it. */
export interface TrainingSource {
  /** Every customer or product id (including those without events), sorted. */
  ids(entity: 'customer' | 'product'): AsyncIterable<string[]>;
  /** Events in time order. */
  events(types?: readonly EventType[]): AsyncIterable<EventBatch>;
  attributes(entity: 'customer' | 'product'): AsyncIterable<AttributeRow[]>;
}
