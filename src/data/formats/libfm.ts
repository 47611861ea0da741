// libFM text format (Rendle's libFM, also read by other factorization-machine tools): one line per
// observation, `target index:value index:value ...`, separated by spaces or tabs, indices 0-based.
// Each line becomes a 'rating' event with value = target (0/1 targets stay 'rating' too).
//  - Customer and product: with the companion `<file>.map.json` (written by exportLibfm) the features
//    named `customer:<id>` and `product:<id>` give the ids, and other mapped features with a non-zero
//    value go into the event's context (`feature:hour` -> context.hour = "9"). Without a map the layout
//    exportLibfm writes is assumed: the line's first feature is the customer, the second the product,
//    ids `u<index>` and `i<index>`; further features are ignored.
//  - Time: libFM has no time, so the timestamp is epoch 0 plus the line number in seconds, which keeps
//    the file's order for anything that sorts by time.
// A token over the field size limit, a target or value out of range (1e400, NaN), an index beyond
// 2^53 and an id over the id size limit reject the line.
import { existsSync, statSync } from 'node:fs';
import { NextbestError } from '../../core/errors.js';
import { readDelimited, readFirstLine } from '../delimited.js';
import { badField, longId } from '../limits.js';
import { isNonFinite, parseNumber } from '../parse.js';
import type { IngestSink, LoadCounts, Loader, LoadOptions } from '../sink.js';
import { fileSize } from './file-size.js';
import { CUSTOMER_PREFIX, FEATURE_PREFIX, libfmMapPath, PRODUCT_PREFIX, readLibfmMap } from './libfm-map.js';

export { exportLibfm, type LibfmExportCounts, type LibfmRow } from './libfm-export.js';
export { libfmMapPath } from './libfm-map.js';

const FEATURE = /^(\d+):(\S+)$/;

/** Parses `index:value`; null when malformed or the index is not an exact integer (beyond 2^53). */
function parseFeature(token: string): [number, number] | null {
  const m = FEATURE.exec(token);
  if (!m || !Number.isSafeInteger(+m[1])) return null;
  const value = parseNumber(m[2]);
  return value === null ? null : [+m[1], value];
}

/** Whether a line reads as libFM: a numeric target and at least one `index:value` feature. */
export function looksLikeLibfm(line: string): boolean {
  const tokens = line.trim().split(/\s+/);
  return tokens.length > 1 && parseNumber(tokens[0]) !== null && tokens.slice(1).every((t) => parseFeature(t) !== null);
}

const quoteShort = (s: string): string => JSON.stringify(s.length > 80 ? s.slice(0, 80) + '...' : s);

export const libfm: Loader = {
  format: 'libfm',
  description: 'libFM text (target index:value ...), customer then product feature; ids from <file>.map.json when present',

  async load(input: string, sink: IngestSink, opts: LoadOptions): Promise<LoadCounts> {
    if (!existsSync(input)) throw new NextbestError('FILE_NOT_FOUND', `${input} does not exist; check the path`);
    if (statSync(input).isDirectory()) {
      throw new NextbestError('WRONG_FORMAT', `${input} is a folder; the libfm format reads one libFM text file`);
    }
    const first = await readFirstLine(input);
    if (!looksLikeLibfm(first)) {
      throw new NextbestError(
        'WRONG_FORMAT',
        `${input} is not a libFM file: line 1 should be "target index:value index:value ..." (found ${quoteShort(first)}); check --format`,
      );
    }
    const names = readLibfmMap(input);
    const mapName = libfmMapPath(input);

    const size = fileSize(input);
    let accepted = 0;
    let rejected = 0;
    // No quoting and a delimiter that never occurs: each record is one line, split on whitespace here.
    for await (const batch of readDelimited(input, {
      delimiter: '\u0000',
      quote: '',
      onBytes: (b) => opts.onProgress?.(b / size),
    })) {
      for (const rec of batch) {
        const tokens = rec.raw.trim().split(/\s+/);
        if (tokens[0] === '') continue; // a blank line
        const bad = (reason: string): void => {
          rejected++;
          sink.reject(rec.line, reason, rec.raw);
        };
        const long = badField(tokens, (i) => (i === 0 ? 'the target' : `feature ${i}`));
        if (long) {
          bad(long);
          continue;
        }
        if (isNonFinite(tokens[0])) {
          bad(`target ${quoteShort(tokens[0])} is not a finite number`);
          continue;
        }
        const target = parseNumber(tokens[0]);
        if (target === null) {
          bad(`target ${quoteShort(tokens[0])} is not a number`);
          continue;
        }
        const features: [number, number][] = [];
        let malformed: string | null = null;
        for (let i = 1; i < tokens.length && malformed === null; i++) {
          const feature = parseFeature(tokens[i]);
          if (feature) features.push(feature);
          else malformed = tokens[i];
        }
        if (malformed !== null) {
          bad(`feature ${quoteShort(malformed)} is not index:value`);
          continue;
        }
        let customerId: string | undefined;
        let productId: string | undefined;
        const context: Record<string, string> = {};
        if (names) {
          const unknown = features.find(([index]) => !names.has(index));
          if (unknown) {
            bad(`feature index ${unknown[0]} is not in ${mapName}`);
            continue;
          }
          for (const [index, value] of features) {
            const name = names.get(index) as string;
            if (name.startsWith(CUSTOMER_PREFIX)) customerId ??= name.slice(CUSTOMER_PREFIX.length);
            else if (name.startsWith(PRODUCT_PREFIX)) productId ??= name.slice(PRODUCT_PREFIX.length);
            else if (value !== 0) {
              context[name.startsWith(FEATURE_PREFIX) ? name.slice(FEATURE_PREFIX.length) : name] = String(value);
            }
          }
          if (!customerId || !productId) {
            bad(`no ${customerId ? 'product' : 'customer'} feature: ${mapName} names none of this line's features "${customerId ? PRODUCT_PREFIX : CUSTOMER_PREFIX}..."`);
            continue;
          }
        } else {
          if (features.length < 2) {
            bad(`expected a customer and a product feature, found ${features.length} feature${features.length === 1 ? '' : 's'}`);
            continue;
          }
          customerId = `u${features[0][0]}`;
          productId = `i${features[1][0]}`;
        }
        const longIds = longId('the customer id', customerId) ?? longId('the product id', productId);
        if (longIds) {
          bad(longIds);
          continue;
        }
        accepted++;
        sink.event({ customerId, productId, timestamp: new Date(rec.line * 1000), type: 'rating', value: target, context });
      }
    }
    return { accepted, rejected };
  },
};
