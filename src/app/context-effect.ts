// What the context did to one product's score for a customer: the hook for a reason such as "raised
// this evening on the offers page". For a model trained with context features (the ranking fm), each
// context feature's share of the score in the request's context, and how much the request's context
// raised (or lowered) the score against the training-average context.
import { NextbestError } from '../core/errors.js';
import type { SparseRow } from '../matrix/index.js';
import type { TrainedModel } from '../models/trained-model.js';
import { requestContext, type ContextValues } from './request-context.js';

export interface ContextEffect {
  /**
   * The features of the scoring context and what each adds to the score: the request's values (value
   * 1), and the training average's shares for the keys it does not name.
   */
  features: { feature: string; value: number; contribution: number }[];
  /** Everything the context adds to the score. */
  total: number;
  /** The score in this context minus the score in the training-average context. */
  versusAverage: number;
}

/**
 * The context's effect on (customer, product); null for a model without context features. A customer
 * without a trained row can be given its encoded attributes (as recommendations scored it).
 */
export function contextEffect(trained: TrainedModel, customerId: string, productId: string, context?: ContextValues, customerFeatures?: SparseRow): ContextEffect | null {
  const { model } = trained;
  const applied = requestContext(trained, context);
  if (!applied || !model.contextContributions) return null;
  const p = trained.products.index(productId);
  if (p < 0) throw new NextbestError('PRODUCT_NOT_FOUND', `product ${productId} is not in the model; check the id`);
  const u = trained.customers.index(customerId);
  const base = customerFeatures ? { customerFeatures } : {};
  const inContext = model.contextContributions(u, p, { ...base, ...(applied.request ? { context: applied.request } : {}) });
  const average = model.contextContributions(u, p, base);
  if (!inContext || !average) return null;
  const names = trained.features.context?.features ?? [];
  const sum = (x: Float64Array) => x.reduce((s, v) => s + v, 0);
  return {
    features: names.flatMap((feature, j) => (inContext.values[j] !== 0 ? [{ feature, value: inContext.values[j], contribution: inContext.contributions[j] }] : [])),
    total: sum(inContext.contributions),
    versusAverage: sum(inContext.contributions) - sum(average.contributions),
  };
}
