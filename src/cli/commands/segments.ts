// `nextbest segments --attribute segment`: do learned customer factors carry a customer attribute?
// Fits implicit ALS on the store's events, clusters customer factors with k-means (ARI against the
// attribute) and classifies the attribute by the vote of factor-space neighbours (vs the majority class).
import type { Command } from 'commander';
import { loadPlantedData, segmentRecoveryCheck } from '../../eval/planted-checks.js';
import { eventWeights, positiveInt } from '../args.js';
import type { EventType } from '../../data/model.js';
import { withCommon, withStore, type CommonOptions } from '../common.js';
import { interruptSignal } from '../interrupt.js';
import { printJson, table } from '../output.js';

interface SegmentsOptions extends CommonOptions {
  attribute: string;
  factors: number;
  clusters?: number;
  neighbours: number;
  seed: number;
  weights?: Partial<Record<EventType, number>>;
}

export function registerSegments(program: Command): void {
  withCommon(
    program
      .command('segments')
      .description('cluster ALS customer factors and compare them with a customer attribute')
      .option('--attribute <name>', 'the customer attribute to recover', 'segment')
      .option('--factors <n>', 'ALS factors', positiveInt('--factors'), 8)
      .option('--clusters <n>', 'k-means clusters (default: the number of attribute values)', positiveInt('--clusters'))
      .option('--neighbours <n>', 'neighbours that vote', positiveInt('--neighbours'), 20)
      .option('--seed <n>', 'random seed', positiveInt('--seed', 0), 42)
      .option('--weights <type=w,...>', 'interaction weights by event type (default display=0: what the bank showed is not the customer\'s choice)', eventWeights('--weights')),
  ).action(async (opts: SegmentsOptions) => {
    const { log, customerAttributes } = await withStore(opts, (store) => loadPlantedData(store));
    const r = await segmentRecoveryCheck(log, customerAttributes, {
      attribute: opts.attribute,
      factors: opts.factors,
      k: opts.clusters,
      neighbours: opts.neighbours,
      seed: opts.seed,
      interactions: { weights: opts.weights },
      signal: interruptSignal,
    });
    if (opts.json) {
      printJson(r);
      return;
    }
    process.stdout.write(
      `${r.customers.toLocaleString('en-US')} customers with events and a known ${opts.attribute} (${r.classes.join(', ')})\n` +
        table(
          [
            [`k-means (k = ${r.k}) on ALS customer factors, adjusted Rand index`, r.ari.toFixed(3), '0 (chance)'],
            [`${opts.neighbours}-neighbour vote of ${opts.attribute}, accuracy`, r.voteAccuracy.toFixed(3), `${r.majorityAccuracy.toFixed(3)} (majority class)`],
          ],
          ['check', 'result', 'baseline'],
        ) +
        '\n',
    );
  });
}
