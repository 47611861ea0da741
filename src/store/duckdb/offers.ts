// Offers in the DuckDB store: read with their retirement time, created and changed one at a time with
// the store's offer rules (src/store/offers.ts), retired by recording the time (never deleted).
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { NextbestError } from '../../core/errors.js';
import type { Offer } from '../../data/model.js';
import { checkOffer, storedOfferOfRow, type OfferChanges, type OfferFilter, type StoredOffer } from '../offers.js';

const COLUMNS = `offer_id, product_id, reward, reward_value, epoch_ms(valid_from), epoch_ms(valid_to), eligibility, epoch_ms(retired_at)`;

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());
const timestamp = (param: string): string => `epoch_ms(CAST($${param} AS BIGINT))`;

export async function readOffers(conn: DuckDBConnection, filter: OfferFilter = {}): Promise<StoredOffer[]> {
  const where: string[] = [];
  const params: Record<string, DuckDBValue> = {};
  if (filter.offerId !== undefined) (where.push('offer_id = $offer'), (params.offer = filter.offerId));
  if (filter.productId !== undefined) (where.push('product_id = $product'), (params.product = filter.productId));
  const r = await conn.runAndReadAll(`SELECT ${COLUMNS} FROM offers ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY offer_id`, params);
  return r.getRows().map(storedOfferOfRow);
}

async function one(conn: DuckDBConnection, offerId: string): Promise<StoredOffer> {
  const [o] = await readOffers(conn, { offerId });
  if (!o) throw new NextbestError('OFFER_NOT_FOUND', `offer ${offerId} is not in the store; list the offers or check the id`);
  return o;
}

async function requireProduct(conn: DuckDBConnection, productId: string): Promise<void> {
  const r = await conn.runAndReadAll(`SELECT 1 FROM products WHERE product_id = $id`, { id: productId });
  if (r.getRows().length === 0) throw new NextbestError('PRODUCT_NOT_FOUND', `product ${productId} is not in the store; load it (products.csv) or check the id`);
}

const values = (o: Offer): Record<string, DuckDBValue> => ({
  id: o.id,
  product: o.productId,
  reward: o.reward,
  value: o.rewardValue,
  from: ms(o.validFrom),
  to: ms(o.validTo),
  eligibility: JSON.stringify(o.eligibility),
});

export async function createOffer(conn: DuckDBConnection, offer: Offer): Promise<StoredOffer> {
  checkOffer(offer);
  await requireProduct(conn, offer.productId);
  // One statement checks and inserts, so two requests creating the same id cannot both succeed.
  const r = await conn.run(
    `INSERT INTO offers (offer_id, product_id, reward, reward_value, valid_from, valid_to, eligibility)
       SELECT $id, $product, $reward, $value, ${timestamp('from')}, ${timestamp('to')}, $eligibility
       WHERE NOT EXISTS (SELECT 1 FROM offers WHERE offer_id = $id)`,
    values(offer),
  );
  if (Number(r.rowsChanged) === 0) throw new NextbestError('OFFER_CONFLICT', `offer ${offer.id} exists already; change it (PATCH) or choose another id`);
  return one(conn, offer.id);
}

export async function updateOffer(conn: DuckDBConnection, offerId: string, changes: OfferChanges): Promise<StoredOffer> {
  const current = await one(conn, offerId);
  if (current.retiredAt) throw retiredError(offerId, current.retiredAt);
  const { retiredAt: _, ...offer } = { ...current, ...definedOnly(changes), id: offerId };
  checkOffer(offer);
  if (offer.productId !== current.productId) await requireProduct(conn, offer.productId);
  const r = await conn.run(
    `UPDATE offers SET product_id = $product, reward = $reward, reward_value = $value, valid_from = ${timestamp('from')},
       valid_to = ${timestamp('to')}, eligibility = $eligibility WHERE offer_id = $id AND retired_at IS NULL`,
    values(offer),
  );
  // Retired between the read and the update by another request.
  if (Number(r.rowsChanged) === 0) throw retiredError(offerId, (await one(conn, offerId)).retiredAt ?? new Date());
  return one(conn, offerId);
}

export async function retireOffer(conn: DuckDBConnection, offerId: string, at: Date): Promise<StoredOffer> {
  await one(conn, offerId);
  await conn.run(`UPDATE offers SET retired_at = ${timestamp('at')} WHERE offer_id = $id AND retired_at IS NULL`, { id: offerId, at: at.getTime() });
  return one(conn, offerId);
}

const retiredError = (offerId: string, at: Date): NextbestError =>
  new NextbestError('OFFER_CONFLICT', `offer ${offerId} was retired at ${at.toISOString()} and cannot change; create a new offer instead`);

/** The changes a caller gave (an absent field keeps its value). */
const definedOnly = (changes: OfferChanges): OfferChanges =>
  Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as OfferChanges;

/** A customer's products now: its latest snapshot month, then acquire and drop events from that month on (the latest one per product wins). */
export async function holdingsOf(conn: DuckDBConnection, customerId: string): Promise<string[]> {
  const r = await conn.runAndReadAll(
    `WITH last AS (SELECT max(month) AS m FROM holdings WHERE customer_id = $id),
     snap AS (SELECT product_id FROM holdings, last WHERE customer_id = $id AND month = last.m),
     moves AS (SELECT product_id, arg_max(type, ts) AS latest FROM events, last
       WHERE customer_id = $id AND type IN ('acquire', 'drop') AND (last.m IS NULL OR ts >= last.m) GROUP BY product_id)
     SELECT product_id FROM snap WHERE product_id NOT IN (SELECT product_id FROM moves WHERE latest = 'drop')
     UNION SELECT product_id FROM moves WHERE latest = 'acquire'
     ORDER BY product_id`,
    { id: customerId },
  );
  return r.getRows().map((row) => String(row[0]));
}
