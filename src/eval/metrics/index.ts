// Public API of the evaluation metrics: top-N ranking, AUC and log loss, beyond-accuracy, rating
// errors, the Santander MAP@7, and the significance tools the runner applies to per-customer values.
export { itemsOf, meanDefined, type PerUserMetric, type RankedList } from './lists.js';
export {
  rankingMetrics,
  usersWithTest,
  RANKING_METRIC_NAMES,
  type RankingMetricName,
  type RankingMetrics,
} from './ranking.js';
export { aucBinary, aucOfScores } from './auc.js';
export { rankingAuc, type DenseScores } from './ranking-auc.js';
export { logLoss } from './log-loss.js';
export { catalogueCoverage } from './coverage.js';
export { novelty } from './novelty.js';
export { intraListDiversity } from './diversity.js';
export { personalisation, type PersonalisationOptions } from './personalisation.js';
export { mae, rmse } from './rating.js';
export { adjustedRandIndex } from './rand-index.js';
export { apk, mapk, santanderMap, type SantanderMap } from './santander.js';
export { bootstrapCI, quantileSorted, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.js';
export { pairedTest, type PairedTestResult } from './paired-t.js';
export { wilcoxonSignedRank, type WilcoxonResult } from './wilcoxon.js';
export {
  lnGamma,
  normalCdf,
  normalTwoSidedP,
  regularizedBeta,
  regularizedGammaQ,
  studentTCdf,
  studentTTwoSidedP,
} from './special.js';
