// Expected value of offering a product with its reward: P(accept | customer, product, context) from the
// accept / decline FM times the reward's value, blended with the recommender's relevance:
//
//   relevance_i = (score_i - min score) / (max score - min score)   (1 for every item when all are equal)
//   value_i     = EV_i / max EV                                      (0 for every item when no EV is > 0)
//   blended_i   = (1 - w) * relevance_i + w * value_i,               w = evWeight in [0, 1]
//
// over the candidate list, where EV_i = pAccept_i * rewardValue_i and an item without an offer (or
// without an accept model) has EV 0. w = 0 keeps the recommender's order; w = 1 ranks by expected value.
import { EventLogBuilder, type EventLog } from '../matrix/index.js';
import type { Attributes, Context } from '../data/model.js';
import type { AttributeRow } from '../data/rows.js';
import type { EntityAttributes, EventModel } from '../models/fm/event-model.js';

/** The weight of expected value when the caller gives none: half relevance, half value. */
export const DEFAULT_EV_WEIGHT = 0.5;

/** An entity's attributes as the rows side features are built from. */
export const attributeRows = (id: string, attributes: Attributes | null): AttributeRow[] =>
  Object.entries(attributes ?? {}).map(([name, v]) => ({ id, name, num: typeof v === 'number' ? v : null, str: typeof v === 'string' ? v : null }));

/** P(accept) of each (customer, product) pair if offered at `at` in a context. */
export function acceptProbabilities(
  model: EventModel,
  pairs: readonly { customer: string; product: string }[],
  attributes: EntityAttributes,
  at: Date,
  context: Context = {},
): Float64Array {
  if (pairs.length === 0) return new Float64Array(0);
  const builder = new EventLogBuilder();
  for (const p of pairs) builder.add(p.customer, p.product, at.getTime() / 1000, 'accept', 1, context);
  const log: EventLog = builder.build();
  return model.predict(log, attributes);
}

/** Blended scores (see the formula above) of items with the recommender's score and an expected value (null: none). */
export function blendScores(items: readonly { score: number; expectedValue: number | null }[], evWeight: number): number[] {
  if (items.length === 0) return [];
  const scores = items.map((i) => i.score);
  const lo = Math.min(...scores);
  const span = Math.max(...scores) - lo;
  const maxEv = Math.max(0, ...items.map((i) => i.expectedValue ?? 0));
  return items.map((i) => {
    const relevance = span > 0 ? (i.score - lo) / span : 1;
    const value = maxEv > 0 ? (i.expectedValue ?? 0) / maxEv : 0;
    return (1 - evWeight) * relevance + evWeight * value;
  });
}
