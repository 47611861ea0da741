// offers.csv: a few offers per catalogue product, with rewards typical of the product type,
// validity windows that favour the type's seasonal peak, and eligibility rules that fit the product.
import { CATALOGUE, type CatalogueProduct } from './catalogue.js';
import { PLANTED } from './planted.js';
import { dayOfMonthNumber, isoDate } from './calendar.js';
import { eventsWindow } from './funnel.js';
import { csvLine } from './csv-writer.js';
import { streamRng, STREAMS } from './seeds.js';
import type { Eligibility } from '../model.js';
import type { ProductType, Segment } from './vocab.js';

export const OFFERS_HEADER = 'offer_id,product_id,reward,reward_value,valid_from,valid_to,eligibility\n';

/** Reward text and its value in EUR as the bank books it (points at 0.10 EUR, rate deals at an estimate). */
const REWARDS: Readonly<Record<ProductType, readonly (readonly [string, number])[]>> = {
  account: [['cashback 100 EUR', 100], ['cashback 50 EUR', 50], ['300 points', 30]],
  card: [['cashback 50 EUR', 50], ['0% APR for 12 months', 120], ['200 points', 20]],
  loan: [['0% APR for 6 months', 90], ['0% APR for 12 months', 180], ['no opening fee', 150]],
  mortgage: [['cashback 500 EUR', 500], ['no opening fee', 1000]],
  insurance: [['first month free', 20], ['cashback 30 EUR', 30], ['10% off the first year', 25]],
  investment: [['no custody fee for 12 months', 60], ['500 points', 50], ['cashback 100 EUR', 100]],
  savings: [['+0.5% rate bonus for 6 months', 40], ['cashback 25 EUR', 25]],
};

const eligibilityFor = (p: CatalogueProduct, excludeHolders: boolean): Eligibility => {
  const e: Eligibility = {};
  if (p.type === 'mortgage' || p.type === 'loan') e.minAge = 21;
  if (p.type === 'mortgage') e.maxAge = 65;
  if (p.maxAge !== undefined) e.maxAge = p.maxAge;
  if (p.minIncome > 0) e.minIncome = p.minIncome;
  const boosted = Object.entries(p.segmentBoost ?? {})
    .filter(([, v]) => (v ?? 1) > 1)
    .map(([s]) => s as Segment);
  if (boosted.length) e.segments = boosted;
  if (excludeHolders) e.excludeHolders = true;
  return e;
};

export interface OfferRow {
  readonly offerId: string;
  readonly productId: string;
  readonly reward: string;
  readonly rewardValue: number;
  readonly validFrom: string;
  readonly validTo: string;
  readonly eligibility: Eligibility;
}

export const buildOffers = (seed: number, months: number): OfferRow[] => {
  const rng = streamRng(seed, STREAMS.offers);
  const win = eventsWindow(months);
  const offers: OfferRow[] = [];
  for (const p of CATALOGUE) {
    const rewards = REWARDS[p.type];
    const season = PLANTED.seasonality[p.type];
    const peak = season.indexOf(Math.max(...season));
    const peakMonths = Array.from({ length: months }, (_, k) => win.firstMonth + k).filter((m) => m % 12 === peak);
    const count = 1 + rng.int(2);
    for (let k = 0; k < count; k++) {
      const [reward, rewardValue] = rewards[(k + rng.int(rewards.length)) % rewards.length];
      // Campaigns run in the product's busy season when the window has one, otherwise any time.
      const start = peakMonths.length && rng.bernoulli(0.6) ? rng.pick(peakMonths) : win.firstMonth + rng.int(months);
      const end = Math.min(start + rng.int(3), win.firstMonth + months - 1);
      offers.push({
        offerId: `O${String(offers.length + 1).padStart(3, '0')}`,
        productId: p.id,
        reward,
        rewardValue,
        validFrom: isoDate(dayOfMonthNumber(start)),
        validTo: isoDate(dayOfMonthNumber(end + 1) - 1),
        eligibility: eligibilityFor(p, rng.bernoulli(0.8)),
      });
    }
  }
  return offers;
};

export const offersCsv = (offers: readonly OfferRow[]): string =>
  OFFERS_HEADER +
  offers
    .map((o) => csvLine([o.offerId, o.productId, o.reward, o.rewardValue, o.validFrom, o.validTo, JSON.stringify(o.eligibility)]))
    .join('');
