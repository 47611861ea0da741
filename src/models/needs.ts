// What a model needs from the data besides its events, declared from its parameters (the registry's
// `needs`), so that one dataset builder (src/app/dataset.ts) loads customer and product attributes and
// event contexts only for the models that use them, and encodes them the same way when scoring later.

/** Attributes of one entity kind, as side features: categories one-hot, numbers in quantile buckets. */
export interface AttributeNeeds {
  /** Attribute names to use; a trailing * matches a prefix ("genre:*"); absent: every attribute. */
  attributes?: readonly string[];
  /** Attributes the model cannot run without: the store's entities must have them. */
  required?: readonly string[];
  /** What to do when the store lacks a required attribute, e.g. "set segmentAttribute to one of them". */
  requiredFix?: string;
  /** Quantile buckets per numeric attribute. */
  buckets: number;
  /** Scale each entity's row to sum 1 (LightFM's normalisation). */
  normalize: boolean;
  /** Numbers are categories too ("active_ind=1"), as segment codes are. */
  categorical?: boolean;
}

export interface DataNeeds {
  customer?: AttributeNeeds;
  product?: AttributeNeeds;
  /** The context of each pair's events (time of day, page, ...), without the keys excluded. */
  context?: { exclude: readonly string[] };
  /** What asks for them, for messages: 'model "popularity" with mode=segment'. */
  who: string;
}

/** Whether an attribute name is one of the patterns (absent: all). */
export const attributeMatches = (patterns: readonly string[] | undefined, name: string): boolean =>
  !patterns || patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name));

/** How one entity kind's attributes became side features, kept with a saved model to encode them again. */
export interface SideEncoding {
  /** The attributes used. */
  attributes: string[];
  /** Bucket cut points of each numeric attribute. */
  cuts: Record<string, number[]>;
  buckets: number;
  normalize: boolean;
  categorical?: boolean;
  /** Feature names ("segment=MASS", "age#3") in the model's column order. */
  features: string[];
}

/** The side features a model was trained with: what scoring it later encodes the same way. */
export interface FeatureEncoding {
  customer?: SideEncoding;
  product?: SideEncoding;
  /** Context keys left out, and the context feature names ("tod=morning") in the model's column order. */
  context?: { exclude: string[]; features: string[] };
}
