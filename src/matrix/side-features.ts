// Customer and product attributes as sparse feature matrices for hybrid models (LightFM-style, FM):
// categories one-hot, numbers scaled or bucketed, plus optional per-entity identity features.
import { NextbestError } from '../core/errors.js';
import { CsrMatrix } from './csr.js';
import type { EventLog } from './event-log.js';
import { bucketOf, quantileCuts } from './buckets.js';
import { IdMap } from './id-map.js';

/** One attribute of one entity; num wins when both are set, both null means missing. */
export interface SideFeatureRow {
  id: string;
  name: string;
  num: number | null;
  str: string | null;
}

export interface SideFeatureOptions {
  /** Numbers as one min-max scaled feature "name" in [0, 1], or one-hot quantile buckets "name#k". Default 'scale'. */
  numeric?: 'scale' | 'bucket';
  /** Quantile buckets per numeric attribute (fewer when values repeat). Default 10. */
  buckets?: number;
  /** Add feature "id:<entity id>" per entity, at feature index = entity index. */
  identity?: boolean;
  /** Scale each row to sum 1, as LightFM does, so entities with many features are not louder. */
  normalize?: boolean;
  /** Bucket cut points to use for these numeric attributes (a trained model's), instead of this data's quantiles. */
  cuts?: ReadonlyMap<string, readonly number[]>;
}

export interface SideFeatures {
  /** entities x features. */
  matrix: CsrMatrix;
  features: IdMap;
  /** The bucket cut points of each numeric attribute (numeric 'bucket' only). */
  cuts?: Map<string, number[]>;
}

/** Columnar buffer of the accepted rows, since numeric encoding needs every value before the first is encoded. */
class RowBuffer {
  n = 0;
  entity: Int32Array = new Int32Array(256);
  name: Int32Array = new Int32Array(256);
  num: Float64Array = new Float64Array(256);
  str: Int32Array = new Int32Array(256);

  push(entity: number, name: number, num: number, str: number): void {
    if (this.n === this.entity.length) {
      const cap = this.n * 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
      this.entity = grow(this.entity, new Int32Array(cap));
      this.name = grow(this.name, new Int32Array(cap));
      this.num = grow(this.num, new Float64Array(cap));
      this.str = grow(this.str, new Int32Array(cap));
    }
    const i = this.n++;
    this.entity[i] = entity;
    this.name[i] = name;
    this.num[i] = num;
    this.str[i] = str;
  }
}

export function buildSideFeatures(
  entities: IdMap,
  rows: Iterable<SideFeatureRow>,
  opts: SideFeatureOptions = {},
): SideFeatures {
  const numeric = opts.numeric ?? 'scale';
  const buckets = opts.buckets ?? 10;
  if (numeric !== 'scale' && numeric !== 'bucket')
    throw new NextbestError('BAD_OPTION', `numeric must be 'scale' or 'bucket', got "${String(numeric)}"`);
  if (!(Number.isInteger(buckets) && buckets >= 1))
    throw new NextbestError('BAD_OPTION', `buckets must be a positive integer, got ${buckets}`);

  const names = new IdMap();
  const strs = new IdMap();
  const buf = new RowBuffer();
  for (const row of rows) {
    const e = entities.index(row.id);
    if (e < 0) continue;
    if (row.num !== null && Number.isFinite(row.num)) buf.push(e, names.add(row.name), row.num, -1);
    else if (row.str !== null) buf.push(e, names.add(row.name), NaN, strs.add(row.str));
  }
  const n = buf.n;

  // Per-attribute numeric summary: min and range for scaling, cut points for buckets.
  const nNames = names.size;
  const min = new Float64Array(nNames).fill(Infinity);
  const max = new Float64Array(nNames).fill(-Infinity);
  const count = new Int32Array(nNames + 1);
  for (let i = 0; i < n; i++) {
    if (buf.str[i] >= 0) continue;
    const a = buf.name[i];
    const x = buf.num[i];
    if (x < min[a]) min[a] = x;
    if (x > max[a]) max[a] = x;
    count[a + 1]++;
  }
  const cuts: number[][] = [];
  if (numeric === 'bucket') {
    for (let a = 0; a < nNames; a++) count[a + 1] += count[a];
    const values = new Float64Array(count[nNames]);
    const next = count.slice(0, nNames);
    for (let i = 0; i < n; i++) if (buf.str[i] < 0) values[next[buf.name[i]]++] = buf.num[i];
    for (let a = 0; a < nNames; a++)
      cuts.push([...(opts.cuts?.get(names.id(a)) ?? quantileCuts(values.subarray(count[a], count[a + 1]).sort(), buckets))]);
  }

  const features = new IdMap();
  const identity = opts.identity ? entities.size : 0;
  for (let e = 0; e < identity; e++) features.add(`id:${entities.id(e)}`);
  const bucketBase = new Int32Array(nNames).fill(-1);
  const r = new Int32Array(identity + n);
  const c = new Int32Array(identity + n);
  const v = new Float32Array(identity + n);
  for (let e = 0; e < identity; e++) {
    r[e] = e;
    c[e] = e;
    v[e] = 1;
  }
  for (let i = 0; i < n; i++) {
    const a = buf.name[i];
    const name = names.id(a);
    const k = identity + i;
    r[k] = buf.entity[i];
    if (buf.str[i] >= 0) {
      c[k] = features.add(`${name}=${strs.id(buf.str[i])}`);
      v[k] = 1;
    } else if (numeric === 'scale') {
      c[k] = features.add(name);
      // A constant attribute carries no contrast; 1 marks it present.
      v[k] = max[a] > min[a] ? (buf.num[i] - min[a]) / (max[a] - min[a]) : 1;
    } else {
      if (bucketBase[a] < 0) {
        bucketBase[a] = features.size;
        for (let b = 0; b <= cuts[a].length; b++) features.add(`${name}#${b}`);
      }
      c[k] = bucketBase[a] + bucketOf(cuts[a], buf.num[i]);
      v[k] = 1;
    }
  }
  // Repeated (id, feature) rows add up, like duplicate COO entries.
  const matrix = CsrMatrix.fromCoo(entities.size, features.size, r, c, v);
  if (opts.normalize) normalizeRows(matrix);
  const used = new Map<string, number[]>();
  if (numeric === 'bucket') for (let a = 0; a < nNames; a++) if (count[a + 1] > count[a]) used.set(names.id(a), cuts[a]);
  return { matrix, features, cuts: used };
}

function normalizeRows(m: CsrMatrix): void {
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) s += m.data[k];
    if (s > 0) for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) m.data[k] /= s;
  }
}

/** events x context features ("key=value"), 1 where the event carried that context. */
export function buildContextFeatures(log: EventLog): CsrMatrix {
  const nnz = log.contextIds.length;
  const r = new Int32Array(nnz);
  for (let i = 0; i < log.length; i++) r.fill(i, log.contextPtr[i], log.contextPtr[i + 1]);
  return CsrMatrix.fromCoo(log.length, log.contexts.size, r, log.contextIds, new Float32Array(nnz).fill(1));
}
