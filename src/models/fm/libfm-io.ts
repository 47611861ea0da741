// A design matrix in libFM's text format, so the same rows can be run through libFM:
//   <path>            one line per row: `target index:value index:value ...` (0-based, ascending)
//   <path>.meta       libFM's --meta file: one line per feature holding its group number
//   <path>.features.json  { featureNames, groupNames, groups } so names survive a round trip
// Values are written in JavaScript's shortest round-trip form, so reading back gives the same
// float32 values and float64 targets. (The store-level exporter, with customer and product ids, is
// src/data/formats/libfm-export.ts.)
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { NextbestError } from '../../core/errors.js';
import { CsrMatrix } from '../../matrix/csr.js';
import { makeDesign, withRelationInRows, type Design } from './design.js';

export const libfmMetaPath = (path: string): string => `${path}.meta`;
export const libfmFeaturesPath = (path: string): string => `${path}.features.json`;

/** One libFM line for row i (no newline). */
export function libfmLine(x: CsrMatrix, y: ArrayLike<number>, i: number): string {
  let s = String(y[i]);
  for (let t = x.indptr[i]; t < x.indptr[i + 1]; t++) s += ` ${x.indices[t]}:${x.data[t]}`;
  return s;
}

/** The whole design as libFM text (every line newline-terminated). */
export function formatLibfm(design: Pick<Design, 'x' | 'y'>): string {
  const lines: string[] = new Array(design.x.rows);
  for (let i = 0; i < design.x.rows; i++) lines[i] = libfmLine(design.x, design.y, i);
  return lines.length ? lines.join('\n') + '\n' : '';
}

export interface ParsedLibfm {
  x: CsrMatrix;
  y: Float64Array;
}

/**
 * Parses libFM text. Columns = max(opts.features, largest index + 1). Blank lines are skipped;
 * anything else malformed throws WRONG_FORMAT naming the line.
 */
export function parseLibfm(text: string, opts: { features?: number; source?: string } = {}): ParsedLibfm {
  const source = opts.source ?? 'libFM text';
  const targets: number[] = [];
  const indptr: number[] = [0];
  const idx: number[] = [];
  const val: number[] = [];
  let maxIndex = -1;
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].trim();
    if (line === '') continue;
    const tokens = line.split(/[ \t]+/);
    const bad = (why: string): NextbestError =>
      new NextbestError('WRONG_FORMAT', `${source} line ${ln + 1}: ${why}; expected "target index:value index:value ..."`);
    const target = Number(tokens[0]);
    if (tokens[0] === '' || !Number.isFinite(target)) throw bad(`target "${tokens[0]}" is not a number`);
    targets.push(target);
    for (let t = 1; t < tokens.length; t++) {
      const tok = tokens[t];
      const colon = tok.indexOf(':');
      if (colon <= 0) throw bad(`"${tok}" is not index:value`);
      const j = Number(tok.slice(0, colon));
      const value = Number(tok.slice(colon + 1));
      if (!(Number.isInteger(j) && j >= 0)) throw bad(`feature index "${tok.slice(0, colon)}" is not a non-negative integer`);
      if (tok.length === colon + 1 || !Number.isFinite(value)) throw bad(`feature value "${tok.slice(colon + 1)}" is not a number`);
      idx.push(j);
      val.push(value);
      if (j > maxIndex) maxIndex = j;
    }
    indptr.push(idx.length);
  }
  const rows = targets.length;
  const cols = Math.max(opts.features ?? 0, maxIndex + 1);
  const r = new Int32Array(idx.length);
  for (let i = 0; i < rows; i++) r.fill(i, indptr[i], indptr[i + 1]);
  // fromCoo sorts each row and sums repeated indices.
  const x = CsrMatrix.fromCoo(rows, cols, r, Int32Array.from(idx), Float32Array.from(val));
  return { x, y: Float64Array.from(targets) };
}

/**
 * Writes <path>, <path>.meta and <path>.features.json; returns the paths written. A relation block is
 * written into every row (libFM's text format has no blocks).
 */
export function writeLibfmDesign(path: string, full: Design): { data: string; meta: string; features: string } {
  const design = withRelationInRows(full);
  const fd = openSync(path, 'w');
  try {
    let chunk: string[] = [];
    let size = 0;
    for (let i = 0; i < design.x.rows; i++) {
      const line = libfmLine(design.x, design.y, i) + '\n';
      chunk.push(line);
      size += line.length;
      if (size > 1 << 20) {
        writeSync(fd, chunk.join(''));
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length) writeSync(fd, chunk.join(''));
  } finally {
    closeSync(fd);
  }
  const meta = libfmMetaPath(path);
  writeFileSync(meta, design.groups.length ? Array.from(design.groups).join('\n') + '\n' : '');
  const features = libfmFeaturesPath(path);
  writeFileSync(
    features,
    JSON.stringify({ featureNames: design.featureNames, groupNames: design.groupNames, groups: Array.from(design.groups) }),
  );
  return { data: path, meta, features };
}

/**
 * Reads a design written by writeLibfmDesign (or any libFM file: without the sidecars, features are
 * named f<index>, groups come from <path>.meta when present, else one group).
 */
export function readLibfmDesign(path: string, opts: { features?: number } = {}): Design {
  if (!existsSync(path)) throw new NextbestError('FILE_NOT_FOUND', `${path} does not exist; check the path`);
  const sidecar = libfmFeaturesPath(path);
  let featureNames: string[] | undefined;
  let groupNames: string[] | undefined;
  let groups: Int32Array | undefined;
  if (existsSync(sidecar)) {
    let json: { featureNames?: unknown; groupNames?: unknown; groups?: unknown };
    try {
      json = JSON.parse(readFileSync(sidecar, 'utf8'));
    } catch {
      throw new NextbestError('WRONG_FORMAT', `${sidecar} is not valid JSON; rewrite it with writeLibfmDesign or remove it`);
    }
    const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((s) => typeof s === 'string');
    if (!strings(json.featureNames) || !strings(json.groupNames) || !Array.isArray(json.groups) || !json.groups.every(Number.isInteger))
      throw new NextbestError('WRONG_FORMAT', `${sidecar} needs featureNames, groupNames (strings) and groups (integers)`);
    featureNames = json.featureNames;
    groupNames = json.groupNames;
    groups = Int32Array.from(json.groups as number[]);
  } else if (existsSync(libfmMetaPath(path))) {
    const lines = readFileSync(libfmMetaPath(path), 'utf8').split('\n').map((s) => s.trim()).filter((s) => s !== '');
    if (!lines.every((s) => /^\d+$/.test(s)))
      throw new NextbestError('WRONG_FORMAT', `${libfmMetaPath(path)} must hold one group number per line`);
    groups = Int32Array.from(lines.map(Number));
  }
  const features = Math.max(opts.features ?? 0, featureNames?.length ?? 0, groups?.length ?? 0);
  const { x, y } = parseLibfm(readFileSync(path, 'utf8'), { features, source: path });
  if (groups && groups.length < x.cols) {
    const g = new Int32Array(x.cols);
    g.set(groups);
    groups = g;
  }
  if (featureNames && featureNames.length < x.cols)
    throw new NextbestError('WRONG_FORMAT', `${path} uses feature ${x.cols - 1} but ${sidecar} names only ${featureNames.length}`);
  return makeDesign(x, y, { groups, groupNames, featureNames });
}
