// The store's tables. No primary keys: ART indexes on tens of millions of rows cost memory and time,
// so merges deduplicate with anti-joins instead (see merge.ts). Attributes are one JSON object per
// customer or product (numbers stay numbers; a missing value is an absent key): one row per entity
// keeps a 1 M-customer, 22-attribute load to 1 M rows, not 22 M.

/** 2: events carry the live log's event id and arrival time (NULL for loaded events). */
export const SCHEMA_VERSION = 2;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS customers (customer_id VARCHAR NOT NULL, attributes JSON NOT NULL);
CREATE TABLE IF NOT EXISTS products (product_id VARCHAR NOT NULL, type VARCHAR, description VARCHAR, attributes JSON NOT NULL);
CREATE TABLE IF NOT EXISTS offers (offer_id VARCHAR NOT NULL, product_id VARCHAR NOT NULL, reward VARCHAR, reward_value DOUBLE,
  valid_from TIMESTAMP, valid_to TIMESTAMP, eligibility VARCHAR, retired_at TIMESTAMP);
-- Stores made before offers could be retired gain the column on their next write open.
ALTER TABLE offers ADD COLUMN IF NOT EXISTS retired_at TIMESTAMP;
CREATE TABLE IF NOT EXISTS events (customer_id VARCHAR NOT NULL, product_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL,
  type VARCHAR NOT NULL, value DOUBLE NOT NULL, context VARCHAR NOT NULL, event_id VARCHAR, received TIMESTAMP);
CREATE TABLE IF NOT EXISTS holdings (customer_id VARCHAR NOT NULL, product_id VARCHAR NOT NULL, month DATE NOT NULL);
CREATE TABLE IF NOT EXISTS ingests (loaded_at TIMESTAMP, format VARCHAR, source VARCHAR, accepted BIGINT, rejected BIGINT, rejects_file VARCHAR);
`;

/** Brings a store of an earlier schema version to this one (a writer runs it at open; idempotent). */
export const MIGRATE_SQL = `
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_id VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS received TIMESTAMP;
-- The model the store's server serves (one row), as the last activation recorded it.
CREATE TABLE IF NOT EXISTS active_model (one BOOLEAN PRIMARY KEY, model VARCHAR NOT NULL, activated_at TIMESTAMP NOT NULL);
`;

/** Staging tables for one ingest; temporary, so a failed load leaves nothing behind. */
export const STAGING_SQL = `
CREATE OR REPLACE TEMP TABLE stage_customers (seq BIGINT, customer_id VARCHAR, attributes VARCHAR);
CREATE OR REPLACE TEMP TABLE stage_products (seq BIGINT, product_id VARCHAR, type VARCHAR, description VARCHAR, attributes VARCHAR);
-- Products as event rows describe them: they only fill in what no catalogue gives (see merge.ts).
CREATE OR REPLACE TEMP TABLE stage_product_hints (seq BIGINT, product_id VARCHAR, type VARCHAR, description VARCHAR);
CREATE OR REPLACE TEMP TABLE stage_offers (seq BIGINT, offer_id VARCHAR, product_id VARCHAR, reward VARCHAR, reward_value DOUBLE,
  valid_from DOUBLE, valid_to DOUBLE, eligibility VARCHAR);
CREATE OR REPLACE TEMP TABLE stage_events (customer_id VARCHAR, product_id VARCHAR, ts DOUBLE, type VARCHAR, value DOUBLE, context VARCHAR);
-- Monthly snapshots stay compact (a bitmask of held products per customer and month) until the merge
-- expands them into holdings, so 20 M holdings are written once, not staged and copied.
CREATE OR REPLACE TEMP TABLE stage_snapshots (customer BIGINT, month DATE, mask BIGINT);
CREATE OR REPLACE TEMP TABLE stage_snapshot_products (bit INTEGER, product_id VARCHAR);
`;

/** Staging tables that loaders fill row by row through appenders. */
export const APPENDED_TABLES = [
  'stage_customers',
  'stage_products',
  'stage_product_hints',
  'stage_offers',
  'stage_events',
] as const;

export const STAGING_TABLES = [
  'stage_customers',
  'stage_products',
  'stage_product_hints',
  'stage_offers',
  'stage_events',
  'stage_snapshots',
  'stage_snapshot_products',
] as const;
