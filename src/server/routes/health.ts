// Liveness and readiness: /health answers while the process runs; /ready once a model is active and
// the store answers (503 STORE_UNAVAILABLE while it does not: a PostgreSQL store that is down; ready
// again by itself once it is back). Both are open (no API key), for load balancers and orchestrators.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NextbestError } from '../../core/errors.js';
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
      if (!(await ctx.store.reachable())) {
        throw new NextbestError('STORE_UNAVAILABLE', `the store ${ctx.store.location} does not answer; this server is not ready until it does`);
      }
      return { status: 'ready' as const, model: served.name, customers: served.trained.customers.size, products: served.trained.products.size };
    },
  );
};
