// The feature fields of a two-tower model: side-feature columns grouped by the attribute they encode
// ("segment=MASS" and "segment=AFFLUENT" are field "attr:segment", "age#3" is "attr:age", the genres
// "genre:Action=1" .. one field "attr:genre"; context "tod=morning" is "context:tod"). Each field is
// one embedding bag in its tower, and the tower's attention weighs fields, so its weights name them.
import type { SparseRow } from '../../matrix/index.js';
import { attributeOf } from '../fm/index.js';

export interface FeatureFields {
  /** Field names in order, e.g. ["attr:age", "attr:gender"]. */
  names: string[];
  /** The field of each column. */
  fieldOf: Int32Array;
}

/** The attribute a feature name encodes (fm's attributeOf: before "=" or "#"), less a ":" namespace's tail ("genre:Action=1" is "genre"). */
function fieldAttribute(feature: string): string {
  const name = attributeOf(feature);
  const colon = name.indexOf(':');
  return colon > 0 ? name.slice(0, colon) : name;
}

/** Columns grouped into fields "<kind>:<attribute>", in order of first appearance. */
export function featureFields(features: readonly string[], kind: 'attr' | 'context'): FeatureFields {
  const index = new Map<string, number>();
  const fieldOf = Int32Array.from(features, (f) => {
    const name = `${kind}:${fieldAttribute(f)}`;
    let at = index.get(name);
    if (at === undefined) index.set(name, (at = index.size));
    return at;
  });
  return { names: [...index.keys()], fieldOf };
}

/**
 * A row with each field's values scaled to sum 1 (the field's embedding bag is then the mean of its
 * columns' embeddings, weighted by the values), zero and negative values dropped.
 */
export function perFieldMean(row: SparseRow, fields: FeatureFields): SparseRow {
  const sums = new Float64Array(fields.names.length);
  for (let t = 0; t < row.indices.length; t++) if (row.data[t] > 0) sums[fields.fieldOf[row.indices[t]]] += row.data[t];
  const indices: number[] = [];
  const data: number[] = [];
  for (let t = 0; t < row.indices.length; t++)
    if (row.data[t] > 0) {
      indices.push(row.indices[t]);
      data.push(row.data[t] / sums[fields.fieldOf[row.indices[t]]]);
    }
  return { indices: Int32Array.from(indices), data: Float32Array.from(data) };
}
