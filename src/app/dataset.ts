// The dataset builder (after LightFM's Dataset): turns the store and a training log (a split's train
// part, or every event) into the TrainingSet each model needs. The log's id maps index everything;
// a model's `needs` (src/models/registry.ts) say which customer and product attributes and whether the
// pairs' context it trains on, and the store's attributes are read only for a model that needs them
// (streamed, keeping only the attributes it uses). Each set comes with its encoding (attributes,
// bucket cuts, feature names), which a saved model keeps so that scoring later encodes the store's
// current attributes the same way.
import { NextbestError } from '../core/errors.js';
import type { Attributes } from '../data/model.js';
import type { AttributeRow } from '../data/rows.js';
import {
  buildInteractions,
  buildPairContexts,
  buildSideFeatures,
  CsrMatrix,
  IdMap,
  type EventLog,
  type InteractionOptions,
  type SideFeatures,
  type SparseRow,
} from '../matrix/index.js';
import type { TrainingSet } from '../models/contract.js';
import { attributeMatches, type AttributeNeeds, type FeatureEncoding, type SideEncoding } from '../models/needs.js';
import { modelNeeds } from '../models/registry.js';
import type { StoreAccess } from './store-access.js';

type Entity = 'customer' | 'product';

export interface ModelRequest {
  name: string;
  params: Readonly<Record<string, string | number | boolean>>;
}

export interface ModelData {
  data: TrainingSet;
  features: FeatureEncoding;
}

const plural: Record<Entity, string> = { customer: 'customers', product: 'products' };

export class Dataset {
  constructor(private readonly store: StoreAccess) {}

  /**
   * The training set of one model: base's log and interactions (built from log when not given) plus
   * the side features the model's parameters ask for.
   */
  async forModel(model: ModelRequest, log: EventLog, interactionOptions: InteractionOptions = {}, base?: TrainingSet): Promise<ModelData> {
    const interactions = base?.interactions ?? buildInteractions(log, interactionOptions);
    const data: TrainingSet = { log, interactions };
    const features: FeatureEncoding = {};
    const needs = modelNeeds(model.name, model.params);
    if (!needs) return { data, features };
    for (const entity of ['customer', 'product'] as const) {
      const need = needs[entity];
      if (!need) continue;
      const side = await this.side(entity, entity === 'customer' ? log.customers : log.products, need, needs.who);
      data[entity === 'customer' ? 'customerFeatures' : 'productFeatures'] = side.features;
      features[entity] = side.encoding;
    }
    if (needs.context) {
      const exclude = [...needs.context.exclude];
      data.pairContexts = buildPairContexts(log, interactions.userItem, interactionOptions.weights, (key) => !exclude.includes(key));
      features.context = { exclude, features: [...data.pairContexts.features.ids()] };
    }
    return { data, features };
  }

  /**
   * The entities' current attributes encoded as a saved model encoded them in training: the same
   * attributes and bucket cuts, in the model's feature columns (a feature it never saw is dropped).
   */
  async encode(encoding: FeatureEncoding, customers: IdMap, products: IdMap): Promise<{ customer?: SideFeatures; product?: SideFeatures }> {
    const out: { customer?: SideFeatures; product?: SideFeatures } = {};
    for (const entity of ['customer', 'product'] as const) {
      const e = encoding[entity];
      if (!e) continue;
      const used = new Set(e.attributes);
      const { rows } = await this.scan(entity, (name) => used.has(name));
      out[entity] = encodeRows(e, entity === 'customer' ? customers : products, rows);
    }
    return out;
  }
  /** The entities' attribute rows that keep accepts, and the names of every attribute they have (streamed: only kept rows are held). */
  private async scan(entity: Entity, keep: (name: string) => boolean): Promise<{ rows: AttributeRow[]; names: string[] }> {
    return this.store.use(async (s) => {
      const rows: AttributeRow[] = [];
      const names = new Set<string>();
      for await (const batch of s.attributes(entity))
        for (const r of batch) {
          if (r.num === null && r.str === null) continue;
          names.add(r.name);
          if (keep(r.name)) rows.push(r);
        }
      return { rows, names: [...names].sort() };
    });
  }

  private async side(entity: Entity, entities: IdMap, need: AttributeNeeds, who: string): Promise<{ features: SideFeatures; encoding: SideEncoding }> {
    const { rows: kept, names } = await this.scan(entity, (name) => attributeMatches(need.attributes, name));
    const have = names.length ? `its ${plural[entity]} have ${names.join(', ')}` : `its ${plural[entity]} have no attributes`;
    for (const attribute of need.required ?? [])
      if (!names.includes(attribute))
        throw new NextbestError('UNSUITABLE_DATA', `${who} needs the ${entity} attribute "${attribute}", which the store ${this.store.name} lacks (${have}); ${need.requiredFix ?? `ingest ${plural[entity]} with ${attribute}`}`);
    if (!kept.length)
      throw new NextbestError(
        'UNSUITABLE_DATA',
        `${who} finds no ${entity} attributes${need.attributes ? ` matching ${need.attributes.join(',')}` : ''} in the store ${this.store.name} (${have}); ingest ${plural[entity]} with attributes or leave ${entity} out of features`,
      );
    const rows = need.categorical ? kept.map(asCategory) : kept;
    const features = buildSideFeatures(entities, rows, { numeric: 'bucket', buckets: need.buckets, normalize: need.normalize });
    const encoding: SideEncoding = {
      attributes: [...new Set(kept.map((r) => r.name))],
      cuts: Object.fromEntries(features.cuts ?? []),
      buckets: need.buckets,
      normalize: need.normalize,
      ...(need.categorical ? { categorical: true } : {}),
      features: [...features.features.ids()],
    };
    return { features, encoding };
  }
}

/** Entities' attribute rows encoded as a saved model encoded them in training (same attributes, cuts and columns). */
function encodeRows(e: SideEncoding, entities: IdMap, rows: AttributeRow[]): SideFeatures {
  const fresh = buildSideFeatures(entities, e.categorical ? rows.map(asCategory) : rows, {
    numeric: 'bucket',
    buckets: e.buckets,
    normalize: e.normalize,
    cuts: new Map(Object.entries(e.cuts)),
  });
  return inColumns(fresh, e.features);
}

/** One entity's attributes (as the store gives them) in a saved model's side-feature columns. */
export function encodeAttributes(e: SideEncoding, attributes: Attributes): SparseRow {
  const used = new Set(e.attributes);
  const rows: AttributeRow[] = Object.entries(attributes)
    .filter(([name, v]) => used.has(name) && v !== null)
    .map(([name, v]) => ({ id: '_', name, num: typeof v === 'number' ? v : null, str: typeof v === 'string' ? v : null }));
  return encodeRows(e, IdMap.from(['_']), rows).matrix.row(0);
}

/** A number as a category ("1"), as segment codes are. */
const asCategory = (r: AttributeRow): AttributeRow => (r.num === null ? r : { ...r, num: null, str: String(r.num) });

/** f with its columns renamed to `names`' positions (columns not in names dropped). */
function inColumns(f: SideFeatures, names: readonly string[]): SideFeatures {
  const target = IdMap.from(names);
  const to = Int32Array.from(f.features.ids(), (name) => target.index(name));
  const m = f.matrix;
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < m.rows; i++)
    for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) if (to[m.indices[k]] >= 0) (r.push(i), c.push(to[m.indices[k]]), v.push(m.data[k]));
  return { matrix: CsrMatrix.fromCoo(m.rows, target.size, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v)), features: target };
}
