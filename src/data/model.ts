// The canonical data model every loader produces and every later stage reads.
// Validated at the boundary (loaders, API) with zod; inside, the plain types are trusted.
import { z } from 'zod';
import { hasNul, MAX_ID_CHARS, NUL_REASON } from './limits.js';

/** A typed attribute value: numbers stay numbers, categories stay strings, null means missing. */
export const AttributeValue = z.union([z.number().finite(), z.string(), z.null()]);
export type AttributeValue = z.infer<typeof AttributeValue>;
export const Attributes = z.record(z.string(), AttributeValue);
export type Attributes = z.infer<typeof Attributes>;

/** A string without NUL (PostgreSQL's text refuses it, 22021). */
const Text = z.string().refine((s) => !hasNul(s), NUL_REASON);

/** An id: trimmed, not empty, not too long, no NUL. */
const Id = z
  .string()
  .trim()
  .min(1, 'id is empty')
  .max(MAX_ID_CHARS, `id is longer than ${MAX_ID_CHARS} characters`)
  .refine((s) => !hasNul(s), NUL_REASON);

export const Customer = z.object({
  id: Id,
  attributes: Attributes,
});
export type Customer = z.infer<typeof Customer>;

export const Product = z.object({
  id: Id,
  type: z.string().default(''),
  description: z.string().default(''),
  attributes: Attributes,
});
export type Product = z.infer<typeof Product>;

/** Who may receive an offer. Every given condition must hold; absent conditions do not restrict. */
export const Eligibility = z.object({
  minAge: z.number().optional(),
  maxAge: z.number().optional(),
  minIncome: z.number().optional(),
  segments: z.array(z.string()).optional(),
  excludeHolders: z.boolean().optional(),
});
export type Eligibility = z.infer<typeof Eligibility>;

export const Offer = z.object({
  id: Id,
  productId: Id,
  reward: z.string().default(''),
  /** null when the file does not give it. */
  rewardValue: z.number().finite().nullable(),
  validFrom: z.date().nullable(),
  validTo: z.date().nullable(),
  eligibility: Eligibility,
});
export type Offer = z.infer<typeof Offer>;

export const EVENT_TYPES = ['display', 'click', 'checkout', 'acquire', 'drop', 'rating', 'accept', 'decline'] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

/** Context of an event: time of day, page, channel, ... Keys and values are strings. */
export const Context = z.record(Text, Text);
export type Context = z.infer<typeof Context>;

/** The times an event may carry: those of a four-digit year, which every store (and ISO 8601) holds. */
const MIN_EVENT_TIME = new Date('0000-01-01T00:00:00.000Z');
const MAX_EVENT_TIME = new Date('9999-12-31T23:59:59.999Z');
const EVENT_TIME_RANGE = 'timestamp is outside the years 0000 to 9999';

export const Event = z.object({
  customerId: Id,
  productId: Id,
  timestamp: z.date().min(MIN_EVENT_TIME, EVENT_TIME_RANGE).max(MAX_EVENT_TIME, EVENT_TIME_RANGE),
  type: EventType,
  value: z.number().finite(),
  context: Context,
  /** The sender's id of a real-time event: the live log stores an id once and ignores it after (loaded events have none). */
  eventId: Id.optional(),
});
export type Event = z.infer<typeof Event>;

/** A product a customer holds in a given month (Santander-style snapshots). */
export const Holding = z.object({
  customerId: Id,
  productId: Id,
  month: z.date(),
});
export type Holding = z.infer<typeof Holding>;

/** One line of a zod failure, for a rejects file. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
