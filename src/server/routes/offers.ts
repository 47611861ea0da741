// Reward offers: list (by product, running at a time), create, change, retire (kept, never deleted),
// and a customer's recommended products joined with the offers it is eligible for now, ranked by the
// blend of relevance and expected value (src/app/expected-value.ts). Changing offers needs admin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadAcceptModel } from '../../app/accept-model.js';
import { recommendWithOffers } from '../../app/customer-offers.js';
import { DEFAULT_EV_WEIGHT } from '../../app/expected-value.js';
import { createOffer, listOffers, retireOffer, updateOffer } from '../../app/offers.js';
import { Eligibility } from '../../data/model.js';
import { isActive, type StoredOffer } from '../../store/offers.js';
import type { ServerContext } from '../context.js';
import { contextOfQuery, ContextQuery } from '../context-params.js';
import { errorResponses, Id, K, Reason } from '../schemas.js';

/** A date (YYYY-MM-DD, midnight UTC) or an ISO 8601 time with its offset. */
const Time = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).describe('YYYY-MM-DD or an ISO 8601 time');
const toDate = (s: string | null | undefined): Date | null | undefined => (s === undefined || s === null ? s : new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

const RewardValue = z.number().finite().min(0).describe("the reward's value in the bank's currency");

const OfferIn = z
  .object({
    id: Id,
    product: Id,
    reward: z.string().max(1000).default(''),
    rewardValue: RewardValue.nullable().default(null),
    validFrom: Time.nullable().default(null),
    validTo: Time.nullable().default(null),
    eligibility: Eligibility.strict().default({}),
  })
  .strict();

const OfferChangesIn = z
  .object({
    product: Id,
    reward: z.string().max(1000),
    rewardValue: RewardValue.nullable(),
    validFrom: Time.nullable(),
    validTo: Time.nullable(),
    eligibility: Eligibility.strict(),
  })
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'give at least one field to change');

const OfferOut = z.object({
  id: z.string(),
  product: z.string(),
  reward: z.string(),
  rewardValue: z.number().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  eligibility: Eligibility,
  retiredAt: z.string().nullable(),
  active: z.boolean().describe('running now: inside its window and not retired'),
});

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
const offerOut = (o: StoredOffer, now = new Date()): z.infer<typeof OfferOut> => ({
  id: o.id,
  product: o.productId,
  reward: o.reward,
  rewardValue: o.rewardValue,
  validFrom: iso(o.validFrom),
  validTo: iso(o.validTo),
  eligibility: o.eligibility,
  retiredAt: iso(o.retiredAt),
  active: isActive(o, now),
});

const ItemOffer = z.object({ id: z.string(), reward: z.string(), rewardValue: z.number().nullable() });

const CustomerOffers = z.object({
  customer: z.string(),
  model: z.string(),
  acceptModel: z.string().nullable().describe('the accept / decline model behind pAccept; null: none trained, the recommender\'s order stands'),
  at: z.string().describe('offers running at this time'),
  evWeight: z.number(),
  known: z.boolean(),
  liveEvents: z.boolean(),
  coldStart: z.object({ basis: z.enum(['segment', 'global']), segment: z.string().nullable(), customers: z.number(), inStore: z.boolean() }).nullable(),
  recommendations: z.array(
    z.object({
      rank: z.number().int(),
      product: z.string(),
      score: z.number().describe('the recommender\'s score'),
      offer: ItemOffer.nullable(),
      pAccept: z.number().nullable(),
      expectedValue: z.number().nullable().describe('pAccept x rewardValue'),
      blended: z.number().describe('(1 - evWeight) x min-max normalized score + evWeight x expectedValue / max expectedValue over the candidates'),
      reason: Reason.optional(),
    }),
  ),
});

const OfferParams = z.object({ offer: Id });

export const offerRoutes: FastifyPluginAsyncZod<ServerContext> = async (app, ctx) => {
  const accept = loadAcceptModel(ctx.options.store, ctx.options.acceptModel);
  const evWeight = ctx.options.evWeight ?? DEFAULT_EV_WEIGHT;

  app.get(
    '/v1/offers',
    {
      schema: {
        tags: ['offers'],
        summary: 'the offers, retired ones included; by product, or only those running at a time',
        querystring: z.object({ product: Id.optional(), activeAt: z.union([Time, z.literal('now')]).optional() }),
        response: { 200: z.object({ offers: z.array(OfferOut) }), ...errorResponses },
      },
    },
    async (request) => {
      const { product, activeAt } = request.query;
      const at = activeAt === 'now' ? new Date() : (toDate(activeAt) ?? undefined);
      return { offers: (await listOffers(ctx.store, { product, activeAt: at })).map((o) => offerOut(o)) };
    },
  );

  app.post(
    '/v1/offers',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['offers'],
        summary: 'adds an offer (409 OFFER_CONFLICT when the id exists)',
        body: OfferIn,
        response: { 201: OfferOut, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const offer = await createOffer(ctx.store, {
        id: b.id,
        productId: b.product,
        reward: b.reward,
        rewardValue: b.rewardValue,
        validFrom: toDate(b.validFrom) ?? null,
        validTo: toDate(b.validTo) ?? null,
        eligibility: b.eligibility,
      });
      return reply.code(201).send(offerOut(offer));
    },
  );

  app.patch(
    '/v1/offers/:offer',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['offers'],
        summary: 'changes an offer\'s fields (a retired offer cannot change: 409 OFFER_CONFLICT)',
        params: OfferParams,
        body: OfferChangesIn,
        response: { 200: OfferOut, ...errorResponses },
      },
    },
    async (request) => {
      const { product, validFrom, validTo, ...rest } = request.body;
      const offer = await updateOffer(ctx.store, request.params.offer, { ...rest, productId: product, validFrom: toDate(validFrom), validTo: toDate(validTo) });
      return offerOut(offer);
    },
  );

  app.post(
    '/v1/offers/:offer/retire',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['offers'],
        summary: 'retires an offer now: it stops running and stays listed with its retirement time (again: unchanged)',
        params: OfferParams,
        response: { 200: OfferOut, ...errorResponses },
      },
    },
    async (request) => offerOut(await retireOffer(ctx.store, request.params.offer)),
  );

  app.get(
    '/v1/customers/:customer/offers',
    {
      schema: {
        tags: ['offers', 'recommendations'],
        summary: 'the customer\'s recommended products with the offers it is eligible for, ranked by relevance blended with expected value',
        params: z.object({ customer: Id }),
        querystring: z.object({
          k: K,
          evWeight: z.coerce.number().min(0).max(1).optional().describe('weight of expected value against relevance (default: the server\'s)'),
          at: Time.optional().describe('offers running at this time (default now)'),
          ...ContextQuery.shape,
        }),
        response: { 200: CustomerOffers, ...errorResponses },
      },
    },
    async (request) => {
      const served = ctx.models.require();
      const segmentAttribute = ctx.options.segmentAttribute;
      const coldStart = await ctx.models.coldStart(served, segmentAttribute);
      const q = request.query;
      const list = await recommendWithOffers(served.trained, accept, request.params.customer, ctx.store, {
        k: q.k,
        segmentAttribute,
        coldStart,
        at: toDate(q.at) ?? undefined,
        evWeight: q.evWeight ?? evWeight,
        context: contextOfQuery(q),
        descriptions: await ctx.models.descriptions(served),
        rules: ctx.rules.rules ? { business: ctx.rules, filters: {} } : undefined,
        mayHaveLiveEvents: served.mayHaveLiveEvents,
      });
      return { model: served.name, ...list };
    },
  );
};
