// Real-time events: one, or a batch validated all or nothing, each acknowledged only once it is durable in
// the store's live log, idempotent by its eventId (a resent id is a duplicate, stored once). The
// customer's very next recommendation ranks from it (src/app/live-history.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordEvents } from '../../app/events.js';
import { EVENT_TYPES } from '../../data/model.js';
import type { ServerContext } from '../context.js';
import { errorResponses, Id } from '../schemas.js';

/** Most events in one batch request. */
export const MAX_BATCH_EVENTS = 1000;

const IncomingEvent = z.strictObject({
  eventId: Id.describe('the sender\'s unique id of the event: an id the store holds is acknowledged as a duplicate and not stored again'),
  customer: Id,
  product: Id,
  type: z.enum(EVENT_TYPES),
  timestamp: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional()
    .describe('when it happened (ISO 8601); default the time the server receives it. Live events count for recommendations by arrival, whatever their timestamp'),
  value: z.number().finite().default(1).describe('strength (a rating, an amount); default 1'),
  context: z.record(z.string().max(256), z.string().max(256)).default({}).describe('time of day, page, channel, ...'),
});

const Acknowledged = z.object({
  accepted: z.number().int().describe('events stored by this request'),
  duplicates: z.array(z.string()).describe('event ids the store already held: acknowledged, not stored again'),
});

export const eventRoutes: FastifyPluginAsyncZod<ServerContext> = async (app, ctx) => {
  app.post(
    '/v1/events',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['events'],
        summary: 'record one event; answers once it is durable',
        body: IncomingEvent,
        response: { 200: Acknowledged, ...errorResponses },
      },
    },
    async (request) => recordEvents(ctx.events, [request.body]),
  );

  app.post(
    '/v1/events/batch',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['events'],
        summary: `record up to ${MAX_BATCH_EVENTS} events, all or none; answers once they are durable`,
        body: z.strictObject({ events: z.array(IncomingEvent).min(1).max(MAX_BATCH_EVENTS) }),
        response: { 200: Acknowledged, ...errorResponses },
      },
    },
    async (request) => recordEvents(ctx.events, request.body.events),
  );
};
