// Reward offers as the store keeps them: the ingested Offer plus when it was retired. An offer is never
// deleted: retiring it records the time, and it stops being active from then on. The rules every
// backend applies before writing one: a window that does not end before it starts, a reward value that
// is a finite number >= 0 (the product must exist too; the backend checks that).
import { NextbestError } from '../core/errors.js';
import { Eligibility, type Offer } from '../data/model.js';

export interface StoredOffer extends Offer {
  /** When the offer was retired (it is not active from then on); null while it runs. */
  retiredAt: Date | null;
}

/** What an update may change: every field but the id. */
export type OfferChanges = Partial<Omit<Offer, 'id'>>;

export interface OfferFilter {
  /** Only this offer. */
  offerId?: string;
  /** Only offers of this product. */
  productId?: string;
}

/** Refuses an offer whose window ends before it starts or whose reward value is negative or not finite. */
export function checkOffer(o: Offer): void {
  if (o.validFrom && o.validTo && o.validFrom.getTime() > o.validTo.getTime())
    throw new NextbestError(
      'BAD_OPTION',
      `offer ${o.id}: valid_from ${o.validFrom.toISOString()} is after valid_to ${o.validTo.toISOString()}; give a window that ends after it starts`,
    );
  if (o.rewardValue !== null && !(Number.isFinite(o.rewardValue) && o.rewardValue >= 0))
    throw new NextbestError('BAD_OPTION', `offer ${o.id}: reward_value ${o.rewardValue} is not a finite number >= 0; give the reward's value in the bank's currency`);
}

/** Whether an offer runs at a time: inside its window (open ends do not restrict) and not retired by then. */
export function isActive(o: StoredOffer, at: Date): boolean {
  const t = at.getTime();
  return (
    (o.validFrom === null || o.validFrom.getTime() <= t) &&
    (o.validTo === null || t <= o.validTo.getTime()) &&
    (o.retiredAt === null || t < o.retiredAt.getTime())
  );
}

/**
 * A stored offer from a backend's row of its columns in this order: offer_id, product_id, reward,
 * reward_value, valid_from, valid_to, eligibility (JSON text), retired_at (times in epoch milliseconds).
 */
export function storedOfferOfRow([id, productId, reward, rewardValue, validFrom, validTo, eligibility, retiredAt]: readonly unknown[]): StoredOffer {
  return {
    id: String(id),
    productId: String(productId),
    reward: reward === null ? '' : String(reward),
    rewardValue: rewardValue === null ? null : Number(rewardValue),
    validFrom: epochDate(validFrom),
    validTo: epochDate(validTo),
    eligibility: eligibilityOf(eligibility),
    retiredAt: epochDate(retiredAt),
  };
}

const epochDate = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Math.round(Number(v))));

function eligibilityOf(json: unknown): Eligibility {
  if (typeof json !== 'string') return {};
  const parsed = Eligibility.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : {};
}
