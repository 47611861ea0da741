// Products similar to a product, from the active model.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { similarTo } from '../../app/recommend.js';
import type { ServerContext } from '../context.js';
import { errorResponses, Id, K, ScoredProduct } from '../schemas.js';

export const productRoutes: FastifyPluginAsyncZod<ServerContext> = async (app, ctx) => {
  app.get(
    '/v1/products/:product/similar',
    {
      schema: {
        tags: ['products'],
        summary: 'the products most similar to a product',
        params: z.object({ product: Id }),
        querystring: z.object({ k: K }),
        response: { 200: z.object({ model: z.string(), product: z.string(), similar: z.array(ScoredProduct) }), ...errorResponses },
      },
    },
    async (request) => {
      const served = ctx.models.require();
      return { model: served.name, ...similarTo(served.trained, request.params.product, request.query.k) };
    },
  );
};
