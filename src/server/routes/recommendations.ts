// A customer's recommendations from the history known now (training plus live events; cold start for a
// customer without one), and the caller's own list of products ranked for a customer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rankProducts, recommendCustomers } from '../../app/recommend.js';
import { DEFAULT_EXPLORE_AGE_DAYS } from '../../models/exploration.js';
import type { ServerContext } from '../context.js';
import { AppliedContextInfo, ContextBody, contextOfQuery, ContextQuery, FromAttributes } from '../context-params.js';
import { errorResponses, Flag, Id, K, ModelName, RecommendedProduct, RuleTrace, ScoredProduct, TypeList } from '../schemas.js';

const ColdStartInfo = z
  .object({ basis: z.enum(['segment', 'global']), segment: z.string().nullable(), customers: z.number(), inStore: z.boolean() })
  .nullable()
  .describe('set when the customer has no history: the list is what is popular in its segment (or overall)');

const Recommendations = z.object({
  customer: z.string(),
  model: z.string(),
  known: z.boolean().describe('the list comes from the customer\'s own events'),
  liveEvents: z.boolean().describe('events since training reached the list'),
  coldStart: ColdStartInfo,
  fromAttributes: FromAttributes,
  context: AppliedContextInfo,
  recommendations: z.array(RecommendedProduct),
  debug: RuleTrace.optional().describe('with debug=true: every product a business rule or filter removed or moved, and which rule'),
});

const Ranked = z.object({
  customer: z.string(),
  model: z.string(),
  known: z.boolean(),
  coldStart: z.boolean(),
  fromAttributes: FromAttributes,
  context: AppliedContextInfo,
  ranked: z.array(ScoredProduct),
  unknown: z.array(z.string()).describe('products the model does not know, left out'),
});

export const recommendationRoutes: FastifyPluginAsyncZod<ServerContext> = async (app, ctx) => {
  app.get(
    '/v1/customers/:customer/recommendations',
    {
      schema: {
        tags: ['recommendations'],
        summary: 'the customer\'s next best products',
        params: z.object({ customer: Id }),
        querystring: z.object({
          k: K,
          model: ModelName.optional().describe('a saved model to score with instead of the active one (loaded on first use)'),
          ...ContextQuery.shape,
          include: TypeList.describe('only these product types (comma-separated or repeated)'),
          exclude: TypeList.describe('never these product types'),
          debug: Flag.describe('list what each business rule removed or moved'),
          explore: z.coerce.number().min(0).max(1).optional().describe('share of the list for products younger than the server\'s --explore-age-days (cold products); default the server\'s --explore'),
        }),
        response: { 200: Recommendations, ...errorResponses },
      },
    },
    async (request) => {
      const served = await ctx.models.forRequest(request.query.model);
      const segmentAttribute = ctx.options.segmentAttribute;
      const coldStart = await ctx.models.coldStart(served, segmentAttribute);
      const { k, include, exclude, debug } = request.query;
      const filters = { include, exclude };
      let rules;
      if (ctx.rules.rules || include?.length || exclude?.length || debug) {
        (await ctx.rules.productFacts()).checkFilters(filters);
        rules = { business: ctx.rules, filters };
      }
      const descriptions = await ctx.models.descriptions(served);
      const context = contextOfQuery(request.query);
      const ageDays = ctx.options.explore?.ageDays ?? DEFAULT_EXPLORE_AGE_DAYS;
      const explore = { weight: request.query.explore ?? ctx.options.explore?.weight ?? 0, ageDays };
      const [list] = await recommendCustomers(served.trained, [request.params.customer], ctx.store, { k, segmentAttribute, coldStart, descriptions, context, rules, explore, mayHaveLiveEvents: served.mayHaveLiveEvents });
      return { model: served.name, ...list, debug: debug ? list.debug : undefined };
    },
  );

  app.post(
    '/v1/customers/:customer/rank',
    {
      schema: {
        tags: ['recommendations'],
        summary: 'the caller\'s products in the order the model ranks them for the customer',
        params: z.object({ customer: Id }),
        body: z.object({ products: z.array(Id).min(1).max(10_000), context: ContextBody }),
        response: { 200: Ranked, ...errorResponses },
      },
    },
    async (request) => {
      const served = ctx.models.require();
      const segmentAttribute = ctx.options.segmentAttribute;
      const coldStart = await ctx.models.coldStart(served, segmentAttribute);
      const ranked = await rankProducts(served.trained, request.params.customer, request.body.products, ctx.store, { segmentAttribute, coldStart, context: request.body.context, mayHaveLiveEvents: served.mayHaveLiveEvents });
      return { model: served.name, ...ranked };
    },
  );
};
