// An in-memory IngestSink for loader tests: collects everything in arrays.
import type { Customer, Event, Offer, Product } from '../../src/data/model.js';
import type { IngestSink, SnapshotCounts } from '../../src/data/sink.js';

export interface Rejected {
  line: number;
  reason: string;
  raw: string;
}

export class MemorySink implements IngestSink {
  readonly customers: Customer[] = [];
  readonly products: Product[] = [];
  readonly productHints: Product[] = [];
  readonly offers: Offer[] = [];
  readonly events: Event[] = [];
  readonly rejects: Rejected[] = [];

  customer(c: Customer): void {
    this.customers.push(c);
  }
  product(p: Product): void {
    this.products.push(p);
  }
  productHint(p: Product): void {
    this.productHints.push(p);
  }
  offer(o: Offer): void {
    this.offers.push(o);
  }
  event(e: Event): void {
    this.events.push(e);
  }
  reject(line: number, reason: string, raw: string): void {
    this.rejects.push({ line, reason, raw });
  }
  snapshots(): Promise<SnapshotCounts> {
    return Promise.reject(new Error('snapshots are not supported by MemorySink'));
  }

  /** Whether anything at all was written (loaders must throw before writing on a wrong format). */
  get written(): number {
    return this.customers.length + this.products.length + this.productHints.length + this.offers.length +
      this.events.length + this.rejects.length;
  }
}
