// The business-rules file (`--rules FILE`): what a bank never offers (held products, ineligible
// customers, over-displayed products), and how it shapes a list (boosts, pins, at most M of a type).
// Every field's error says what it must be, so a bad file fails with one line naming the field.
import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../data/model.js';

const text = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });
const list = z.array(text, { error: 'must be a list of strings' });
const positive = z.number({ error: 'must be a positive number' }).positive({ error: 'must be a positive number' });
const positiveInt = z.number({ error: 'must be a whole number of 1 or more' }).int({ error: 'must be a whole number of 1 or more' }).min(1, { error: 'must be a whole number of 1 or more' });
const finite = z.number({ error: 'must be a number' });
const eventTypes = z.array(z.enum(EVENT_TYPES, { error: `must list event types (${EVENT_TYPES.join(', ')})` }), { error: 'must be a list of event types' });

/** Which products a rule applies to: those listed by id or by type; neither given means every product. */
const selector = { products: list.optional(), types: list.optional() };
export interface Selector {
  products?: string[];
  types?: string[];
}

const Holds = z.strictObject(
  {
    /** Event types that mean the customer holds the product from then on (default acquire and checkout, a completed purchase). */
    events: eventTypes.optional(),
    /** Event types that mean the customer no longer holds it (default drop). */
    endedBy: eventTypes.optional(),
    /** Products a customer may hold several of (offered again even when held). */
    allowSeveral: z.strictObject(selector, { error: 'must be an object with products and/or types' }).optional(),
  },
  { error: 'must be an object' },
);

const Eligibility = z.strictObject(
  {
    /** Shown in the debug trace (default eligibility[i]). */
    name: text.optional(),
    ...selector,
    minAge: finite.optional(),
    maxAge: finite.optional(),
    minIncome: finite.optional(),
    /** Only customers of these segments. */
    segments: list.optional(),
    /** Never customers of these segments. */
    denySegments: list.optional(),
  },
  { error: 'must be an object' },
);

const Cap = z.strictObject(
  {
    ...selector,
    /** Shown this many times within `days`, a product is not shown again until the oldest display ages out. */
    displays: positiveInt,
    days: positive,
  },
  { error: 'must be an object' },
);

const Boost = z
  .strictObject(
    {
      ...selector,
      /** Score x multiply + add (multiply first). */
      multiply: z.number({ error: 'must be a number' }).nonnegative({ error: 'must be a number of 0 or more' }).optional(),
      add: finite.optional(),
    },
    { error: 'must be an object' },
  )
  .refine((b) => b.multiply !== undefined || b.add !== undefined, { error: 'needs multiply or add' })
  .refine((b) => b.products !== undefined || b.types !== undefined, { error: 'needs products or types' });

const Pin = z.strictObject({ product: text, position: positiveInt }, { error: 'must be an object with product and position' });

const TypeCap = z.strictObject(
  {
    /** At most this many products of any one type. */
    default: positiveInt.optional(),
    /** Per-type limits that override the default. */
    byType: z.record(z.string(), positiveInt, { error: 'must be an object of type: limit' }).optional(),
  },
  { error: 'must be an object' },
);

const CustomerAttributes = z.strictObject(
  { age: text.optional(), income: text.optional(), segment: text.optional() },
  { error: 'must be an object naming the age, income and segment attributes' },
);

export const RulesFile = z
  .strictObject(
    {
      /** The customer attributes the eligibility rules read (default age, income, segment). */
      customerAttributes: CustomerAttributes.optional(),
      /** The product attribute that holds a product's minimum income (default min_income); products without it have none. */
      productMinIncome: text.optional(),
      holds: Holds.optional(),
      eligibility: z.array(Eligibility, { error: 'must be a list' }).optional(),
      caps: z.array(Cap, { error: 'must be a list' }).optional(),
      boosts: z.array(Boost, { error: 'must be a list' }).optional(),
      pins: z.array(Pin, { error: 'must be a list' }).optional(),
      maxPerType: TypeCap.optional(),
    },
    { error: 'must be a JSON object' },
  )
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    (r.pins ?? []).forEach((p, i) => {
      if (seen.has(p.product)) ctx.addIssue({ code: 'custom', path: ['pins', i, 'product'], message: `pins ${p.product} a second time` });
      seen.add(p.product);
    });
  });

export type RulesFile = z.infer<typeof RulesFile>;
export type EligibilityRule = NonNullable<RulesFile['eligibility']>[number];
export type CapRule = NonNullable<RulesFile['caps']>[number];
export type BoostRule = NonNullable<RulesFile['boosts']>[number];
export type PinRule = NonNullable<RulesFile['pins']>[number];

/** A rules file with its defaults filled in. */
export interface Rules extends Omit<RulesFile, 'customerAttributes' | 'productMinIncome' | 'holds'> {
  customerAttributes: { age: string; income: string; segment: string };
  productMinIncome: string;
  holds: { events: EventType[]; endedBy: EventType[]; allowSeveral: Selector };
}

export const withDefaults = (r: RulesFile): Rules => ({
  ...r,
  customerAttributes: { age: 'age', income: 'income', segment: 'segment', ...r.customerAttributes },
  productMinIncome: r.productMinIncome ?? 'min_income',
  holds: { events: r.holds?.events ?? ['acquire', 'checkout'], endedBy: r.holds?.endedBy ?? ['drop'], allowSeveral: r.holds?.allowSeveral ?? {} },
});
