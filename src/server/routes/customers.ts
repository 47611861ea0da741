// A customer's profile: attributes, current holdings and latest events, as the store knows them now;
// and customers found by part of their id (the dashboard's search).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { searchCustomers } from '../../app/customer-search.js';
import { customerProfile } from '../../app/profile.js';
import { AttributeValue, EVENT_TYPES } from '../../data/model.js';
import type { ServerContext } from '../context.js';
import { errorResponses, Id } from '../schemas.js';

const Time = z.iso.datetime();
const iso = (d: Date | null): string | null => d && d.toISOString();

const Profile = z.object({
  customer: z.string(),
  attributes: z.record(z.string(), AttributeValue),
  snapshotMonth: Time.nullable().describe('the store\'s latest month of product-holding snapshots, if it has any'),
  holdings: z
    .array(z.object({ product: z.string(), since: Time.nullable().describe('the acquiring event\'s time; null when held in the snapshot month') }))
    .describe('products held now: the latest snapshot month, then acquire / checkout / drop events after it'),
  recentEvents: z
    .array(
      z.object({
        eventId: z.string().nullable(),
        product: z.string(),
        type: z.enum(EVENT_TYPES),
        timestamp: Time,
        received: Time.nullable().describe('when the live log stored it; null for a loaded event'),
        value: z.number(),
        context: z.record(z.string(), z.string()),
      }),
    )
    .describe('newest first'),
});

export const customerRoutes: FastifyPluginAsyncZod<ServerContext> = async (app, ctx) => {
  app.get(
    '/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'customers whose id contains a text, sorted by id, with their segment',
        querystring: z.object({
          q: z.string().max(256).default('').describe('part of the customer id (empty: any)'),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: {
          200: z.object({ attribute: z.string(), customers: z.array(z.object({ customer: z.string(), value: AttributeValue.describe('the segment attribute\'s value') })) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const attribute = ctx.options.segmentAttribute;
      return { attribute, customers: await searchCustomers(ctx.store, request.query.q, { limit: request.query.limit, attribute }) };
    },
  );

  app.get(
    '/v1/customers/:customer',
    {
      schema: {
        tags: ['customers'],
        summary: 'the customer\'s attributes, current holdings and latest events',
        params: z.object({ customer: Id }),
        querystring: z.object({ events: z.coerce.number().int().min(0).max(1000).default(20).describe('how many of the latest events') }),
        response: { 200: Profile, ...errorResponses },
      },
    },
    async (request) => {
      const p = await customerProfile(ctx.store, request.params.customer, request.query.events);
      return {
        customer: p.customer,
        attributes: p.attributes,
        snapshotMonth: iso(p.snapshotMonth),
        holdings: p.holdings.map((h) => ({ product: h.product, since: iso(h.since) })),
        recentEvents: p.recentEvents.map((e) => ({
          eventId: e.eventId,
          product: e.productId,
          type: e.type,
          timestamp: e.timestamp.toISOString(),
          received: iso(e.received),
          value: e.value,
          context: e.context,
        })),
      };
    },
  );
};
