// What the dashboard's Data and Models pages read: the store's data overview (computed in one pass,
// kept until the store's counts change) and the evaluation reports beside the store.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluationRuns } from '../../app/evaluations.js';
import { dataOverview, type DataOverview } from '../../app/explore-data.js';
import { reportsDir } from '../../app/reports.js';
import type { ServerContext } from '../context.js';
import { errorResponses, Figure } from '../schemas.js';

const Counts = z.array(z.number());

const Overview = z.object({
  counts: z.object({ customers: z.number(), products: z.number(), events: z.number(), holdings: z.number() }),
  eventsByType: z.record(z.string(), z.number()),
  overTime: z.object({ bucket: z.enum(['day', 'month']), periods: z.array(z.string()), series: z.record(z.string(), Counts) }).describe('events per day (per month over long spans) by type'),
  funnel: z.array(z.object({ type: z.enum(['display', 'click', 'checkout']), events: z.number(), customers: z.number() })),
  popularity: z.array(
    z.object({ product: z.string(), name: z.string().nullable(), type: z.string(), events: z.number(), customers: z.number(), byType: z.record(z.string(), z.number()) }),
  ),
  coHolding: z
    .object({ source: z.enum(['snapshots', 'events']), products: z.array(z.string()), counts: z.array(Counts) })
    .describe('customers holding both of two of the most held products (the diagonal: holders)'),
  segments: z.object({
    attribute: z.string(),
    rows: z.array(z.object({ value: z.string(), customers: z.number(), customersWithEvents: z.number(), events: z.number(), displays: z.number(), clicks: z.number(), checkouts: z.number() })),
  }),
  clickRate: z
    .object({
      source: z.enum(['context', 'timestamp']),
      times: z.array(z.string()),
      pages: z.array(z.string()),
      displays: z.array(Counts),
      clicks: z.array(Counts),
      rate: z.array(z.array(z.number().nullable())),
    })
    .describe('clicks per display by time of day x page'),
  coldStart: z.object({ customers: z.number(), withEvents: z.number(), cold: z.number(), share: z.number() }),
  holdings: z
    .object({ months: z.array(z.string()), products: z.array(z.string()), held: z.array(Counts), added: z.array(Counts) })
    .nullable()
    .describe('Santander-style monthly holdings: customers holding and adding each product per month; null without holdings'),
});

const Run = z.object({
  report: z.string(),
  evaluatedAt: z.string(),
  task: z.enum(['ranking', 'adds']),
  split: z.string(),
  k: z.number(),
  customers: z.number(),
  baseline: z.string(),
  warning: z.string().nullable(),
  models: z.array(
    z.object({
      name: z.string(),
      params: z.record(z.string(), z.unknown()),
      metrics: z.record(z.string(), Figure),
      intervals: z.record(z.string(), z.object({ low: Figure, high: Figure })),
      vsBaseline: z.object({ metric: z.string(), meanDiff: Figure, t: Figure, p: Figure, low: Figure.optional(), high: Figure.optional() }).nullable(),
      fitSeconds: z.number(),
      scoreSeconds: z.number(),
      curve: z.record(z.string(), Figure).optional().describe('precision, recall, hr and ndcg at K = 1, 3, 5, 10, 20 up to the run\'s K'),
    }),
  ),
});

export const dataRoutes: FastifyPluginAsyncZod<ServerContext> = async (app, ctx) => {
  let cached: { key: string; overview: Promise<DataOverview> } | null = null;

  app.get(
    '/v1/data/overview',
    {
      schema: {
        tags: ['data'],
        summary: 'the store\'s data at a glance: events over time, funnel, popularity, co-holding, segments, click rate by context, cold start, monthly holdings',
        response: { 200: Overview, ...errorResponses },
      },
    },
    async () => {
      const counts = await ctx.store.counts(); // read once: the cache's key, and the overview's on a miss
      const key = JSON.stringify(counts);
      if (cached?.key !== key) {
        const overview = dataOverview(ctx.store, counts, { segmentAttribute: ctx.options.segmentAttribute });
        cached = { key, overview };
        overview.catch(() => (cached = null));
      }
      return cached.overview;
    },
  );

  app.get(
    '/v1/evaluations',
    {
      schema: {
        tags: ['models'],
        summary: 'the evaluation runs (nextbest evaluate, start) in the reports folder beside the store, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
        response: { 200: z.object({ runs: z.array(Run) }), ...errorResponses },
      },
    },
    async (request) => ({ runs: evaluationRuns(reportsDir(ctx.options.store), request.query.limit) }),
  );
};
