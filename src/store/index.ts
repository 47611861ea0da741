// The store module's public face: the Store contract, openStore, and table files. Nothing here
// names a backend's types, so callers work with any store.
export type {
  ActiveModelRecord,
  AddedCounts,
  CustomerHoldings,
  IngestOptions,
  IngestReport,
  LiveEventLog,
  LiveEventLogOptions,
  LiveEventLogStats,
  OwnerApi,
  StagedCounts,
  Store,
  StoreCounts,
  StoreMode,
  StoreOptions,
} from './store.js';
export { DEFAULT_STORE } from './store.js';
export type { StoreStats } from './stats.js';
export { checkOffer, isActive, type OfferChanges, type OfferFilter, type StoredOffer } from './offers.js';
export { openStore } from './open-store.js';
export { csvToParquet, readFactorTable, type ColumnType, type FactorTable } from './table-file.js';
