// The catalogue, one product's facts and holders, and the products similar to a product (from the
// active model).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { productCatalogue, productDetail } from '../../app/product-detail.js';
import { similarTo } from '../../app/recommend.js';
import { AttributeValue } from '../../data/model.js';
import type { ServerContext } from '../context.js';
import { errorResponses, Id, K, ScoredProduct } from '../schemas.js';

export const productRoutes: FastifyPluginAsyncZod<ServerContext> = async (app, ctx) => {
  app.get(
    '/v1/products',
    {
      schema: {
        tags: ['products'],
        summary: 'every product with its name and type, sorted by id',
        response: { 200: z.object({ products: z.array(z.object({ product: z.string(), name: z.string().nullable(), type: z.string() })) }), ...errorResponses },
      },
    },
    async () => ({ products: await productCatalogue(ctx.store) }),
  );

  app.get(
    '/v1/products/:product',
    {
      schema: {
        tags: ['products'],
        summary: 'a product: name, type, attributes, events by type and who holds it now',
        params: z.object({ product: Id }),
        response: {
          200: z.object({
            product: z.string(),
            name: z.string().nullable(),
            type: z.string(),
            attributes: z.record(z.string(), AttributeValue),
            eventsByType: z.record(z.string(), z.number()),
            holders: z
              .object({
                count: z.number(),
                customers: z.array(z.string()).describe('the first 20 holders by id'),
                attribute: z.string(),
                byAttribute: z.array(z.object({ value: z.string(), customers: z.number() })),
              })
              .describe('customers holding it now: the latest monthly snapshot, then acquire / checkout / drop events'),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => productDetail(ctx.store, request.params.product, { attribute: ctx.options.segmentAttribute }),
  );

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
