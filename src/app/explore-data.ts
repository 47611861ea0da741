// What the dashboard's Data page shows, computed in one pass over the store's events (and, when the
// store has Santander-style monthly holdings, one pass over those): events per day by type, the
// DISPLAY -> CLICK -> CHECKOUT funnel, product popularity, co-holding between the most held products,
// a breakdown by a customer attribute (the segment), click rate by time of day x page, the cold-start
// share, and products held and added per month. Works on any Store backend.
import type { Store, StoreCounts } from '../store/store.js';
import { attributeValues } from './attribute-values.js';

/** Events per day (per month when the events span more than MAX_DAYS days), by type. */
export interface EventsOverTime {
  bucket: 'day' | 'month';
  periods: string[];
  /** By event type: one count per period. */
  series: Record<string, number[]>;
}

export interface FunnelStage {
  type: 'display' | 'click' | 'checkout';
  events: number;
  customers: number;
}

export interface ProductPopularity {
  product: string;
  name: string | null;
  type: string;
  events: number;
  customers: number;
  /** Events by type. */
  byType: Record<string, number>;
}

export interface CoHolding {
  /** What "held" means here: the latest monthly snapshot, or acquire / checkout events without snapshots. */
  source: 'snapshots' | 'events';
  products: string[];
  /** counts[i][j]: customers holding both products i and j (the diagonal: customers holding i). */
  counts: number[][];
}

export interface SegmentRow {
  value: string;
  customers: number;
  customersWithEvents: number;
  events: number;
  displays: number;
  clicks: number;
  checkouts: number;
}

export interface ClickRateGrid {
  /** Where the time of day comes from: the events' `tod` context, or the hour of their timestamps (UTC). */
  source: 'context' | 'timestamp';
  times: string[];
  pages: string[];
  displays: number[][];
  clicks: number[][];
  /** clicks / displays per cell (null without displays). */
  rate: (number | null)[][];
}

export interface HoldingsByMonth {
  months: string[];
  /** The most held products (the rest summed as "other"). */
  products: string[];
  /** held[p][m]: customers holding product p in month m. */
  held: number[][];
  /** added[p][m]: customers holding p in month m who did not hold it the month before (0 in the first month). */
  added: number[][];
}

export interface DataOverview {
  counts: { customers: number; products: number; events: number; holdings: number };
  eventsByType: Record<string, number>;
  overTime: EventsOverTime;
  funnel: FunnelStage[];
  popularity: ProductPopularity[];
  coHolding: CoHolding;
  segments: { attribute: string; rows: SegmentRow[] };
  clickRate: ClickRateGrid;
  coldStart: { customers: number; withEvents: number; cold: number; share: number };
  holdings: HoldingsByMonth | null;
}

export interface OverviewOptions {
  /** The customer attribute of the breakdown (the server's segment attribute). */
  segmentAttribute: string;
  /** Products in the popularity chart (default 20). */
  topProducts?: number;
  /** Products in the co-holding heatmap and the monthly holdings (default 12). */
  heatmapProducts?: number;
}

const MAX_DAYS = 400;
const TIMES = ['morning', 'afternoon', 'evening', 'night'];
const FUNNEL = ['display', 'click', 'checkout'] as const;

/** A segment's event counts as the pass adds them up; `customers`: those with events. */
interface SegmentCounts {
  events: number;
  displays: number;
  clicks: number;
  checkouts: number;
  customers: number;
}

/** The synthetic data's convention (docs/synthetic-data.md): morning 06-11, afternoon 12-17, evening 18-22, night 23-05. */
function timeOfHour(hour: number): string {
  if (hour >= 6 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 18) return 'afternoon';
  if (hour >= 18 && hour < 23) return 'evening';
  return 'night';
}

const inc = <K>(m: Map<K, number>, k: K, by = 1): void => void m.set(k, (m.get(k) ?? 0) + by);
const DAY = 86400;
const day = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);
/** The UTC hour of a time in epoch seconds (no Date per event). */
const hourOf = (seconds: number): number => Math.floor((((seconds % DAY) + DAY) % DAY) / 3600);

/** Cells by (tod, page), the pages and times in a stable order (known times first). */
function grid(cells: Map<string, { displays: number; clicks: number }>, source: ClickRateGrid['source']): ClickRateGrid {
  const times = new Set<string>();
  const pages = new Set<string>();
  for (const key of cells.keys()) {
    const [t, p] = key.split('\u0000');
    times.add(t);
    pages.add(p);
  }
  const timeList = [...TIMES.filter((t) => times.has(t)), ...[...times].filter((t) => !TIMES.includes(t)).sort()];
  const pageList = [...pages].sort();
  const at = (t: string, p: string) => cells.get(`${t}\u0000${p}`) ?? { displays: 0, clicks: 0 };
  return {
    source,
    times: timeList,
    pages: pageList,
    displays: timeList.map((t) => pageList.map((p) => at(t, p).displays)),
    clicks: timeList.map((t) => pageList.map((p) => at(t, p).clicks)),
    rate: timeList.map((t) => pageList.map((p) => (at(t, p).displays > 0 ? at(t, p).clicks / at(t, p).displays : null))),
  };
}

function coHoldingOf(held: Iterable<readonly string[]>, top: number, source: CoHolding['source']): CoHolding {
  const sets: (readonly string[])[] = [];
  const holders = new Map<string, number>();
  for (const products of held) {
    sets.push(products);
    for (const p of products) inc(holders, p);
  }
  const products = [...holders.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top).map(([p]) => p);
  const index = new Map(products.map((p, i) => [p, i]));
  const counts = products.map(() => products.map(() => 0));
  for (const set of sets) {
    const idx = set.map((p) => index.get(p)).filter((i): i is number => i !== undefined);
    for (const i of idx) for (const j of idx) counts[i][j]++;
  }
  return { source, products, counts };
}

async function holdingsByMonth(store: Store, top: number): Promise<HoldingsByMonth> {
  const months: number[] = [];
  // Per product, one count per month (index into months).
  const held = new Map<string, number[]>();
  const added = new Map<string, number[]>();
  const previous = new Map<string, { month: number; products: readonly string[] }>();
  const count = (m: Map<string, number[]>, p: string, month: number) => {
    let row = m.get(p);
    if (!row) m.set(p, (row = []));
    row[month] = (row[month] ?? 0) + 1;
  };
  for await (const b of store.holdings()) {
    for (let i = 0; i < b.length; i++) {
      const month = b.month[i];
      if (months[months.length - 1] !== month) months.push(month);
      const m = months.length - 1;
      const prev = previous.get(b.customer[i]);
      const before = prev && prev.month === m - 1 ? prev.products : [];
      const products = b.products[i];
      for (const p of products) {
        count(held, p, m);
        if (m > 0 && !before.includes(p)) count(added, p, m); // lists of a few products: includes is cheap
      }
      previous.set(b.customer[i], { month: m, products });
    }
  }
  const totals = [...held.entries()].map(([p, row]) => [p, row.reduce((a, v) => a + (v ?? 0), 0)] as const);
  const products = totals.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top).map(([p]) => p);
  const row = (m: Map<string, number[]>, p: string) => months.map((_, j) => m.get(p)?.[j] ?? 0);
  const others = [...held.keys()].filter((p) => !products.includes(p));
  const other = (m: Map<string, number[]>) => months.map((_, j) => others.reduce((s, p) => s + (m.get(p)?.[j] ?? 0), 0));
  const hasOther = others.length > 0;
  return {
    months: months.map((s) => day(s)),
    products: hasOther ? [...products, 'other'] : products,
    held: [...products.map((p) => row(held, p)), ...(hasOther ? [other(held)] : [])],
    added: [...products.map((p) => row(added, p)), ...(hasOther ? [other(added)] : [])],
  };
}

/** The overview of `store`, whose `counts` the caller has just read (store.counts()). */
export async function dataOverview(store: Store, counts: StoreCounts, opts: OverviewOptions): Promise<DataOverview> {
  const topProducts = opts.topProducts ?? 20;
  const heatmapProducts = opts.heatmapProducts ?? 12;
  const [names, types] = await Promise.all([store.productDescriptions(), store.productTypes()]);

  // A customer whose segment the store holds as missing is in segment '', one without it in '(none)'.
  const segmentValues = await attributeValues(store, 'customer', opts.segmentAttribute);
  const segmentOf = (id: string): string => {
    const v = segmentValues.get(id);
    return v === undefined ? '(none)' : (v ?? '');
  };
  const segmentCustomers = new Map<string, number>();
  for await (const ids of store.ids('customer')) for (const id of ids) inc(segmentCustomers, segmentOf(id));

  const byDay = new Map<number, Map<string, number>>(); // by day number (epoch days)
  const byType = new Map<string, number>();
  // Customers as numbers, with a bit per what they did (STAGE_BITS) and their segment's row.
  const customerIndex = new Map<string, number>();
  const did: number[] = [];
  const segmentOfIndex: SegmentCounts[] = [];
  const products = new Map<string, { events: number; customers: Set<number>; byType: Record<string, number> }>();
  const segments = new Map<string, SegmentCounts>();
  const contextCells = new Map<string, { displays: number; clicks: number }>();
  const hourCells = new Map<string, { displays: number; clicks: number }>();
  const parsed = new Map<string, { tod?: string; page?: string }>();
  const acquired = new Map<number, Set<string>>();
  let first = Infinity;
  let last = -Infinity;

  for await (const b of store.events()) {
    for (let i = 0; i < b.length; i++) {
      const type = b.type[i];
      const customer = b.customer[i];
      const product = b.product[i];
      const time = b.time[i];
      if (time < first) first = time;
      if (time > last) last = time;
      const d = Math.floor(time / DAY);
      let perType = byDay.get(d);
      if (!perType) byDay.set(d, (perType = new Map()));
      inc(perType, type);
      inc(byType, type);
      let c = customerIndex.get(customer);
      if (c === undefined) {
        customerIndex.set(customer, (c = did.length));
        did.push(0);
        const segment = segmentOf(customer);
        let row = segments.get(segment);
        if (!row) segments.set(segment, (row = { events: 0, displays: 0, clicks: 0, checkouts: 0, customers: 0 }));
        row.customers++;
        segmentOfIndex.push(row);
      }
      const stage = FUNNEL.indexOf(type as (typeof FUNNEL)[number]);
      if (stage >= 0) did[c] |= 1 << stage;
      let p = products.get(product);
      if (!p) products.set(product, (p = { events: 0, customers: new Set(), byType: {} }));
      p.events++;
      p.customers.add(c);
      p.byType[type] = (p.byType[type] ?? 0) + 1;
      const s = segmentOfIndex[c];
      s.events++;
      if (type === 'display') s.displays++;
      else if (type === 'click') s.clicks++;
      else if (type === 'checkout') s.checkouts++;
      if (type === 'acquire' || type === 'checkout') {
        let held = acquired.get(c);
        if (!held) acquired.set(c, (held = new Set()));
        held.add(product);
      }
      if (type === 'display' || type === 'click') {
        const json = b.context[i];
        let ctx = parsed.get(json);
        if (!ctx) parsed.set(json, (ctx = JSON.parse(json) as { tod?: string; page?: string }));
        const page = ctx.page ?? '(none)';
        const cell = (cells: Map<string, { displays: number; clicks: number }>, tod: string) => {
          const key = `${tod}\u0000${page}`;
          let x = cells.get(key);
          if (!x) cells.set(key, (x = { displays: 0, clicks: 0 }));
          if (type === 'display') x.displays++;
          else x.clicks++;
        };
        if (ctx.tod !== undefined) cell(contextCells, ctx.tod);
        cell(hourCells, timeOfHour(hourOf(time)));
      }
    }
  }
  const stageCustomers = FUNNEL.map((_, stage) => did.reduce((n, bits) => n + ((bits >> stage) & 1), 0));

  const monthly = Number.isFinite(first) && (last - first) / 86400 > MAX_DAYS;
  const periodOf = (d: string) => (monthly ? d.slice(0, 7) : d);
  const periods = new Map<string, Map<string, number>>();
  for (const [d, m] of [...byDay.entries()].sort((a, b) => a[0] - b[0])) {
    const key = periodOf(day(d * DAY));
    if (!periods.has(key)) periods.set(key, new Map());
    for (const [t, n] of m) inc(periods.get(key) as Map<string, number>, t, n);
  }
  const eventTypes = [...byType.keys()].sort((a, b) => (byType.get(b) ?? 0) - (byType.get(a) ?? 0));
  const overTime: EventsOverTime = {
    bucket: monthly ? 'month' : 'day',
    periods: [...periods.keys()],
    series: Object.fromEntries(eventTypes.map((t) => [t, [...periods.values()].map((m) => m.get(t) ?? 0)])),
  };

  const popularity = [...products.entries()]
    .sort((a, b) => b[1].events - a[1].events || a[0].localeCompare(b[0]))
    .slice(0, topProducts)
    .map(([product, p]) => ({
      product,
      name: names.get(product) ?? null,
      type: types.get(product) ?? '',
      events: p.events,
      customers: p.customers.size,
      byType: p.byType,
    }));

  let coHolding: CoHolding;
  if (counts.holdings > 0) {
    const latest: string[][] = [];
    for await (const rows of store.latestHoldings()) for (const r of rows) latest.push(r.products);
    coHolding = coHoldingOf(latest, heatmapProducts, 'snapshots');
  } else coHolding = coHoldingOf([...acquired.values()].map((s) => [...s]), heatmapProducts, 'events');

  const segmentRows: SegmentRow[] = [...new Set([...segmentCustomers.keys(), ...segments.keys()])].sort().map((value) => {
    const s = segments.get(value);
    return {
      value,
      customers: segmentCustomers.get(value) ?? 0,
      customersWithEvents: s?.customers ?? 0,
      events: s?.events ?? 0,
      displays: s?.displays ?? 0,
      clicks: s?.clicks ?? 0,
      checkouts: s?.checkouts ?? 0,
    };
  });

  const withEvents = did.length;
  const cold = Math.max(0, counts.customers - withEvents);
  return {
    counts: { customers: counts.customers, products: counts.products, events: counts.events, holdings: counts.holdings },
    eventsByType: Object.fromEntries(eventTypes.map((t) => [t, byType.get(t) ?? 0])),
    overTime,
    funnel: FUNNEL.map((type, i) => ({ type, events: byType.get(type) ?? 0, customers: stageCustomers[i] })),
    popularity,
    coHolding,
    segments: { attribute: opts.segmentAttribute, rows: segmentRows },
    clickRate: contextCells.size > 0 ? grid(contextCells, 'context') : grid(hourCells, 'timestamp'),
    coldStart: { customers: counts.customers, withEvents, cold, share: counts.customers > 0 ? cold / counts.customers : 0 },
    holdings: counts.holdings > 0 ? await holdingsByMonth(store, heatmapProducts) : null,
  };
}
