// The shapes of the /v1 answers the pages read (the server's zod schemas are the source; see /openapi.json).
export type Counts = number[];

export interface Overview {
  counts: { customers: number; products: number; events: number; holdings: number };
  eventsByType: Record<string, number>;
  overTime: { bucket: 'day' | 'month'; periods: string[]; series: Record<string, Counts> };
  funnel: { type: string; events: number; customers: number }[];
  popularity: { product: string; name: string | null; type: string; events: number; customers: number; byType: Record<string, number> }[];
  coHolding: { source: 'snapshots' | 'events'; products: string[]; counts: Counts[] };
  segments: { attribute: string; rows: { value: string; customers: number; customersWithEvents: number; events: number; displays: number; clicks: number; checkouts: number }[] };
  clickRate: { source: 'context' | 'timestamp'; times: string[]; pages: string[]; displays: Counts[]; clicks: Counts[]; rate: (number | null)[][] };
  coldStart: { customers: number; withEvents: number; cold: number; share: number };
  holdings: { months: string[]; products: string[]; held: Counts[]; added: Counts[] } | null;
}

export type Figure = number | null;

export interface EvaluationRun {
  report: string;
  evaluatedAt: string;
  task: 'ranking' | 'adds';
  split: string;
  k: number;
  customers: number;
  baseline: string;
  warning: string | null;
  models: {
    name: string;
    params: Record<string, unknown>;
    metrics: Record<string, Figure>;
    intervals: Record<string, { low: Figure; high: Figure }>;
    vsBaseline: { metric: string; meanDiff: Figure; p: Figure; low?: Figure; high?: Figure } | null;
    fitSeconds: number;
    scoreSeconds: number;
    curve?: Record<string, Figure>;
  }[];
}

export interface SavedModel {
  name: string;
  active: boolean;
  model: string | null;
  task: 'ranking' | 'rating' | 'classification' | null;
  params: Record<string, unknown>;
  trainedAt: string;
  events: number | null;
  fitSeconds: number | null;
  bytes: number;
}

export interface Models {
  active: string | null;
  activeFile: string | null;
  models: SavedModel[];
}

export interface Job {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  phase: string;
  progress: number;
  request: { model: string; name: string; activate: boolean };
  result: { fitSeconds: number; events: number } | null;
  activated: boolean;
  error: { code: string; message: string } | null;
}

export interface Reason {
  kind: string;
  text: string;
  product?: string;
  productName?: string;
  /** held-product: how `weight` relates the product to the history one; 'attention' from sequence models. */
  measure?: 'contribution' | 'similarity' | 'attention';
  weight?: number | null;
  total?: number | null;
  group?: string;
  feature?: string;
  /** two-tower: each tower's attention weight of each feature field for this product. */
  attention?: { customer: Record<string, number>; product: Record<string, number> };
}

export interface Recommendations {
  customer: string;
  model: string;
  known: boolean;
  liveEvents: boolean;
  coldStart: { basis: string; segment: string | null } | null;
  context?: { used: Record<string, string>; averaged: string[] };
  recommendations: { rank: number; product: string; score: number; reason?: Reason }[];
  debug?: {
    removed: { product: string; rule: string; detail: string }[];
    moved: { product: string; rule: string; detail: string; from: number; to: number | null }[];
  };
}

export interface CustomerOffers {
  at: string;
  acceptModel: string | null;
  recommendations: { rank: number; product: string; score: number; offer: { id: string; reward: string; rewardValue: number | null } | null; pAccept: number | null; expectedValue: number | null; blended: number; reason?: Reason }[];
}

export interface Profile {
  customer: string;
  attributes: Record<string, string | number | null>;
  snapshotMonth: string | null;
  holdings: { product: string; since: string | null }[];
  recentEvents: { eventId: string | null; product: string; type: string; timestamp: string; received: string | null; value: number; context: Record<string, string> }[];
}

export interface Product {
  product: string;
  name: string | null;
  type: string;
}

export interface ProductDetail extends Product {
  attributes: Record<string, string | number | null>;
  eventsByType: Record<string, number>;
  holders: { count: number; customers: string[]; attribute: string; byAttribute: { value: string; customers: number }[] };
}

export interface Offer {
  id: string;
  product: string;
  reward: string;
  rewardValue: number | null;
  validFrom: string | null;
  validTo: string | null;
  retiredAt: string | null;
  active: boolean;
}

export interface Projection {
  model: string;
  entity: 'customers' | 'products';
  factors: number;
  total: number;
  clusters: number;
  explained: number[];
  attribute: string | null;
  adjustedRand: number | null;
  points: { id: string; x: number; y: number; cluster: number; value: string | null }[];
}
