// A 2-D picture of a factor model's learned customer or product factors (the dashboard's Clusters page):
// the first two principal components of the factors, k-means clusters found on the full factors, and a
// customer (or product) attribute to compare them with, scored by the adjusted Rand index.
import { NextbestError } from '../core/errors.js';
import { adjustedRandIndex } from '../eval/metrics/rand-index.js';
import { kmeans } from '../models/factors/kmeans.js';
import type { TrainedModel } from '../models/trained-model.js';
import type { Store } from '../store/store.js';
import { attributeValues } from './attribute-values.js';

/** The models whose learned factors can be projected (those with learnedFactors), named in the error. */
const FACTOR_MODELS = ['als', 'bpr', 'warp', 'fm', 'factors'] as const;

export interface ProjectionRequest {
  entity: 'customers' | 'products';
  clusters: number;
  /** A customer attribute (customers) or product attribute, `type` included (products); null: none. */
  attribute: string | null;
  /** Most points drawn (evenly spread over the ids). */
  limit: number;
  seed?: number;
}

export interface Projection {
  entity: 'customers' | 'products';
  factors: number;
  /** Points drawn of all the model's learned rows. */
  points: { id: string; x: number; y: number; cluster: number; value: string | null }[];
  total: number;
  clusters: number;
  /** Share of the factors' variance along each of the two axes. */
  explained: [number, number];
  attribute: string | null;
  /** Adjusted Rand index of the clusters against the attribute over the points that have it (null without one). */
  adjustedRand: number | null;
}

interface FactorRows {
  dims: number;
  rows: Float32Array;
  ids: string[];
}

/** The learned rows of a factor model's customers (those trained on) or products. */
function factorRows(trained: TrainedModel, entity: ProjectionRequest['entity']): FactorRows {
  const { model } = trained;
  if (!model.learnedFactors)
    throw new NextbestError('BAD_OPTION', `model ${model.name} has no learned factors to project; train one of ${FACTOR_MODELS.join(', ')} (e.g. POST /v1/models/train {"model":"als"})`);
  const { dims, rows, index } = model.learnedFactors(entity);
  const ids = Array.from(index, (i) => (entity === 'customers' ? trained.customers.id(i) : trained.products.id(i)));
  return { dims, rows, ids };
}

/** The top two eigenvectors (and eigenvalues) of a symmetric d x d matrix, by power iteration with deflation. */
function topTwo(cov: Float64Array, d: number, seed: number): { vectors: Float64Array[]; values: number[] } {
  const m = Float64Array.from(cov);
  const vectors: Float64Array[] = [];
  const values: number[] = [];
  for (let c = 0; c < Math.min(2, d); c++) {
    let v = Float64Array.from({ length: d }, (_, i) => 1 + ((i * 7919 + seed + c) % 13) / 13);
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      const w = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) w[i] += m[i * d + j] * v[j];
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      for (let i = 0; i < d; i++) w[i] /= norm;
      lambda = norm;
      v = w;
    }
    vectors.push(v);
    values.push(lambda);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m[i * d + j] -= lambda * v[i] * v[j];
  }
  while (vectors.length < 2) {
    vectors.push(new Float64Array(d));
    values.push(0);
  }
  return { vectors, values };
}

async function pointValues(store: Store, entity: ProjectionRequest['entity'], attribute: string, ids: ReadonlySet<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (entity === 'products' && attribute === 'type') {
    for (const [id, type] of await store.productTypes()) if (ids.has(id) && type !== '') out.set(id, type);
    return out;
  }
  for (const [id, v] of await attributeValues(store, entity === 'customers' ? 'customer' : 'product', attribute, ids)) if (v !== null) out.set(id, v);
  return out;
}

export async function projectFactors(trained: TrainedModel, store: Store, req: ProjectionRequest): Promise<Projection> {
  const { dims, rows, ids } = factorRows(trained, req.entity);
  const n = ids.length;
  if (n === 0) throw new NextbestError('UNSUITABLE_DATA', `model ${trained.model.name} learned no ${req.entity}' factors`);
  if (req.clusters > n) throw new NextbestError('BAD_OPTION', `clusters=${req.clusters} is more than the ${n} ${req.entity} with learned factors; ask for fewer`);
  const stride = Math.max(1, n / req.limit);
  const picked: number[] = [];
  for (let s = 0; Math.floor(s) < n && picked.length < req.limit; s += stride) picked.push(Math.floor(s));
  const x = new Float32Array(picked.length * dims);
  picked.forEach((i, j) => x.set(rows.subarray(i * dims, (i + 1) * dims), j * dims));

  const mean = new Float64Array(dims);
  for (let j = 0; j < picked.length; j++) for (let d = 0; d < dims; d++) mean[d] += x[j * dims + d] / picked.length;
  const cov = new Float64Array(dims * dims);
  for (let j = 0; j < picked.length; j++)
    for (let a = 0; a < dims; a++) {
      const da = x[j * dims + a] - mean[a];
      for (let b = 0; b < dims; b++) cov[a * dims + b] += (da * (x[j * dims + b] - mean[b])) / picked.length;
    }
  let trace = 0;
  for (let d = 0; d < dims; d++) trace += cov[d * dims + d];
  const { vectors, values } = topTwo(cov, dims, req.seed ?? 1);
  const { assignments } = kmeans(x, dims, { k: Math.min(req.clusters, picked.length), seed: req.seed ?? 1 });

  const pickedIds = picked.map((i) => ids[i]);
  const values_ = req.attribute ? await pointValues(store, req.entity, req.attribute, new Set(pickedIds)) : new Map<string, string>();
  const points = pickedIds.map((id, j) => {
    let px = 0;
    let py = 0;
    for (let d = 0; d < dims; d++) {
      const c = x[j * dims + d] - mean[d];
      px += c * vectors[0][d];
      py += c * vectors[1][d];
    }
    return { id, x: px, y: py, cluster: assignments[j], value: values_.get(id) ?? null };
  });
  let adjustedRand: number | null = null;
  const labelled = points.filter((p) => p.value !== null);
  if (req.attribute && labelled.length > 1) {
    const codes = new Map<string, number>();
    const truth = labelled.map((p) => codes.get(p.value as string) ?? (codes.set(p.value as string, codes.size), codes.size - 1));
    adjustedRand = adjustedRandIndex(Int32Array.from(labelled, (p) => p.cluster), Int32Array.from(truth));
  }
  return {
    entity: req.entity,
    factors: dims,
    points,
    total: n,
    clusters: Math.min(req.clusters, picked.length),
    explained: [trace > 0 ? values[0] / trace : 0, trace > 0 ? values[1] / trace : 0],
    attribute: req.attribute,
    adjustedRand,
  };
}
