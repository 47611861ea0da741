// Liveness and readiness: /health answers while the process runs; /ready once a model is active and
// the store answers. Both are open (no API key), for load balancers and orchestrators.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { errorResponses } from '../schemas.js';

export const healthRoutes: FastifyPluginAsyncZod<ServerContext> = async (app, ctx) => {
  app.get('/health', { config: { scope: 'open' }, schema: { tags: ['health'], summary: 'the process is up', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  app.get(
    '/ready',
    {
      config: { scope: 'open' },
      schema: {
        tags: ['health'],
        summary: 'a model is active and the store answers',
        response: { 200: z.object({ status: z.literal('ready'), model: z.string(), customers: z.number(), products: z.number() }), ...errorResponses },
      },
    },
    async () => {
      const served = ctx.models.require();
      await ctx.store.counts();
      return { status: 'ready' as const, model: served.name, customers: served.trained.customers.size, products: served.trained.products.size };
    },
  );
};
