// The request context of the recommendation routes: query parameters timeOfDay (or tod), page and
// channel, or a context object in a body, and what the model applied of it in the answer.
import { z } from 'zod';
import type { ContextValues } from '../app/request-context.js';
import { NextbestError } from '../core/errors.js';

const Value = z.string().min(1).max(100);

export const ContextQuery = z.object({
  timeOfDay: Value.optional().describe('time of day the customer is here, e.g. morning, afternoon, evening, night (context key tod)'),
  tod: Value.optional().describe('same as timeOfDay'),
  page: Value.optional().describe('page the list is shown on, e.g. home, offers (context key page)'),
  channel: Value.optional().describe('channel, e.g. app, web (context key channel)'),
});

export const ContextBody = z
  .record(z.string().min(1).max(100), Value)
  .optional()
  .describe('the request context, e.g. {"tod": "evening", "page": "offers"}; keys the model was not trained with are refused');

/** The context keys a query names (timeOfDay is the context key tod). */
export function contextOfQuery(q: z.output<typeof ContextQuery>): ContextValues {
  if (q.timeOfDay !== undefined && q.tod !== undefined && q.timeOfDay !== q.tod)
    throw new NextbestError('BAD_OPTION', `timeOfDay=${q.timeOfDay} and tod=${q.tod} name the same context key; give one of them`);
  const tod = q.timeOfDay ?? q.tod;
  return { ...(tod === undefined ? {} : { tod }), ...(q.page === undefined ? {} : { page: q.page }), ...(q.channel === undefined ? {} : { channel: q.channel }) };
}

export const FromAttributes = z.boolean().optional().describe('set when a customer without history was scored by the model from its attributes and the context');

export const AppliedContextInfo = z
  .object({
    used: z.record(z.string(), z.string()).describe('the context the list was scored in'),
    averaged: z.array(z.string()).describe('context keys scored at the training average (not given, or a value the model never saw)'),
  })
  .optional()
  .describe('models trained with context features: the context they scored with');
