// The companion file of a libFM text file: `<file>.map.json`, a JSON object from feature index to name,
// written by exportLibfm so that ids survive a round trip. Names are `customer:<id>`, `product:<id>`
// and `feature:<name>` for extra named features.
import { existsSync, readFileSync } from 'node:fs';
import { NextbestError } from '../../core/errors.js';

export const CUSTOMER_PREFIX = 'customer:';
export const PRODUCT_PREFIX = 'product:';
export const FEATURE_PREFIX = 'feature:';

export const libfmMapPath = (libfmPath: string): string => `${libfmPath}.map.json`;

/** Reads `<libfmPath>.map.json` (index -> name); null when there is none. Accepts an object or an array. */
export function readLibfmMap(libfmPath: string): Map<number, string> | null {
  const path = libfmMapPath(libfmPath);
  if (!existsSync(path)) return null;
  const bad = (why: string): NextbestError =>
    new NextbestError(
      'WRONG_FORMAT',
      `${path} is not a libFM feature map (${why}); it must be a JSON object like {"0": "customer:196", "1": "product:242"}: fix or remove it`,
    );
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw bad('not valid JSON');
  }
  if (json === null || typeof json !== 'object') throw bad('not a JSON object');
  const map = new Map<number, string>();
  for (const [key, name] of Object.entries(json)) {
    if (!/^\d+$/.test(key)) throw bad(`key "${key}" is not a feature index`);
    if (typeof name !== 'string' || name === '') throw bad(`the name of feature ${key} is not a non-empty string`);
    map.set(+key, name);
  }
  return map;
}
