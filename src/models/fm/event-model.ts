// A fitted rating or accept / decline factorization machine with everything it needs to score events
// on its own: the design's feature names, how it encoded customer and product attributes (which
// attributes, the bucket cuts of numbers), the time buckets and each customer's held products. New
// events are turned into a design with the same options (buildDesign), their customers' and products'
// current attributes encoded the same way, and its columns are matched to the training design by
// feature name: features the model never saw (a new customer's id, a new category) carry no weight.
// A customer unknown at training time is scored from its attributes and the event's context.
// Saved as a model artifact named "fm-rating" or "fm-classification".
import { NextbestError } from '../../core/errors.js';
import { buildSideFeatures, CsrMatrix, IdMap, type EventLog, type SideFeatureRow, type SideFeatures } from '../../matrix/index.js';
import { readArtifact, writeArtifact } from '../artifact.js';
import type { ArtifactArray } from '../contract.js';
import { buildDesign, type BuildDesignOptions } from './design.js';
import { FactorizationMachine } from './index.js';

export type EventTask = 'rating' | 'classification';

/** How one entity kind's attributes became side features (buildSideFeatures with numeric 'bucket'). */
export interface SideEncoder {
  attributes: readonly string[];
  /** Bucket cut points of each numeric attribute. */
  cuts: Readonly<Record<string, readonly number[]>>;
  buckets: number;
  normalize: boolean;
}

/** Customer and product attributes to encode, as the store gives them. */
export interface EntityAttributes {
  customer: readonly SideFeatureRow[];
  product: readonly SideFeatureRow[];
}

export interface EventModelParts {
  task: EventTask;
  params: Record<string, unknown>;
  fm: FactorizationMachine;
  featureNames: readonly string[];
  customers: IdMap;
  products: IdMap;
  ids: boolean;
  context: boolean;
  timeCuts?: readonly number[];
  customerSide?: SideEncoder;
  productSide?: SideEncoder;
  /** customers x products of the training index spaces. */
  held?: CsrMatrix;
}

const ARTIFACT_NAMES: Record<EventTask, string> = { rating: 'fm-rating', classification: 'fm-classification' };

export class EventModel {
  /** Training column of each feature name, built on the first predict. */
  private column: Map<string, number> | null = null;

  constructor(readonly parts: EventModelParts) {}

  get task(): EventTask {
    return this.parts.task;
  }

  /** Ratings (clipped to the training range) or acceptance probabilities for every event of log. */
  predict(log: EventLog, attributes: EntityAttributes): Float64Array {
    const p = this.parts;
    // The log's products, then the training products it lacks, so every held product keeps its column.
    const products = IdMap.from(log.products.ids());
    for (const id of p.products.ids()) products.add(id);
    const view: EventLog = { ...log, products };
    const opts: BuildDesignOptions = {
      ids: p.ids,
      context: p.context,
      timeCuts: p.timeCuts,
      customerFeatures: p.customerSide && encode(p.customerSide, view.customers, attributes.customer),
      productFeatures: p.productSide && encode(p.productSide, view.products, attributes.product),
      held: p.held && remapHeld(p.held, p, view),
      heldLayout: 'rows',
    };
    const design = buildDesign(view, opts);
    this.column ??= new Map(p.featureNames.map((name, j) => [name, j]));
    const column = this.column;
    const map = Int32Array.from(design.featureNames, (name) => column.get(name) ?? -1);
    const rows = Int32Array.from({ length: design.x.rows }, (_, i) => i);
    return p.fm.predict({ x: remap(design.x, rows, map, p.featureNames.length), relation: undefined });
  }

  save(path: string): void {
    const p = this.parts;
    const fm = p.fm.state();
    const arrays: Record<string, ArtifactArray> = { ...fm.arrays };
    const csr = (prefix: string, m: CsrMatrix | undefined): void => {
      if (!m) return;
      arrays[`${prefix}.indptr`] = m.indptr;
      arrays[`${prefix}.indices`] = m.indices;
      arrays[`${prefix}.data`] = m.data;
    };
    csr('held', p.held);
    writeArtifact(path, {
      model: ARTIFACT_NAMES[p.task],
      params: p.params,
      state: { arrays, json: fm.json },
      meta: {
        featureNames: p.featureNames,
        customers: p.customers.toJSON(),
        products: p.products.toJSON(),
        ids: p.ids,
        context: p.context,
        timeCuts: p.timeCuts ?? null,
        customerSide: p.customerSide ?? null,
        productSide: p.productSide ?? null,
      },
    });
  }

  static load(path: string): EventModel {
    const a = readArtifact(path);
    const task = (Object.keys(ARTIFACT_NAMES) as EventTask[]).find((t) => ARTIFACT_NAMES[t] === a.model);
    if (!task)
      throw new NextbestError('BAD_OPTION', `${path} holds a ranking model (${a.model}), not a rating or accept / decline one; use nextbest recommend with it`);
    const m = a.meta as Record<string, unknown>;
    const customers = IdMap.fromJSON(m.customers);
    const products = IdMap.fromJSON(m.products);
    const { arrays } = a.state;
    const csr = (prefix: string, rows: number, cols: number): CsrMatrix | undefined => {
      const [indptr, indices, data] = ['indptr', 'indices', 'data'].map((s) => arrays[`${prefix}.${s}`]);
      if (indptr === undefined) return undefined;
      if (!(indptr instanceof Int32Array && indices instanceof Int32Array && data instanceof Float32Array))
        throw new NextbestError('CORRUPT_MODEL', `${path}: ${prefix} is not a sparse matrix; train the model again`);
      return new CsrMatrix(rows, cols, indptr, indices, data);
    };
    if (!Array.isArray(m.featureNames)) throw new NextbestError('CORRUPT_MODEL', `${path} lists no feature names; train the model again`);
    const side = (x: unknown): SideEncoder | undefined => {
      if (x === null || x === undefined) return undefined;
      const e = x as Partial<SideEncoder>;
      if (!Array.isArray(e.attributes) || typeof e.cuts !== 'object' || !Number.isInteger(e.buckets) || typeof e.normalize !== 'boolean')
        throw new NextbestError('CORRUPT_MODEL', `${path}: a side-feature encoder is malformed; train the model again`);
      return e as SideEncoder;
    };
    const fm = new FactorizationMachine();
    fm.restore({ arrays, json: a.state.json });
    return new EventModel({
      task,
      params: a.params as Record<string, unknown>,
      fm,
      featureNames: m.featureNames.map(String),
      customers,
      products,
      ids: m.ids === true,
      context: m.context === true,
      timeCuts: Array.isArray(m.timeCuts) ? m.timeCuts.map(Number) : undefined,
      customerSide: side(m.customerSide),
      productSide: side(m.productSide),
      held: csr('held', customers.size, products.size),
    });
  }
}

/** The entities' attributes as the model encoded them in training. */
function encode(e: SideEncoder, entities: IdMap, rows: readonly SideFeatureRow[]): SideFeatures {
  const used = new Set(e.attributes);
  return buildSideFeatures(
    entities,
    rows.filter((r) => used.has(r.name)),
    { numeric: 'bucket', buckets: e.buckets, normalize: e.normalize, cuts: new Map(Object.entries(e.cuts)) },
  );
}

/** Held products of the view's customers, columns in the view's product ids. */
function remapHeld(held: CsrMatrix, p: EventModelParts, view: EventLog): CsrMatrix {
  const rows = Int32Array.from(view.customers.ids(), (id) => p.customers.index(id));
  const columns = Int32Array.from(p.products.ids(), (id) => view.products.index(id));
  return remap(held, rows, columns, view.products.size);
}

/**
 * Row rows[i] of m as row i (-1: an empty row), column j renamed columns[j] (-1: dropped), in a
 * matrix of `cols` columns.
 */
function remap(m: CsrMatrix, rows: Int32Array, columns: Int32Array, cols: number): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  rows.forEach((from, i) => {
    if (from < 0) return;
    for (let t = m.indptr[from]; t < m.indptr[from + 1]; t++)
      if (columns[m.indices[t]] >= 0) (r.push(i), c.push(columns[m.indices[t]]), v.push(m.data[t]));
  });
  return CsrMatrix.fromCoo(rows.length, cols, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v));
}
