// Every route group the server registers, each a fastify plugin given the server's context.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../context.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import { productRoutes } from './products.js';
import { recommendationRoutes } from './recommendations.js';

export const ROUTES: FastifyPluginAsync<ServerContext>[] = [healthRoutes, metricsRoutes, recommendationRoutes, productRoutes];
