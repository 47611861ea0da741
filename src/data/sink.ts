// What a loader writes into: the canonical entities one at a time, rejected rows with their line and
// reason, and (for monthly product-holding snapshots, which can be 13 M rows) a bulk path the store
// runs natively. The store implements it; tests can implement it in memory.
import type { Customer, Event, Offer, Product } from './model.js';

/** Monthly snapshot file: one row per customer and month, one 0/1 column per product (Santander layout). */
export interface SnapshotSpec {
  path: string;
  delimiter: string;
  monthColumn: string;
  customerColumn: string;
  products: { column: string; productId: string; type: string; description: string }[];
  /** Customer attribute columns; the latest month's value is kept. */
  attributes: { column: string; name: string; kind: 'num' | 'cat' }[];
  /** Values that mean "missing" besides the empty field. */
  nullValues: string[];
}

export interface SnapshotCounts {
  rows: number;
  rejected: number;
  customers: number;
  holdings: number;
  acquisitions: number;
  drops: number;
}

export interface IngestSink {
  customer(c: Customer): void;
  /** A product as a catalogue file gives it: its type, description and attributes replace the store's. */
  product(p: Product): void;
  /**
   * A product as an event row describes it: it only fills in a type or description the store (or a
   * catalogue file in the same load) does not give, so event rows never overwrite the catalogue.
   */
  productHint(p: Product): void;
  offer(o: Offer): void;
  event(e: Event): void;
  /** Records a rejected source row; the row is not loaded. */
  reject(line: number, reason: string, raw: string): void;
  /** Loads monthly snapshots in bulk; rejected rows go to the same rejects file. */
  snapshots(spec: SnapshotSpec, onProgress?: (fraction: number) => void): Promise<SnapshotCounts>;
}

export interface LoadCounts {
  accepted: number;
  rejected: number;
}

export interface LoadOptions {
  /** Column-mapping file (generic event CSV): JSON object { canonicalName: "column in the file" }. */
  mapping?: string;
  /** Called with the fraction of the input read so far (0..1). */
  onProgress?: (fraction: number) => void;
  /** Called with what the input lacks though the load goes on (e.g. a MovieLens folder without u.user). */
  onWarning?: (message: string) => void;
}

/** A source format: validates and streams one input (file or folder) into a sink. */
export interface Loader {
  readonly format: string;
  readonly description: string;
  /**
   * Must throw a NextbestError (WRONG_FORMAT / WRONG_COLUMNS / FILE_NOT_FOUND) before writing
   * anything when the input is not of this format.
   */
  load(input: string, sink: IngestSink, options: LoadOptions): Promise<LoadCounts>;
}
