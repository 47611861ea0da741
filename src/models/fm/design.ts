// The design matrix a factorization machine trains on: one sparse row of (feature index, value) per
// example, a target per row, and a group per feature (libFM's "meta" groups: each group gets its own
// prior mean and precision in MCMC, its own regularisation in SGD and ALS). Built from an event log
// with the feature space laid out in blocks, so a train log and a test log sharing id maps (as the
// two halves of a split do) get the same columns:
//   [customer ids | product ids | customer side | product side | context | time buckets | held products]
// Held products (SVD++-style implicit feedback, Koren 2008) are the same for every row of a customer:
// by default they stay one block per customer (a Relation, ./relation), which ALS and MCMC sweep in
// O(block + rows); SGD and prediction write them into the rows.
import { NextbestError } from '../../core/errors.js';
import { bucketOf } from '../../matrix/buckets.js';
import { CsrMatrix } from '../../matrix/csr.js';
import type { EventLog } from '../../matrix/event-log.js';
import type { IdMap } from '../../matrix/id-map.js';
import { expandRelation, type Relation } from './relation.js';

export interface Design {
  /** rows = examples, cols = features. */
  readonly x: CsrMatrix;
  /** Target per row: a rating for regression, 0/1 (any y > 0 is positive) for classification. */
  readonly y: Float64Array;
  /** Group of each feature (length x.cols), indices into groupNames. */
  readonly groups: Int32Array;
  readonly groupNames: readonly string[];
  /** Name of each feature (length x.cols). */
  readonly featureNames: readonly string[];
  /** Features shared by all rows of an entity, kept once per entity; x's columns for them are empty. */
  readonly relation?: Relation;
}

/** The design with its relation block written into every row (for SGD, prediction and libFM files). */
export function withRelationInRows<D extends Design>(d: D): D {
  return d.relation ? { ...d, x: expandRelation(d.x, d.relation), relation: undefined } : d;
}

/**
 * Entity side features: entities (customers or products, by index in the log's id map) x features.
 * A bare matrix gets features named by column number, all in one group. With names, the group of a
 * feature is its attribute: the name up to the first '=' or '#' ("occupation=writer" -> "occupation",
 * "age#3" -> "age"), unless `groups` gives one name per column.
 */
export type SideBlock =
  | CsrMatrix
  | { matrix: CsrMatrix; features?: IdMap | readonly string[]; groups?: readonly string[] };

export interface BuildDesignOptions {
  /** One-hot customer and product id features; default true. */
  ids?: boolean;
  customerFeatures?: SideBlock;
  productFeatures?: SideBlock;
  /** One-hot "key=value" context features of each event (log.contexts); default false. */
  context?: boolean;
  /**
   * Time group: the one-hot bucket of each event's time, cut at these ascending points (timeCuts of
   * the training log, so train and test rows share the buckets).
   */
  timeCuts?: readonly number[];
  /**
   * Held-products group: customers x products (rows follow the log's customer ids, columns its product
   * ids), each customer's row as it should enter the design (heldProducts: 1/sqrt(|held|) each).
   */
  held?: CsrMatrix;
  /** 'block' (default): held products as a Relation; 'rows': written into every row. */
  heldLayout?: 'block' | 'rows';
  /** 'attribute' (default): one group per side attribute; 'block': one group per side block. */
  sideGroups?: 'attribute' | 'block';
  /** Target of event i; default the event value. */
  target?: (value: number, i: number) => number;
}

/** Group name of a side feature named `name`: the attribute before '=' or '#'. */
export function attributeOf(name: string): string {
  const m = /[=#]/.exec(name);
  return m ? name.slice(0, m.index) : name;
}

interface Block {
  prefix: string;
  matrix: CsrMatrix;
  names: readonly string[] | null;
  groups: readonly string[] | null;
}

function sideBlock(prefix: string, side: SideBlock | undefined, entities: number): Block | null {
  if (side === undefined) return null;
  const b: Block =
    side instanceof CsrMatrix
      ? { prefix, matrix: side, names: null, groups: null }
      : {
          prefix,
          matrix: side.matrix,
          names: side.features === undefined ? null : Array.isArray(side.features) ? side.features : (side.features as IdMap).ids(),
          groups: side.groups ?? null,
        };
  if (b.names && b.names.length !== b.matrix.cols)
    throw new NextbestError('INTERNAL', `${prefix} features: ${b.names.length} names for ${b.matrix.cols} columns`);
  if (b.groups && b.groups.length !== b.matrix.cols)
    throw new NextbestError('INTERNAL', `${prefix} features: ${b.groups.length} group names for ${b.matrix.cols} columns`);
  if (b.matrix.rows > entities)
    throw new NextbestError(
      'INTERNAL',
      `${prefix} features have ${b.matrix.rows} rows but the log knows ${entities} ${prefix}s; rows must follow the log's id map`,
    );
  return b;
}

/** Design rows from an event log; see the file comment for the column layout. */
export function buildDesign(log: EventLog, opts: BuildDesignOptions = {}): Design {
  const ids = opts.ids ?? true;
  const C = log.customers.size;
  const P = log.products.size;
  const cust = sideBlock('customer', opts.customerFeatures, C);
  const prod = sideBlock('product', opts.productFeatures, P);
  const context = opts.context ?? false;
  const byAttribute = (opts.sideGroups ?? 'attribute') === 'attribute';

  const featureNames: string[] = [];
  const groupNames: string[] = [];
  const groupIndex = new Map<string, number>();
  const groupList: number[] = [];
  const group = (name: string): number => {
    let g = groupIndex.get(name);
    if (g === undefined) {
      g = groupNames.length;
      groupNames.push(name);
      groupIndex.set(name, g);
    }
    return g;
  };
  const custOffset = 0;
  const prodOffset = ids ? C : 0;
  if (ids) {
    const gc = group('customer');
    for (const id of log.customers.ids()) (featureNames.push(`customer:${id}`), groupList.push(gc));
    const gp = group('product');
    for (const id of log.products.ids()) (featureNames.push(`product:${id}`), groupList.push(gp));
  }
  const addSide = (b: Block | null): number => {
    const offset = featureNames.length;
    if (!b) return offset;
    for (let j = 0; j < b.matrix.cols; j++) {
      const name = b.names ? b.names[j] : String(j);
      featureNames.push(`${b.prefix}.${name}`);
      const g = b.groups ? b.groups[j] : byAttribute && b.names ? attributeOf(name) : 'features';
      groupList.push(group(`${b.prefix}.${g}`));
    }
    return offset;
  };
  const custSideOffset = addSide(cust);
  const prodSideOffset = addSide(prod);
  const contextOffset = featureNames.length;
  if (context) {
    for (const name of log.contexts.ids()) {
      featureNames.push(`context:${name}`);
      groupList.push(group(`context.${attributeOf(name)}`));
    }
  }
  const timeOffset = featureNames.length;
  const timeCuts = opts.timeCuts;
  if (timeCuts) {
    for (let t = 1; t < timeCuts.length; t++)
      if (!(timeCuts[t] > timeCuts[t - 1])) throw new NextbestError('INTERNAL', 'time cuts must be strictly ascending');
    const g = group('time');
    for (let b = 0; b <= timeCuts.length; b++) (featureNames.push(`time#${b}`), groupList.push(g));
  }
  const heldOffset = featureNames.length;
  const held = opts.held;
  const heldInRows = held !== undefined && opts.heldLayout === 'rows';
  if (held) {
    if (held.cols !== P) throw new NextbestError('INTERNAL', `held products have ${held.cols} columns but the log knows ${P} products`);
    if (held.rows > C) throw new NextbestError('INTERNAL', `held products have ${held.rows} rows but the log knows ${C} customers`);
    const g = group('held');
    for (const id of log.products.ids()) (featureNames.push(`held:${id}`), groupList.push(g));
  }
  const cols = featureNames.length;

  const n = log.length;
  const rowLen = (m: CsrMatrix | undefined, e: number): number => (m && e < m.rows ? m.indptr[e + 1] - m.indptr[e] : 0);
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let len = ids ? 2 : 0;
    len += rowLen(cust?.matrix, log.customer[i]) + rowLen(prod?.matrix, log.product[i]);
    if (context) len += log.contextPtr[i + 1] - log.contextPtr[i];
    if (timeCuts) len++;
    if (heldInRows) len += rowLen(held, log.customer[i]);
    indptr[i + 1] = indptr[i] + len;
  }
  const indices = new Int32Array(indptr[n]);
  const data = new Float32Array(indptr[n]);
  const y = new Float64Array(n);
  const ctx: number[] = [];
  let p = 0;
  for (let i = 0; i < n; i++) {
    const c = log.customer[i];
    const pr = log.product[i];
    if (ids) {
      indices[p] = custOffset + c;
      data[p++] = 1;
    }
    if (cust && c < cust.matrix.rows) {
      for (let t = cust.matrix.indptr[c]; t < cust.matrix.indptr[c + 1]; t++) {
        indices[p] = custSideOffset + cust.matrix.indices[t];
        data[p++] = cust.matrix.data[t];
      }
    }
    // Product ids come after customer side features in the row but before them in the columns, so
    // rows are sorted at the end.
    if (ids) {
      indices[p] = prodOffset + pr;
      data[p++] = 1;
    }
    if (prod && pr < prod.matrix.rows) {
      for (let t = prod.matrix.indptr[pr]; t < prod.matrix.indptr[pr + 1]; t++) {
        indices[p] = prodSideOffset + prod.matrix.indices[t];
        data[p++] = prod.matrix.data[t];
      }
    }
    if (context) {
      ctx.length = 0;
      for (let t = log.contextPtr[i]; t < log.contextPtr[i + 1]; t++) ctx.push(log.contextIds[t]);
      for (const id of ctx) {
        indices[p] = contextOffset + id;
        data[p++] = 1;
      }
    }
    if (timeCuts) {
      indices[p] = timeOffset + bucketOf(timeCuts, log.time[i]);
      data[p++] = 1;
    }
    if (heldInRows && c < held.rows)
      for (let t = held.indptr[c]; t < held.indptr[c + 1]; t++) {
        indices[p] = heldOffset + held.indices[t];
        data[p++] = held.data[t];
      }
    y[i] = opts.target ? opts.target(log.value[i], i) : log.value[i];
  }
  const x = sortAndMergeRows(n, cols, indptr, indices, data);
  const relation: Relation | undefined =
    held && !heldInRows
      ? { rowEntity: Int32Array.from(log.customer, (c) => (c < held.rows ? c : -1)), matrix: held, offset: heldOffset }
      : undefined;
  return { x, y, groups: Int32Array.from(groupList), groupNames, featureNames, ...(relation ? { relation } : {}) };
}

/** Sorts each row's entries by column and sums duplicates (rows here are short). */
function sortAndMergeRows(rows: number, cols: number, indptr: Int32Array, indices: Int32Array, data: Float32Array): CsrMatrix {
  let sorted = true;
  let unique = true;
  for (let i = 0; i < rows && sorted; i++)
    for (let t = indptr[i] + 1; t < indptr[i + 1]; t++) {
      if (indices[t] < indices[t - 1]) {
        sorted = false;
        break;
      }
      if (indices[t] === indices[t - 1]) unique = false;
    }
  if (sorted && unique) return new CsrMatrix(rows, cols, indptr, indices, data);
  const r = new Int32Array(indices.length);
  for (let i = 0; i < rows; i++) r.fill(i, indptr[i], indptr[i + 1]);
  return CsrMatrix.fromCoo(rows, cols, r, indices, data);
}

/** A design from a ready matrix; groups default to one group "all", names to "f<index>". */
export function makeDesign(
  x: CsrMatrix,
  y: ArrayLike<number>,
  opts: { groups?: Int32Array; groupNames?: readonly string[]; featureNames?: readonly string[] } = {},
): Design {
  if (y.length !== x.rows) throw new NextbestError('INTERNAL', `${y.length} targets for ${x.rows} rows`);
  const groups = opts.groups ?? new Int32Array(x.cols);
  if (groups.length !== x.cols) throw new NextbestError('INTERNAL', `${groups.length} feature groups for ${x.cols} features`);
  let maxGroup = -1;
  for (let j = 0; j < groups.length; j++) {
    if (groups[j] < 0) throw new NextbestError('INTERNAL', `feature ${j} has negative group ${groups[j]}`);
    if (groups[j] > maxGroup) maxGroup = groups[j];
  }
  const groupNames = opts.groupNames ?? Array.from({ length: Math.max(1, maxGroup + 1) }, (_, g) => (g === 0 && maxGroup <= 0 ? 'all' : `g${g}`));
  if (groupNames.length <= maxGroup)
    throw new NextbestError('INTERNAL', `${groupNames.length} group names but groups go up to ${maxGroup}`);
  const featureNames = opts.featureNames ?? Array.from({ length: x.cols }, (_, j) => `f${j}`);
  if (featureNames.length !== x.cols)
    throw new NextbestError('INTERNAL', `${featureNames.length} feature names for ${x.cols} features`);
  return { x, y: Float64Array.from(y), groups, groupNames, featureNames };
}

/** Number of groups of a design (at least 1). */
export function groupCount(d: Pick<Design, 'groups' | 'groupNames'>): number {
  let g = d.groupNames.length;
  for (let j = 0; j < d.groups.length; j++) if (d.groups[j] + 1 > g) g = d.groups[j] + 1;
  return Math.max(1, g);
}
