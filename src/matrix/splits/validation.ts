// Carves a validation split out of a training log only, for tuning without touching the test side.
import { NextbestError } from '../../core/errors.js';
import type { EventLog } from '../event-log.js';
import { leaveLastOut } from './leave-last-out.js';
import { randomSplit } from './random.js';
import type { Split } from './split.js';
import { temporalRatio } from './temporal-ratio.js';

export type ValidationOptions =
  | { method?: 'random'; /** Default 0.75. */ ratio?: number; /** Default 42. */ seed?: number }
  | { method: 'temporal-ratio'; /** Default 0.75. */ ratio?: number }
  | { method: 'leave-last-out'; /** Default 1. */ n?: number };

/**
 * Splits train (never the test log) into a smaller train and a validation set returned as `test`,
 * random per customer by default; pick the method that mirrors the outer split (leave-last-out for
 * ML-NEXT, temporal-ratio after a temporal split). The result shares train's id maps and passed the
 * same leakage check; its name is "validation(<inner spec>)".
 */
export function validationSplit(train: EventLog, opts: ValidationOptions = {}): Split {
  let inner: Split;
  switch (opts.method) {
    case undefined:
    case 'random':
      inner = randomSplit(train, { ratio: opts.ratio ?? 0.75, seed: opts.seed });
      break;
    case 'temporal-ratio':
      inner = temporalRatio(train, { ratio: opts.ratio ?? 0.75 });
      break;
    case 'leave-last-out':
      inner = leaveLastOut(train, { n: opts.n });
      break;
    default:
      throw new NextbestError(
        'BAD_OPTION',
        `validation method must be random, temporal-ratio or leave-last-out, got ${String((opts as { method: unknown }).method)}`,
      );
  }
  return { ...inner, name: `validation(${inner.name})` };
}
