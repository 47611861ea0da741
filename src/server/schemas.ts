// Zod schemas the routes share; the routes' TypeScript types are inferred from them.
import { z } from 'zod';
import { MODEL_NAME } from '../app/saved-models.js';
import { ERROR_CODES } from '../core/errors.js';
import { RULE_NAMES } from '../rules/types.js';

export const ErrorBody = z.object({ code: z.enum(ERROR_CODES as [string, ...string[]]), message: z.string() }).describe('what is wrong and what to do');

/** The 4xx and 5xx answers every route can give. */
export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 429: ErrorBody, 500: ErrorBody, 503: ErrorBody };

export const Id = z.string().min(1).max(256);

/** A saved model's name in the models folder (no path). */
export const ModelName = z.string().regex(MODEL_NAME, 'letters, digits, dot, dash and underscore (at most 128)');

/** A figure read from an evaluation report (readReports reads any number that is not finite as null). */
export const Figure = z.number().nullable().describe('null where the report has no finite value');

/** How many products a list holds. */
export const K = z.coerce.number().int().min(1).max(1000).default(10);

/** A product type list in a query string: `credit,savings` (or the parameter repeated). */
export const TypeList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .optional();

/** A yes / no query parameter: true, false, 1 or 0. */
export const Flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' })
  .transform((v) => v === 'true' || v === '1')
  .optional();

/** What business rules did to a list (src/rules/): removed products and moved ones, each with the rule. */
export const RuleTrace = z.object({
  removed: z.array(z.object({ product: z.string(), rule: z.enum(RULE_NAMES), detail: z.string() })),
  moved: z.array(z.object({ product: z.string(), rule: z.enum(RULE_NAMES), detail: z.string(), from: z.number().int(), to: z.number().int().nullable() })),
});

export const ScoredProduct = z.object({
  rank: z.number().int(),
  product: z.string(),
  score: z.number(),
});

/** Why a product is on a customer's list (src/app/reasons.ts): `text` for people, the figures behind it. */
export const Reason = z
  .object({
    kind: z.enum(['held-product', 'similar-customers', 'popular', 'feature', 'none']),
    text: z.string(),
    product: z.string().optional().describe('held-product: the product in the customer\'s history'),
    productName: z.string().optional(),
    measure: z.enum(['contribution', 'similarity', 'attention']).optional(),
    weight: z.number().nullable().optional(),
    total: z.number().nullable().optional(),
    customers: z.number().nullable().optional(),
    neighbours: z.number().int().optional(),
    basis: z.enum(['global', 'segment', 'trending']).optional(),
    segment: z.string().nullable().optional(),
    share: z.number().optional(),
    of: z.number().int().optional(),
    group: z.enum(['ids', 'customer', 'context']).optional(),
    attention: z
      .object({ customer: z.record(z.string(), z.number()), product: z.record(z.string(), z.number()) })
      .optional()
      .describe('two-tower: each tower\'s attention weight of each feature field (id, history, attr:..., context:...) for this product'),
    feature: z.string().optional(),
  })
  .describe('why the model put the product on the list');

/** An item of a customer's list. */
export const RecommendedProduct = ScoredProduct.extend({ reason: Reason.optional() });
