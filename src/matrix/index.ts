// Public API of the training views: id maps, the columnar event log, CSR matrices and the views built from them.
export { IdMap } from './id-map.js';
export { stableArgsort } from './sort.js';
export { EventLogBuilder, eventTypeCode, sortByTime, subset, type EventLog, type EventLogMaps } from './event-log.js';
export { CsrMatrix, type SparseRow } from './csr.js';
export {
  buildInteractions,
  DEFAULT_EVENT_WEIGHTS,
  type InteractionOptions,
  type Interactions,
} from './interactions.js';
export { buildSequences, type SequenceOptions, type Sequences } from './sequences.js';
export {
  buildContextFeatures,
  buildSideFeatures,
  type SideFeatureOptions,
  type SideFeatureRow,
  type SideFeatures,
} from './side-features.js';
export { loadEventLog, loadSideFeatures, type LoadLogOptions } from './training-data.js';
export { buildPairContexts, type PairContexts } from './pair-context.js';
export { topK, type TopK } from './topk.js';
export { filterContext } from './context-filter.js';
export { bucketOf, quantileCuts } from './buckets.js';
export { shuffle } from './splits/shuffle.js';
