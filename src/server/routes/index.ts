// Every route group the server registers, each a fastify plugin given the server's context.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../context.js';
import { customerRoutes } from './customers.js';
import { dataRoutes } from './data.js';
import { eventRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import { modelRoutes } from './models.js';
import { offerRoutes } from './offers.js';
import { productRoutes } from './products.js';
import { recommendationRoutes } from './recommendations.js';

export const ROUTES: FastifyPluginAsync<ServerContext>[] = [healthRoutes, metricsRoutes, recommendationRoutes, productRoutes, eventRoutes, customerRoutes, offerRoutes, modelRoutes, dataRoutes];
