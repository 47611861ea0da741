// The saved models: list them (with their newest evaluation figures), activate one (loaded and checked
// before it replaces the current one, so no request in flight fails and a corrupt file changes nothing),
// and train one in the background with progress to poll, optionally activating it when done.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { projectFactors } from '../../app/projection.js';
import { savedModelPath, savedModels } from '../../app/saved-models.js';
import { MODEL_NAMES, resolveParams } from '../../models/registry.js';
import type { ServerContext } from '../context.js';
import { errorResponses, Figure, ModelName } from '../schemas.js';

const Evaluation = z
  .object({
    report: z.string().describe('the JSON report in the reports folder beside the store'),
    evaluatedAt: z.string(),
    split: z.string(),
    k: z.number(),
    customers: z.number(),
    metrics: z.record(z.string(), Figure),
    intervals: z.record(z.string(), z.object({ low: Figure, high: Figure })),
    vsBaseline: z.object({ metric: z.string(), meanDiff: Figure, t: Figure, p: Figure }).nullable(),
  })
  .nullable()
  .describe('the newest evaluation (nextbest evaluate or start) of this model with these very parameters, fitted on that report\'s split; null when none');

const SavedModel = z.object({
  name: z.string(),
  active: z.boolean(),
  model: z.string().nullable().describe('null when the file\'s header does not read'),
  task: z.enum(['ranking', 'rating', 'classification']).nullable().describe('only ranking models can be activated'),
  params: z.record(z.string(), z.unknown()),
  trainedAt: z.string(),
  trainedAtFrom: z.enum(['model', 'file']).describe('recorded by nextbest train, or the file\'s modification time'),
  events: z.number().nullable(),
  split: z.string().nullable(),
  fitSeconds: z.number().nullable(),
  bytes: z.number(),
  evaluation: Evaluation,
});


const Job = z.object({
  id: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  phase: z.enum(['queued', 'loading', 'fitting', 'saving', 'activating', 'done', 'failed']),
  progress: z.number().min(0).max(1),
  request: z.object({ model: z.string(), params: z.record(z.string(), z.string()), name: z.string(), activate: z.boolean() }),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  result: z
    .object({ model: z.string(), out: z.string(), customers: z.number(), products: z.number(), events: z.number(), fitSeconds: z.number() })
    .nullable(),
  activated: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

const admin = { scope: 'admin' } as const;

export const modelRoutes: FastifyPluginAsyncZod<ServerContext> = async (app, ctx) => {
  app.get(
    '/v1/models',
    {
      schema: {
        tags: ['models'],
        summary: 'the saved models, which one is active, and their evaluation figures',
        response: {
          200: z.object({
            active: z.string().nullable(),
            activeFile: z.string().nullable().describe('the file the active model was loaded from (a .nbm in the models folder, or a pipeline)'),
            models: z.array(SavedModel),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const active = ctx.models.current;
      return {
        active: active?.name ?? null,
        activeFile: active?.path ?? null,
        models: savedModels(ctx.access.name).map(({ path, ...m }) => ({ ...m, active: active?.path === path })),
      };
    },
  );

  app.post(
    '/v1/models/:name/activate',
    {
      config: admin,
      schema: {
        tags: ['models'],
        summary: 'serve another saved model: loaded and checked first; requests in flight finish on the previous one',
        params: z.object({ name: ModelName }),
        response: {
          200: z.object({ model: z.string(), previous: z.string().nullable(), activatedAt: z.string(), customers: z.number(), products: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const path = savedModelPath(ctx.access.name, request.params.name);
      const previous = ctx.models.current?.name ?? null;
      const served = await ctx.models.activate(path);
      // Every replica of a shared store follows the record (shared-model.ts).
      await ctx.store.setActiveModel(served.name);
      return {
        model: served.name,
        previous,
        activatedAt: served.activatedAt.toISOString(),
        customers: served.trained.customers.size,
        products: served.trained.products.size,
      };
    },
  );

  app.post(
    '/v1/models/train',
    {
      config: admin,
      schema: {
        tags: ['models'],
        summary: 'train a model in the background on the store\'s events; poll GET /v1/models/jobs/{id}',
        body: z.object({
          model: z.enum(MODEL_NAMES as [string, ...string[]]),
          params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
          name: ModelName.optional().describe('the saved model\'s name (default: the model\'s)'),
          activate: z.boolean().default(false).describe('serve it once it is trained'),
        }),
        response: { 202: Job, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { model, params, name, activate } = request.body;
      resolveParams(model, params); // a bad parameter is the caller's 400 now, not a failed job later
      const job = ctx.jobs.submit({ model, params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), name: name ?? model, activate });
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/v1/models/:name/projection',
    {
      schema: {
        tags: ['models'],
        summary: 'a factor model\'s learned customer or product factors in 2-D (principal components), coloured by k-means cluster, against an attribute',
        params: z.object({ name: ModelName }),
        querystring: z.object({
          entity: z.enum(['customers', 'products']).default('customers'),
          clusters: z.coerce.number().int().min(1).max(50).default(6),
          attribute: z.string().min(1).max(100).optional().describe('a customer attribute (default the segment) or a product attribute (default type) to compare the clusters with'),
          limit: z.coerce.number().int().min(10).max(20_000).default(2000).describe('most points, spread evenly over the ids'),
        }),
        response: {
          200: z.object({
            model: z.string(),
            entity: z.enum(['customers', 'products']),
            factors: z.number().int(),
            total: z.number().int().describe('rows with learned factors; points holds at most limit of them'),
            clusters: z.number().int(),
            explained: z.array(z.number()).describe('share of the factors\' variance along each axis'),
            attribute: z.string().nullable(),
            adjustedRand: z.number().nullable().describe('adjusted Rand index of the clusters against the attribute (1 the same grouping, about 0 unrelated)'),
            points: z.array(z.object({ id: z.string(), x: z.number(), y: z.number(), cluster: z.number().int(), value: z.string().nullable() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { entity, clusters, limit } = request.query;
      const served = await ctx.models.forRequest(request.params.name);
      const attribute = request.query.attribute ?? (entity === 'customers' ? ctx.options.segmentAttribute : 'type');
      return { model: served.name, ...(await projectFactors(served.trained, ctx.store, { entity, clusters, attribute, limit })) };
    },
  );

  app.get(
    '/v1/models/jobs/:id',
    {
      schema: {
        tags: ['models'],
        summary: 'a training job\'s state, progress and result or error',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: Job, ...errorResponses },
      },
    },
    async (request) => ctx.jobs.get(request.params.id),
  );
};
