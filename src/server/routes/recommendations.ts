// A customer's recommendations from the history known now (training plus live events; cold start for a
// customer without one), and the caller's own list of products ranked for a customer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rankProducts, recommendCustomers } from '../../app/recommend.js';
import type { ServerContext } from '../context.js';
import { errorResponses, Id, K, ScoredProduct } from '../schemas.js';

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
  recommendations: z.array(ScoredProduct),
});

const Ranked = z.object({
  customer: z.string(),
  model: z.string(),
  known: z.boolean(),
  coldStart: z.boolean(),
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
        querystring: z.object({ k: K }),
        response: { 200: Recommendations, ...errorResponses },
      },
    },
    async (request) => {
      const served = ctx.models.require();
      const segmentAttribute = ctx.options.segmentAttribute;
      const coldStart = await ctx.models.coldStart(served, segmentAttribute);
      const [list] = await recommendCustomers(served.trained, [request.params.customer], ctx.store, { k: request.query.k, segmentAttribute, coldStart, mayHaveLiveEvents: served.mayHaveLiveEvents });
      return { model: served.name, ...list };
    },
  );

  app.post(
    '/v1/customers/:customer/rank',
    {
      schema: {
        tags: ['recommendations'],
        summary: 'the caller\'s products in the order the model ranks them for the customer',
        params: z.object({ customer: Id }),
        body: z.object({ products: z.array(Id).min(1).max(10_000) }),
        response: { 200: Ranked, ...errorResponses },
      },
    },
    async (request) => {
      const served = ctx.models.require();
      const segmentAttribute = ctx.options.segmentAttribute;
      const coldStart = await ctx.models.coldStart(served, segmentAttribute);
      const ranked = await rankProducts(served.trained, request.params.customer, request.body.products, ctx.store, { segmentAttribute, coldStart, mayHaveLiveEvents: served.mayHaveLiveEvents });
      return { model: served.name, ...ranked };
    },
  );
};
