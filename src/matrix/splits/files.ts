// Reads a fixed split from two TSV files (user, item[, rating[, timestamp]]) into one train/test pair sharing id maps.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { basename } from 'node:path';
import { NextbestError } from '../../core/errors.js';
import type { EventType } from '../../data/model.js';
import { EventLogBuilder, type EventLog } from '../event-log.js';
import { IdMap } from '../id-map.js';
import { sortIds } from './id-order.js';
import { assertNoLeakage, type LeakageCheck } from './leakage.js';
import type { Split } from './split.js';

export interface SplitFileOptions {
  /** Event type of every line; default 'rating'. */
  type?: EventType;
  /** Leakage check run on the result; default 'pairs' (use 'customers' for cold-start files). */
  check?: LeakageCheck;
  /** Default "files:TRAIN,TEST" with the paths as given. */
  name?: string;
}

/** Malformed lines quoted in the error before "and N more". */
const MAX_REPORTED = 5;

/**
 * Tab-separated, no header, one event per line: user, item, then optionally rating (the event value,
 * default 1) and timestamp (epoch seconds, default 0). Customer and product ids are the strings in the
 * files, indexed in numeric-aware order (compareIds) of the union of both files, so the same files give
 * the same indices whatever their row order. Any malformed line fails the whole read (WRONG_FORMAT):
 * an evaluation split must be exact. Trailing blank lines are allowed, blank lines elsewhere are not.
 */
export async function splitFromFiles(trainPath: string, testPath: string, opts: SplitFileOptions = {}): Promise<Split> {
  for (const path of [trainPath, testPath])
    if (!existsSync(path)) throw new NextbestError('FILE_NOT_FOUND', `${path} does not exist; check the path`);
  const type = opts.type ?? 'rating';
  const trainB = new EventLogBuilder();
  const testB = new EventLogBuilder({ customers: trainB.customers, products: trainB.products, contexts: trainB.contexts });
  const problems: string[] = [];
  await readSplitFile(trainPath, trainB, type, problems);
  await readSplitFile(testPath, testB, type, problems);
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED).join('; ');
    const more = problems.length > MAX_REPORTED ? `; and ${problems.length - MAX_REPORTED} more malformed lines` : '';
    throw new NextbestError('WRONG_FORMAT', `${shown}${more}; expected tab-separated user, item[, rating[, timestamp]]`);
  }
  const customers = sortedMap(trainB.customers);
  const products = sortedMap(trainB.products);
  const split: Split = {
    train: remap(trainB.build(), customers, products),
    test: remap(testB.build(), customers, products),
    name: opts.name ?? `files:${trainPath},${testPath}`,
  };
  assertNoLeakage(split, { what: opts.check ?? 'pairs' });
  return split;
}

async function readSplitFile(path: string, into: EventLogBuilder, type: EventType, problems: string[]): Promise<void> {
  const file = basename(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let blank = 0; // first blank line not yet followed by data
  for await (let line of lines) {
    lineNo++;
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') {
      if (blank === 0) blank = lineNo;
      continue;
    }
    if (blank !== 0) {
      problems.push(`${file} line ${blank}: blank line`);
      blank = 0;
    }
    const reason = addLine(line, into, type);
    if (reason) problems.push(`${file} line ${lineNo}: ${reason}`);
  }
}

/** Adds one line's event, or returns why it cannot. */
function addLine(line: string, into: EventLogBuilder, type: EventType): string | null {
  const f = line.split('\t');
  if (f.length < 2 || f.length > 4) return `${f.length} tab-separated field(s), expected 2 to 4`;
  const [user, item] = f;
  if (user.trim() === '') return 'empty user id';
  if (item.trim() === '') return 'empty item id';
  if (user.trim() !== user || item.trim() !== item) return 'an id has leading or trailing blanks';
  const value = f.length > 2 ? parseField(f[2]) : 1;
  if (value === null) return `rating "${f[2]}" is not a number`;
  const time = f.length > 3 ? parseField(f[3]) : 0;
  if (time === null) return `timestamp "${f[3]}" is not a number (epoch seconds)`;
  into.add(user, item, time, type, value);
  return null;
}

function parseField(s: string): number | null {
  if (s.trim() === '') return null;
  const x = Number(s);
  return Number.isFinite(x) ? x : null;
}

function sortedMap(map: IdMap): { map: IdMap; index: Int32Array } {
  const sorted = IdMap.from(sortIds(map.ids()));
  const index = new Int32Array(map.size);
  map.ids().forEach((id, i) => (index[i] = sorted.index(id)));
  return { map: sorted, index };
}

function remap(log: EventLog, customers: { map: IdMap; index: Int32Array }, products: { map: IdMap; index: Int32Array }): EventLog {
  const customer = new Int32Array(log.length);
  const product = new Int32Array(log.length);
  for (let i = 0; i < log.length; i++) {
    customer[i] = customers.index[log.customer[i]];
    product[i] = products.index[log.product[i]];
  }
  return { ...log, customers: customers.map, products: products.map, customer, product };
}
