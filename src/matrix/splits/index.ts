// Public API of evaluation splits: the Split type, split functions, split specs and the leakage check.
export { activeCustomers, partition, type Split } from './split.js';
export { assertNoLeakage, type LeakageCheck, type LeakageOptions } from './leakage.js';
export { DEFAULT_SEED } from './options.js';
export { randomSplit, type RandomSplitOptions } from './random.js';
export { temporalCutoff, type TemporalCutoffOptions } from './temporal-cutoff.js';
export { temporalRatio, type TemporalRatioOptions } from './temporal-ratio.js';
export { leaveLastOut, type LeaveLastOutOptions } from './leave-last-out.js';
export { coldStartSplit, type ColdStartOptions } from './cold-start.js';
export { splitFromFiles, type SplitFileOptions } from './files.js';
export { compareIds, sortIds } from './id-order.js';
export { formatSplitSpec, parseSplitSpec, SPLIT_SPEC_FORMS, type SplitKind, type SplitSpec } from './spec.js';
export { splitBySpec } from './by-spec.js';
export { validationSplit, type ValidationOptions } from './validation.js';
