// Runs the split a spec names: on the given event log, or from the spec's files.
import { NextbestError } from '../../core/errors.js';
import type { EventLog } from '../event-log.js';
import { coldStartSplit } from './cold-start.js';
import { splitFromFiles } from './files.js';
import { leaveLastOut } from './leave-last-out.js';
import { randomSplit } from './random.js';
import { parseSplitSpec, type SplitSpec } from './spec.js';
import type { Split } from './split.js';
import { temporalCutoff } from './temporal-cutoff.js';
import { temporalRatio } from './temporal-ratio.js';

/** A string spec is parsed first; every kind but files needs log. */
export async function splitBySpec(spec: SplitSpec | string, log?: EventLog): Promise<Split> {
  const s = typeof spec === 'string' ? parseSplitSpec(spec) : spec;
  if (s.kind === 'files') return splitFromFiles(s.train, s.test);
  if (!log)
    throw new NextbestError('INTERNAL', `split "${s.kind}" cuts an event log, but none was given; load the events first`);
  switch (s.kind) {
    case 'random':
      return randomSplit(log, { ratio: s.ratio, seed: s.seed });
    case 'temporal':
      return temporalCutoff(log, { cutoff: s.cutoff });
    case 'temporal-ratio':
      return temporalRatio(log, { ratio: s.ratio });
    case 'leave-last-out':
      return leaveLastOut(log, { n: s.n });
    case 'cold-start':
      return coldStartSplit(log, { ratio: s.ratio, seed: s.seed });
  }
}
