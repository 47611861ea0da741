// The columnar event log every training view and evaluation split is cut from: one typed array per
// field instead of one object per event, so 20 M events fit in a few hundred MB and scan quickly.
import { NextbestError } from '../core/errors.js';
import { EVENT_TYPES, type EventType } from '../data/model.js';
import { IdMap } from './id-map.js';
import { stableArgsort } from './sort.js';

export interface EventLog {
  readonly customers: IdMap;
  readonly products: IdMap;
  /** Context features as "key=value". */
  readonly contexts: IdMap;
  readonly customer: Int32Array;
  readonly product: Int32Array;
  /** Epoch seconds. */
  readonly time: Float64Array;
  /** Index into EVENT_TYPES. */
  readonly type: Uint8Array;
  readonly value: Float32Array;
  /** Event i's context ids are contextIds[contextPtr[i] .. contextPtr[i+1]); length is length + 1. */
  readonly contextPtr: Int32Array;
  readonly contextIds: Int32Array;
  readonly length: number;
}

const TYPE_CODE = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));

/** Position of an event type in EVENT_TYPES, as stored in EventLog.type. */
export function eventTypeCode(type: EventType): number {
  const code = TYPE_CODE.get(type);
  if (code === undefined) throw new NextbestError('INVALID_EVENT', `unknown event type "${String(type)}"`);
  return code;
}

export interface EventLogMaps {
  customers?: IdMap;
  products?: IdMap;
  contexts?: IdMap;
}

export class EventLogBuilder {
  readonly customers: IdMap;
  readonly products: IdMap;
  readonly contexts: IdMap;
  private n = 0;
  private nContext = 0;
  private customer: Int32Array = new Int32Array(1024);
  private product: Int32Array = new Int32Array(1024);
  private time: Float64Array = new Float64Array(1024);
  private type: Uint8Array = new Uint8Array(1024);
  private value: Float32Array = new Float32Array(1024);
  private contextPtr: Int32Array = new Int32Array(1025);
  private contextIds: Int32Array = new Int32Array(1024);

  /** Pass existing maps to keep indices aligned with another log or a saved model. */
  constructor(maps: EventLogMaps = {}) {
    this.customers = maps.customers ?? new IdMap();
    this.products = maps.products ?? new IdMap();
    this.contexts = maps.contexts ?? new IdMap();
  }

  get length(): number {
    return this.n;
  }

  /** Registers a customer without events, so cold-start customers still get a row. */
  addCustomer(id: string): number {
    return this.customers.add(id);
  }

  addProduct(id: string): number {
    return this.products.add(id);
  }

  add(
    customerId: string,
    productId: string,
    time: number,
    type: EventType,
    value: number,
    context?: Record<string, string>,
  ): void {
    if (!Number.isFinite(time)) throw new NextbestError('INVALID_EVENT', `event time must be a finite number, got ${time}`);
    if (!Number.isFinite(value))
      throw new NextbestError('INVALID_EVENT', `event value must be a finite number, got ${value}`);
    const code = eventTypeCode(type);
    if (this.n === this.customer.length) this.grow();
    const i = this.n++;
    this.customer[i] = this.customers.add(customerId);
    this.product[i] = this.products.add(productId);
    this.time[i] = time;
    this.type[i] = code;
    this.value[i] = value;
    if (context) {
      for (const key in context) {
        if (this.nContext === this.contextIds.length) this.contextIds = growInt32(this.contextIds);
        this.contextIds[this.nContext++] = this.contexts.add(`${key}=${context[key]}`);
      }
    }
    this.contextPtr[i + 1] = this.nContext;
  }

  /** A trimmed copy; the builder stays usable and later builds include later events. */
  build(): EventLog {
    const n = this.n;
    return {
      customers: this.customers,
      products: this.products,
      contexts: this.contexts,
      customer: this.customer.slice(0, n),
      product: this.product.slice(0, n),
      time: this.time.slice(0, n),
      type: this.type.slice(0, n),
      value: this.value.slice(0, n),
      contextPtr: this.contextPtr.slice(0, n + 1),
      contextIds: this.contextIds.slice(0, this.nContext),
      length: n,
    };
  }

  private grow(): void {
    const cap = this.customer.length * 2;
    this.customer = resize(this.customer, new Int32Array(cap));
    this.product = resize(this.product, new Int32Array(cap));
    this.time = resize(this.time, new Float64Array(cap));
    this.type = resize(this.type, new Uint8Array(cap));
    this.value = resize(this.value, new Float32Array(cap));
    this.contextPtr = resize(this.contextPtr, new Int32Array(cap + 1));
  }
}

function resize<T extends Int32Array | Float64Array | Uint8Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

const growInt32 = (a: Int32Array): Int32Array => resize(a, new Int32Array(a.length * 2));

/**
 * The events at the given rows, in the given order (repeats allowed), sharing the source's id maps
 * so indices stay comparable across the train and test parts of a split.
 */
export function subset(log: EventLog, rows: Int32Array): EventLog {
  const n = rows.length;
  const customer = new Int32Array(n);
  const product = new Int32Array(n);
  const time = new Float64Array(n);
  const type = new Uint8Array(n);
  const value = new Float32Array(n);
  const contextPtr = new Int32Array(n + 1);
  let nContext = 0;
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    if (!(i >= 0 && i < log.length))
      throw new NextbestError('INTERNAL', `row ${i} is outside the event log (length ${log.length})`);
    customer[k] = log.customer[i];
    product[k] = log.product[i];
    time[k] = log.time[i];
    type[k] = log.type[i];
    value[k] = log.value[i];
    nContext += log.contextPtr[i + 1] - log.contextPtr[i];
    contextPtr[k + 1] = nContext;
  }
  const contextIds = new Int32Array(nContext);
  for (let k = 0, p = 0; k < n && p < nContext; k++) {
    const i = rows[k];
    for (let q = log.contextPtr[i]; q < log.contextPtr[i + 1]; q++) contextIds[p++] = log.contextIds[q];
  }
  return {
    customers: log.customers,
    products: log.products,
    contexts: log.contexts,
    customer,
    product,
    time,
    type,
    value,
    contextPtr,
    contextIds,
    length: n,
  };
}

/** Row permutation putting events in time order; ties keep their original order. */
export function sortByTime(log: EventLog): Int32Array {
  return stableArgsort(log.time);
}
