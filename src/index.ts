// The nextbest library: the typed public surface (the CLI is a thin layer over it).
export { NextbestError, type ErrorCode } from './core/errors.js';
export { Rng } from './core/rng.js';
export {
  Customer,
  Product,
  Offer,
  Event,
  Holding,
  Eligibility,
  EVENT_TYPES,
  type EventType,
  type Attributes,
  type AttributeValue,
  type Context,
} from './data/model.js';
export type { IngestSink, Loader, LoadCounts, LoadOptions, SnapshotSpec } from './data/sink.js';
export { LOADERS, getLoader, detectFormat } from './data/formats/index.js';
export {
  openStore,
  DEFAULT_STORE,
  type Store,
  type StoreOptions,
  type IngestReport,
  type StoreCounts,
  type StoreStats,
  type LiveEventLog,
} from './store/index.js';
export type { EventBatch, AttributeRow, TrainingSource } from './data/rows.js';
