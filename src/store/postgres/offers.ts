// Offers in a PostgreSQL store: read with their retirement time, created and changed one at a time with
// the store's offer rules (src/store/offers.ts), retired by recording the time (never deleted).
import type pg from 'pg';
import { NextbestError } from '../../core/errors.js';
import type { Offer } from '../../data/model.js';
import { checkOffer, storedOfferOfRow, type OfferChanges, type OfferFilter, type StoredOffer } from '../offers.js';

const ms = (col: string): string => `(extract(epoch FROM ${col}) * 1000)::float8`;
const COLUMNS = `offer_id, product_id, reward, reward_value, ${ms('valid_from')}, ${ms('valid_to')}, eligibility, ${ms('retired_at')}`;
const timestamp = (n: number): string => `(to_timestamp($${n}::float8 / 1000) AT TIME ZONE 'UTC')`;


export async function readOffers(pool: pg.Pool, filter: OfferFilter = {}): Promise<StoredOffer[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.offerId !== undefined) (params.push(filter.offerId), where.push(`offer_id = $${params.length}`));
  if (filter.productId !== undefined) (params.push(filter.productId), where.push(`product_id = $${params.length}`));
  const r = await pool.query<unknown[]>({
    text: `SELECT ${COLUMNS} FROM offers ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY offer_id`,
    values: params,
    rowMode: 'array',
  });
  return r.rows.map(storedOfferOfRow);
}

async function one(pool: pg.Pool, offerId: string): Promise<StoredOffer> {
  const [o] = await readOffers(pool, { offerId });
  if (!o) throw new NextbestError('OFFER_NOT_FOUND', `offer ${offerId} is not in the store; list the offers or check the id`);
  return o;
}

async function requireProduct(pool: pg.Pool, productId: string): Promise<void> {
  const r = await pool.query(`SELECT 1 FROM products WHERE product_id = $1`, [productId]);
  if (r.rowCount === 0) throw new NextbestError('PRODUCT_NOT_FOUND', `product ${productId} is not in the store; load it (products.csv) or check the id`);
}

/** $1..$7: id, product, reward, value, from, to, eligibility. */
const values = (o: Offer): unknown[] => [o.id, o.productId, o.reward, o.rewardValue, o.validFrom?.getTime() ?? null, o.validTo?.getTime() ?? null, JSON.stringify(o.eligibility)];

export async function createOffer(pool: pg.Pool, offer: Offer): Promise<StoredOffer> {
  checkOffer(offer);
  await requireProduct(pool, offer.productId);
  const r = await pool.query(
    `INSERT INTO offers (offer_id, product_id, reward, reward_value, valid_from, valid_to, eligibility)
       VALUES ($1, $2, $3, $4, ${timestamp(5)}, ${timestamp(6)}, $7) ON CONFLICT DO NOTHING`,
    values(offer),
  );
  if (r.rowCount === 0) throw new NextbestError('OFFER_CONFLICT', `offer ${offer.id} exists already; change it (PATCH) or choose another id`);
  return one(pool, offer.id);
}

export async function updateOffer(pool: pg.Pool, offerId: string, changes: OfferChanges): Promise<StoredOffer> {
  const current = await one(pool, offerId);
  if (current.retiredAt) throw retiredError(offerId, current.retiredAt);
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as OfferChanges;
  const { retiredAt: _, ...offer } = { ...current, ...defined, id: offerId };
  checkOffer(offer);
  if (offer.productId !== current.productId) await requireProduct(pool, offer.productId);
  const r = await pool.query(
    `UPDATE offers SET product_id = $2, reward = $3, reward_value = $4, valid_from = ${timestamp(5)}, valid_to = ${timestamp(6)},
       eligibility = $7 WHERE offer_id = $1 AND retired_at IS NULL`,
    values(offer),
  );
  if (r.rowCount === 0) throw retiredError(offerId, (await one(pool, offerId)).retiredAt ?? new Date());
  return one(pool, offerId);
}

export async function retireOffer(pool: pg.Pool, offerId: string, at: Date): Promise<StoredOffer> {
  await one(pool, offerId);
  await pool.query(`UPDATE offers SET retired_at = ${timestamp(2)} WHERE offer_id = $1 AND retired_at IS NULL`, [offerId, at.getTime()]);
  return one(pool, offerId);
}

const retiredError = (offerId: string, at: Date): NextbestError =>
  new NextbestError('OFFER_CONFLICT', `offer ${offerId} was retired at ${at.toISOString()} and cannot change; create a new offer instead`);
