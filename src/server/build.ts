// The HTTP server: `build(opts)` opens the store, activates the model and returns the fastify instance
// with every route registered (tests call `app.inject()` on it); `listen()` is separate. Each route has
// zod schemas for its input and output; /openapi.json is the OpenAPI 3 document made from them and
// /docs the page that tries it; `/` is the web dashboard and `/demo` the demo site (dashboard.ts). API
// keys and rate limits guard every other route (guard.ts), and every answer is counted for /metrics.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { BusinessRules } from '../app/business-rules.js';
import { readPipeline } from '../app/pipeline-file.js';
import type { StoreAccess } from '../app/store-access.js';
import { NextbestError } from '../core/errors.js';
import { loadRules, parseRules } from '../rules/load.js';
import { openStore } from '../store/index.js';
import { ActiveModel } from './active-model.js';
import type { ServerContext, ServerOptions } from './context.js';
import { installDashboard } from './dashboard.js';
import { installErrorHandlers } from './errors.js';
import { installGuard, SECURITY_SCHEME } from './guard.js';
import { LiveCustomers } from './live-customers.js';
import { HttpMetrics, installMetrics } from './metrics.js';
import { ROUTES } from './routes/index.js';
import { DEFAULT_MODEL_POLL_MS, SharedModel } from './shared-model.js';
import { TrainingJobs } from './training-jobs.js';

export type App = FastifyInstance;

const VERSION = '0.1.0';

export async function build(opts: ServerOptions): Promise<App> {
  // A bad rules file fails the start before the store is taken.
  let rules = opts.rules === undefined ? null : await loadRules(opts.rules);
  const store = await openStore(opts.store, { mode: 'write', create: false, command: 'nextbest serve' });
  const access: StoreAccess = { name: opts.store, exists: () => true, use: (work) => work(store) };
  const live = new LiveCustomers();
  const models = new ActiveModel(access, live);
  let pipeline: ServerContext['pipeline'] = null;
  // A shared store's servers follow the model it records as active (not when serving a pipeline, which holds its model).
  const follower = store.shared && !opts.pipeline ? new SharedModel(store, models, (m) => app.log.warn(m)) : null;
  try {
    if (opts.pipeline && opts.model) throw new NextbestError('BAD_OPTION', 'give --model or --pipeline, not both: a pipeline holds its model');
    if (opts.pipeline) {
      const path = opts.pipeline;
      const { header, trained } = readPipeline(path);
      pipeline = { ...header, path };
      // The pipeline's rules serve unless --rules names others.
      if (!rules && header.rules !== null) rules = parseRules(JSON.stringify(header.rules), `${path} (its rules, from ${header.rulesFile ?? 'the export'})`);
      await models.swapIn(() => ({ name: header.model.name, path, trained }));
    } else if (follower && opts.model === undefined) {
      // A replica of a shared store serves the model the store records as active, else the newest saved.
      await models.activate((await follower.recorded()) ?? undefined);
    } else {
      await follower?.recorded();
      await models.activate(opts.model);
    }
  } catch (e) {
    await store.close();
    throw e;
  }
  const jobs = new TrainingJobs(access, models, (e) => app.log.error(e));
  const ctx: ServerContext = {
    options: { segmentAttribute: 'segment', ...opts },
    store,
    access,
    events: live.track(store.liveLog()),
    models,
    jobs,
    pipeline,
    rules: new BusinessRules(rules, store),
    metrics: new HttpMetrics(),
  };

  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: opts.bodyLimit ?? 1024 * 1024, routerOptions: { maxParamLength: 1024 } }).withTypeProvider<ZodTypeProvider>();
  app.decorate('nextbest', ctx);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  installGuard(app, { keys: opts.keys ?? [], rateLimit: opts.rateLimit });
  installMetrics(app, ctx.metrics);
  await app.register(swagger, {
    openapi: {
      info: { title: 'nextbest', description: 'Next best product and offer recommendations for a bank\'s customers.', version: VERSION },
      components: { securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', description: 'an API key from nextbest keys create (when the server has keys)' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  for (const route of ROUTES) await app.register(route, ctx);
  installDashboard(app);
  app.addHook('onClose', async () => {
    await follower?.close();
    await jobs.close();
    await ctx.events.close();
    await store.close();
  });
  await app.ready();
  follower?.start(opts.modelPollMs ?? DEFAULT_MODEL_POLL_MS);
  return app;
}
