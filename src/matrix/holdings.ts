// Monthly product holdings as customer state (the Santander task): per month, a bitmask of the products
// each customer holds at the end of it. A customer is in a month's state from the first month the
// store holds a product for them (a later month with nothing held is an empty state, as snapshots
// record no row for it). What a customer adds in month t is what they hold at t and did not at t - 1.
import { NextbestError } from '../core/errors.js';
import type { HoldingBatch } from '../data/rows.js';
import { CsrMatrix } from './csr.js';
import { IdMap } from './id-map.js';

/** Bitmasks hold at most this many products. */
export const MAX_HELD_PRODUCTS = 32;

export class MonthlyHoldings {
  constructor(
    /** Snapshot dates, epoch seconds, ascending. */
    readonly months: Float64Array,
    readonly customers: IdMap,
    /** Every product anyone holds; bit j of a mask is products.id(j). */
    readonly products: IdMap,
    /** One mask per customer for each month (index as months). */
    readonly masks: readonly Uint32Array[],
    /** Index of each customer's first month with holdings. */
    readonly first: Int32Array,
  ) {}

  /** Streams the store's holdings (month by month) into masks. */
  static async load(batches: AsyncIterable<HoldingBatch>): Promise<MonthlyHoldings> {
    const customers = new IdMap();
    const products = new IdMap();
    const months: number[] = [];
    // (customer, month index, mask) triples until the customer count is known.
    let cust = new Int32Array(1 << 16);
    let mon = new Int32Array(1 << 16);
    let mask = new Uint32Array(1 << 16);
    let n = 0;
    for await (const b of batches) {
      if (n + b.length > cust.length) {
        const size = Math.max(cust.length * 2, n + b.length);
        [cust, mon, mask] = [grow(cust, size), grow(mon, size), grow(mask, size)];
      }
      for (let i = 0; i < b.length; i++) {
        if (months.length === 0 || months[months.length - 1] !== b.month[i]) months.push(b.month[i]);
        let m = 0;
        for (const p of b.products[i]) {
          const j = products.add(p);
          if (j >= MAX_HELD_PRODUCTS)
            throw new NextbestError('UNSUITABLE_DATA', `the store's holdings name more than ${MAX_HELD_PRODUCTS} products; the adds task handles up to ${MAX_HELD_PRODUCTS} (the Santander layout has 24)`);
          m |= 1 << j;
        }
        cust[n] = customers.add(b.customer[i]);
        mon[n] = months.length - 1;
        mask[n++] = m >>> 0;
      }
    }
    const masks = months.map(() => new Uint32Array(customers.size));
    const first = new Int32Array(customers.size).fill(-1);
    for (let k = 0; k < n; k++) {
      masks[mon[k]][cust[k]] = mask[k];
      if (first[cust[k]] < 0) first[cust[k]] = mon[k];
    }
    return new MonthlyHoldings(Float64Array.from(months), customers, products, masks, first);
  }

  /** The first `count` months only (customers and products keep their indices). */
  upTo(count: number): MonthlyHoldings {
    return new MonthlyHoldings(this.months.slice(0, count), this.customers, this.products, this.masks.slice(0, count), this.first);
  }

  /** Whether customer u is in month t's state. */
  present(u: number, t: number): boolean {
    return this.first[u] >= 0 && this.first[u] <= t;
  }

  /** Customers in month t's state, by index. */
  presentAt(t: number): Int32Array {
    const out: number[] = [];
    for (let u = 0; u < this.customers.size; u++) if (this.present(u, t)) out.push(u);
    return Int32Array.from(out);
  }

  /** Products customer u added in month t (0 for t = 0 or a customer not present at t - 1). */
  added(u: number, t: number): number {
    return t > 0 && this.present(u, t - 1) ? (this.masks[t][u] & ~this.masks[t - 1][u]) >>> 0 : 0;
  }

  /** Products customer u dropped in month t. */
  dropped(u: number, t: number): number {
    return t > 0 ? (this.masks[t - 1][u] & ~this.masks[t][u]) >>> 0 : 0;
  }

  /** customers x products: 1 where the customer holds the product at the end of month t. */
  heldMatrix(t: number): CsrMatrix {
    return maskMatrix(this.masks[t], this.products.size);
  }

  /** customers x products: 1 where the customer added the product in month t. */
  addedMatrix(t: number): CsrMatrix {
    return maskMatrix(Uint32Array.from({ length: this.customers.size }, (_, u) => this.added(u, t)), this.products.size);
  }

  /** Index of a month given as a date (YYYY-MM-DD, matched to the day), or -1. */
  monthIndex(date: string): number {
    const s = Date.parse(`${date}T00:00:00Z`) / 1000;
    return this.months.indexOf(s);
  }

  /** A month as YYYY-MM-DD. */
  monthName(t: number): string {
    return new Date(this.months[t] * 1000).toISOString().slice(0, 10);
  }
}

function grow<T extends Int32Array | Uint32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** A bit count per mask. */
export const bitCount = (m: number): number => {
  let c = 0;
  for (let x = m >>> 0; x; x = (x & (x - 1)) >>> 0) c++;
  return c;
};

function maskMatrix(masks: Uint32Array, cols: number): CsrMatrix {
  const indptr = new Int32Array(masks.length + 1);
  for (let u = 0; u < masks.length; u++) indptr[u + 1] = indptr[u] + bitCount(masks[u]);
  const indices = new Int32Array(indptr[masks.length]);
  for (let u = 0, k = 0; u < masks.length; u++) for (let j = 0; j < cols; j++) if ((masks[u] >>> j) & 1) indices[k++] = j;
  return new CsrMatrix(masks.length, cols, indptr, indices, new Float32Array(indices.length).fill(1));
}
