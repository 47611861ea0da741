// The store contract as a test suite, written against the Store interface only: every backend runs
// it unchanged (contract.test.ts runs it for DuckDB). `fresh()` names a new, empty store and returns
// how to open it; a test may close the store and open it again (read-only, say) through the same opener.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NextbestError } from '../../src/core/errors.js';
import type { Event } from '../../src/data/model.js';
import type { EventBatch } from '../../src/data/rows.js';
import type { Loader } from '../../src/data/sink.js';
import { getLoader } from '../../src/data/formats/index.js';
import { SANTANDER_PRODUCTS } from '../../src/data/formats/santander.js';
import type { Store, StoreOptions } from '../../src/store/index.js';

export type OpenStore = (opts?: StoreOptions) => Promise<Store>;

const EVENTS_HEADER = 'Idcol,interaction,int_date,item,item_type,item_descrip,segment,beh_segment,active_ind,page,tod';
const EVENTS = [
  'C1,CLICK,2016-01-03 08:00:00,P2,loan,Personal loan,MASS,DIGITAL,1,offers,evening',
  'C1,BUY,2016-01-02 10:00:05,P1,card,x,MASS,DIGITAL,1,home,morning', // line 3: not an interaction
  'C1,DISPLAY,2016-01-02 10:00:00,P1,card,"Gold card, premium",MASS,DIGITAL,1,home,morning',
  'C3,CHECKOUT,2016-01-04 09:00:00,P2,loan,Personal loan,YOUTH,BRANCH,0,offers,evening',
  'C2,CLICK,2016-13-02,P1,card,x,MASS,DIGITAL,1,home,morning', // line 6: not a date
  'C1,CLICK,2016-01-02 10:00:05,P1,card,"Gold card, premium",MASS,DIGITAL,1,home,morning',
];
const CUSTOMERS = 'customer_id,age,segment\nC1,30,MASS\nC2,45,AFFLUENT\nC9,70,\n';
const OFFERS = [
  'offer_id,product_id,reward,reward_value,valid_from,valid_to,eligibility',
  'O1,P1,cashback 50 EUR,50,2016-01-01,2016-03-31,"{""minAge"":18,""excludeHolders"":true}"',
  'O2,P2,no opening fee,150,2016-02-01,,',
].join('\n') + '\n';

const at = (iso: string): number => Date.parse(`${iso.replace(" ", "T")}Z`) / 1000;

/** A batch as rows, to compare whole. */
const rowsOf = (b: EventBatch): [string, string, number, string, number, string][] =>
  Array.from({ length: b.length }, (_, i) => [b.customer[i], b.product[i], b.time[i], b.type[i], b.value[i], b.context[i]]);

async function allEvents(store: Store, types?: Event['type'][]): Promise<ReturnType<typeof rowsOf>> {
  const out: ReturnType<typeof rowsOf> = [];
  for await (const b of store.events(types)) out.push(...rowsOf(b));
  return out;
}

async function allIds(store: Store, entity: 'customer' | 'product'): Promise<string[]> {
  const out: string[] = [];
  for await (const b of store.ids(entity)) out.push(...b);
  return out;
}

const live = (customerId: string, productId: string, iso: string, over: Partial<Event> = {}): Event => ({
  customerId,
  productId,
  timestamp: new Date(`${iso.replace(" ", "T")}Z`),
  type: 'click',
  value: 1,
  context: { tod: 'noon', page: 'home' },
  ...over,
});

/** Two months of Santander snapshots: customer 7 holds cco, then cco and tjcr; customer 8 nothing, then recibo. */
const santanderRow = (month: string, customer: number, held: string[]): string =>
  [month, customer, ...SANTANDER_PRODUCTS.map((p) => (held.includes(p.productId) ? 1 : 0))].join(',');
const SANTANDER = [
  ['fecha_dato', 'ncodpers', ...SANTANDER_PRODUCTS.map((p) => p.column)].join(','),
  santanderRow('2015-01-28', 8, []),
  santanderRow('2015-01-28', 7, ['cco_fin']),
  santanderRow('2015-02-28', 7, ['tjcr_fin', 'cco_fin']),
  santanderRow('2015-02-28', 8, ['recibo']),
].join('\n') + '\n';

/** A loader that stages rows and then fails, as a load that breaks halfway does. */
const failingLoader: Loader = {
  format: 'failing',
  description: 'stages two customers and an event, then fails',
  async load(_input, sink) {
    sink.customer({ id: 'Z1', attributes: { age: 1 } });
    sink.customer({ id: 'Z2', attributes: {} });
    sink.event(live('Z1', 'P9', '2016-02-01 00:00:00'));
    throw new NextbestError('WRONG_FORMAT', 'the input broke halfway');
  },
};

/** Monthly holdings (Santander layout): customer 7 holds P1 in January and P2 only in February. */
const SNAPSHOTS = 'month,customer,segment,card,loan\n2016-01-28,7,A,1,0\n2016-02-28,7,A,0,1\n2016-02-28,8,B,1,1\n';
const snapshotLoader: Loader = {
  format: 'snapshots',
  description: 'two months of product holdings',
  async load(input, sink) {
    const c = await sink.snapshots({
      path: input,
      delimiter: ',',
      monthColumn: 'month',
      customerColumn: 'customer',
      products: [
        { column: 'card', productId: 'P1', type: 'card', description: '' },
        { column: 'loan', productId: 'P2', type: 'loan', description: '' },
      ],
      attributes: [{ column: 'segment', name: 'segment', kind: 'cat' }],
      nullValues: ['NA'],
    });
    return { accepted: c.rows, rejected: c.rejected };
  },
};

export function storeContract(name: string, fresh: () => OpenStore): void {
  describe(`the store contract: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-contract-'));
    const events = join(dir, 'events.csv');
    const customers = join(dir, 'customers.csv');
    writeFileSync(events, [EVENTS_HEADER, ...EVENTS].join('\n') + '\n');
    writeFileSync(customers, CUSTOMERS);
    writeFileSync(join(dir, 'no-description.csv'), `${EVENTS_HEADER}\nC1,CLICK,2016-01-05 08:00:00,P7,loan,,MASS,DIGITAL,1,offers,evening\n`);

    let open: OpenStore;
    let store: Store | null = null;
    afterEach(async () => {
      await store?.close();
      store = null;
    });
    /** A fresh store with the events and customers files loaded. */
    async function loaded(): Promise<Store> {
      open = fresh();
      store = await open();
      await store.ingest(getLoader('events'), events, { rejectsPath: join(dir, `rejects-${Date.now()}-${Math.random()}.csv`) });
      await store.ingest(getLoader('customers'), customers, { rejectsPath: join(dir, `rejects-${Date.now()}-${Math.random()}.csv`) });
      return store;
    }
    async function reopen(opts?: StoreOptions): Promise<Store> {
      await store?.close();
      store = null;
      store = await open(opts);
      return store;
    }

    it('loads rows, lists rejected rows by line and reason, and loading the same file again adds nothing', async () => {
      open = fresh();
      store = await open();
      expect(store.mode).toBe('write');
      const rejectsPath = join(dir, 'rejects-load.csv');
      const r = await store.ingest(getLoader('events'), events, { rejectsPath });
      expect(r).toMatchObject({ format: 'events', accepted: 4, rejected: 2, events: 4, customers: 2, products: 2, rejectsFile: rejectsPath });
      expect(r.added).toEqual({ customers: 2, products: 2, events: 4, holdings: 0 });
      expect(r.store).toEqual({ customers: 2, products: 2, offers: 0, events: 4, holdings: 0 });
      const rejects = readFileSync(rejectsPath, 'utf8').trim().split('\n');
      expect(rejects.slice(1).map((l) => l.split(',')[0])).toEqual(['3', '6']);
      expect(rejects[1]).toContain('not DISPLAY, CLICK or CHECKOUT');

      const again = await store.ingest(getLoader('events'), events, { rejectsPath: join(dir, 'rejects-again.csv') });
      expect(again.added).toEqual({ customers: 0, products: 0, events: 0, holdings: 0 });
      expect(await store.counts()).toEqual(r.store);

      const c = await store.ingest(getLoader('customers'), customers, { rejectsPath: join(dir, 'rejects-c.csv') });
      expect(c.added).toMatchObject({ customers: 2 }); // C2 and C9; C1 gets its attributes merged
      expect(await store.counts()).toMatchObject({ customers: 4, events: 4 });
    });

    it('a load that fails halfway, or a file in another format, leaves the store as it was', async () => {
      const s = await loaded();
      const before = await s.counts();
      await expect(s.ingest(failingLoader, events)).rejects.toThrow('the input broke halfway');
      const wrong = join(dir, 'ratings.tsv');
      writeFileSync(wrong, '196\t242\t3\t881250949\n');
      await expect(s.ingest(getLoader('events'), wrong)).rejects.toMatchObject({ code: 'WRONG_COLUMNS' });
      await expect(s.ingest(getLoader('events'), join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
      expect(await s.counts()).toEqual(before);
      expect(await allIds(s, 'customer')).toEqual(['C1', 'C2', 'C3', 'C9']);
      expect(await s.attributesOf('customer', 'Z1')).toBeNull();
      // Nothing staged by the failed load lingers into the next one.
      const next = await s.ingest(getLoader('customers'), customers, { rejectsPath: join(dir, 'rejects-next.csv') });
      expect(next.added).toEqual({ customers: 0, products: 0, events: 0, holdings: 0 });
    });

    it('ids: every customer and product, sorted, those without events included', async () => {
      const s = await loaded();
      expect(await allIds(s, 'customer')).toEqual(['C1', 'C2', 'C3', 'C9']);
      expect(await allIds(s, 'product')).toEqual(['P1', 'P2']);
    });

    it('events: time order, columnar fields, context as canonical JSON, optionally by type', async () => {
      const s = await loaded();
      const home = '{"page":"home","tod":"morning"}';
      const offers = '{"page":"offers","tod":"evening"}';
      expect(await allEvents(s)).toEqual([
        ['C1', 'P1', at('2016-01-02 10:00:00'), 'display', 1, home],
        ['C1', 'P1', at('2016-01-02 10:00:05'), 'click', 1, home],
        ['C1', 'P2', at('2016-01-03 08:00:00'), 'click', 1, offers],
        ['C3', 'P2', at('2016-01-04 09:00:00'), 'checkout', 1, offers],
      ]);
      expect((await allEvents(s, ['click'])).map((e) => e[2])).toEqual([at('2016-01-02 10:00:05'), at('2016-01-03 08:00:00')]);
      expect((await allEvents(s, ['display', 'checkout'])).map((e) => e[3])).toEqual(['display', 'checkout']);
      expect(await allEvents(s, ['acquire'])).toEqual([]);
    });

    it('attributes and attributesOf: loads merge key by key, a missing value is an absent key', async () => {
      const s = await loaded();
      expect(await s.attributesOf('customer', 'C1')).toEqual({ active_ind: 1, age: 30, beh_segment: 'DIGITAL', segment: 'MASS' });
      expect(await s.attributesOf('customer', 'C9')).toEqual({ age: 70 });
      expect(await s.attributesOf('product', 'P1')).toEqual({});
      expect(await s.attributesOf('customer', 'nobody')).toBeNull();
      const rows = [];
      for await (const b of s.attributes('customer')) rows.push(...b);
      expect(rows.filter((r) => r.id === 'C9')).toEqual([{ id: 'C9', name: 'age', num: 70, str: null }]);
      expect(rows.filter((r) => r.id === 'C2')).toEqual([
        { id: 'C2', name: 'age', num: 45, str: null },
        { id: 'C2', name: 'segment', num: null, str: 'AFFLUENT' },
      ]);
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set(['C1', 'C2', 'C3', 'C9']));
      const products = [];
      for await (const b of s.attributes('product')) products.push(...b);
      expect(products).toEqual([]);
    });

    it('productDescriptions: the first description events give a product, only products that have one', async () => {
      const s = await loaded();
      expect(await s.productDescriptions()).toEqual(new Map([['P1', 'Gold card, premium'], ['P2', 'Personal loan']]));
      await s.ingest(getLoader('events'), join(dir, 'no-description.csv'), { rejectsPath: join(dir, `rejects-${Date.now()}.csv`) });
      expect((await s.productDescriptions()).has('P7')).toBe(false);
    });

    it('productTypes: every product\'s type by id; latestHoldings: none without holdings snapshots', async () => {
      const s = await loaded();
      expect(await s.productTypes()).toEqual(new Map([['P1', 'card'], ['P2', 'loan']]));
      const latest = [];
      for await (const b of s.latestHoldings()) latest.push(...b);
      expect(latest).toEqual([]);
    });

    it('stats: events by type and time range, customers with events, cold-start customers on file', async () => {
      const s = await loaded();
      expect(await s.stats()).toMatchObject({
        customers: 4,
        products: 2,
        events: 4,
        eventsByType: { click: 2, display: 1, checkout: 1 },
        firstEvent: '2016-01-02 10:00:00',
        lastEvent: '2016-01-04 09:00:00',
        customersWithEvents: 2,
        coldCustomers: 2,
        eventsPerCustomer: { min: 1, max: 3 },
        productTypes: { card: 1, loan: 1 },
      });
      // Live events may name customers not on file: they have events, but are not cold customers on file.
      await s.liveLog().appendMany([live('C2', 'P1', '2016-02-01 00:00:00'), live('X', 'P1', '2016-02-01 00:00:00'), live('Y', 'P2', '2016-02-01 00:00:01')]);
      expect(await s.stats()).toMatchObject({ customers: 4, events: 7, customersWithEvents: 5, coldCustomers: 1 });
    });

    it('holdings: by month then customer, the products held that month; a month with nothing held has no row', async () => {
      open = fresh();
      store = await open();
      const file = join(dir, 'santander.csv');
      writeFileSync(file, SANTANDER);
      await store.ingest(getLoader('santander'), file, { rejectsPath: join(dir, `rejects-${Date.now()}-${Math.random()}.csv`) });
      const rows: [string, number, string[]][] = [];
      for await (const b of store.holdings()) for (let i = 0; i < b.length; i++) rows.push([b.customer[i], b.month[i], b.products[i]]);
      expect(rows).toEqual([
        ['7', at('2015-01-28 00:00:00'), ['cco_fin']],
        ['7', at('2015-02-28 00:00:00'), ['cco_fin', 'tjcr_fin']],
        ['8', at('2015-02-28 00:00:00'), ['recibo']],
      ]);
    });

    it("customerEvents: one customer's events in time order, only those after `since` when given", async () => {
      const s = await loaded();
      const c1 = await s.customerEvents('C1');
      expect(rowsOf(c1).map((e) => [e[0], e[1], e[2], e[3]])).toEqual([
        ['C1', 'P1', at('2016-01-02 10:00:00'), 'display'],
        ['C1', 'P1', at('2016-01-02 10:00:05'), 'click'],
        ['C1', 'P2', at('2016-01-03 08:00:00'), 'click'],
      ]);
      expect(c1.time).toBeInstanceOf(Float64Array);
      // `since` is exclusive: an event at that very time was already known.
      const since = new Date('2016-01-02T10:00:00Z');
      expect(rowsOf(await s.customerEvents('C1', since)).map((e) => e[2])).toEqual([at('2016-01-02 10:00:05'), at('2016-01-03 08:00:00')]);
      expect((await s.customerEvents('C1', new Date('2016-01-02T10:00:04.999Z'))).length).toBe(2);
      expect((await s.customerEvents('C1', new Date('2030-01-01T00:00:00Z'))).length).toBe(0);
      expect((await s.customerEvents('C2')).length).toBe(0);
      expect((await s.customerEvents('nobody', since)).length).toBe(0);

      // Live events after training are the ones a server folds in.
      await s.liveLog().append(live('C1', 'P2', '2016-05-01 12:00:00.250', { type: 'acquire', value: 2 }));
      const after = await s.customerEvents('C1', new Date('2016-01-03T08:00:00Z'));
      expect(rowsOf(after)).toEqual([['C1', 'P2', at('2016-05-01 12:00:00.250'), 'acquire', 2, '{"page":"home","tod":"noon"}']]);
      // The customers a server must read live events for: exclusive of `since`, like customerEvents.
      expect([...(await s.customersWithEventsSince(new Date('2016-01-04T09:00:00Z')))]).toEqual(['C1']);
      expect([...(await s.customersWithEventsSince(new Date('2016-01-03T08:00:00Z')))].sort()).toEqual(['C1', 'C3']);
      expect((await s.customersWithEventsSince(new Date('2030-01-01T00:00:00Z'))).size).toBe(0);
    });

    it('the live event log: appended events are durable, read back, validated, and all or nothing in a batch', async () => {
      const s = await loaded();
      const log = s.liveLog({ maxDelayMs: 1 });
      await Promise.all([log.append(live('C9', 'P1', '2016-06-01 00:00:00')), log.append(live('C9', 'P2', '2016-06-01 00:00:01'))]);
      await log.appendMany([live('C2', 'P1', '2016-06-02 00:00:00'), live('C2', 'P2', '2016-06-02 00:00:01', { type: 'display' })]);
      expect(log.stats.committed).toBe(4);

      const invalid = log.append(live('  ', 'P1', '2016-06-03 00:00:00'));
      await expect(invalid).rejects.toMatchObject({ code: 'INVALID_EVENT', message: 'invalid event: customerId: id is empty' });
      await expect(log.appendMany([live('C2', 'P1', '2016-06-04 00:00:00'), live('C2', 'P1', '2016-06-04 00:00:00', { value: Number.NaN })])).rejects.toThrow(
        /^invalid event at index 1: .*none of the 2 events was written$/,
      );
      expect((await allEvents(s)).slice(4).map((e) => [e[0], e[1], e[3]])).toEqual([
        ['C9', 'P1', 'click'],
        ['C9', 'P2', 'click'],
        ['C2', 'P1', 'click'],
        ['C2', 'P2', 'display'],
      ]);

      // The store closes a log the caller left open, committing what it queued; the events survive reopening.
      const late = s.liveLog({ maxDelayMs: 60_000 });
      const pending = late.append(live('C3', 'P1', '2016-06-05 00:00:00'));
      const reader = await reopen({ mode: 'read' });
      await pending;
      await expect(late.append(live('C3', 'P1', '2016-06-06 00:00:00'))).rejects.toThrow(/closed/);
      expect((await reader.counts()).events).toBe(9);
      expect(rowsOf(await reader.customerEvents('C3', new Date('2016-06-01T00:00:00Z'))).map((e) => e[1])).toEqual(['P1']);
    });

    it('the live event log is idempotent by event id: an id the store holds is not stored again, across restarts', async () => {
      const s = await loaded();
      const log = s.liveLog({ maxDelayMs: 1 });
      const before = (await s.counts()).events;
      expect(await log.append(live('C1', 'P1', '2016-07-01 00:00:00', { eventId: 'e-1' }))).toEqual({ accepted: 1, duplicates: [] });
      // Resent (a client retrying after a lost answer): acknowledged, not stored again.
      expect(await log.append(live('C1', 'P1', '2016-07-01 00:00:00', { eventId: 'e-1' }))).toEqual({ accepted: 0, duplicates: ['e-1'] });
      // Concurrent copies in one commit, and a batch mixing new ids, held ids, repeats and events without an id.
      const [a, b] = await Promise.all([
        log.append(live('C2', 'P1', '2016-07-02 00:00:00', { eventId: 'e-2' })),
        log.append(live('C2', 'P1', '2016-07-02 00:00:00', { eventId: 'e-2' })),
      ]);
      expect([a, b]).toEqual([{ accepted: 1, duplicates: [] }, { accepted: 0, duplicates: ['e-2'] }]);
      const many = await log.appendMany([
        live('C3', 'P1', '2016-07-03 00:00:00', { eventId: 'e-3' }),
        live('C3', 'P2', '2016-07-03 00:00:01', { eventId: 'e-1' }),
        live('C3', 'P2', '2016-07-03 00:00:02', { eventId: 'e-3' }),
        live('C3', 'P2', '2016-07-03 00:00:03'),
        live('C3', 'P2', '2016-07-03 00:00:03'),
      ]);
      expect(many).toEqual({ accepted: 3, duplicates: ['e-1', 'e-3'] });
      expect(log.stats).toMatchObject({ committed: 5, duplicates: 4 });
      expect((await s.counts()).events).toBe(before + 5);
      const recent = await s.recentEvents('C3', 10);
      expect(recent.map((e) => [e.productId, e.eventId])).toEqual([['P2', null], ['P2', null], ['P1', 'e-3'], ['P2', null]]);

      // After a restart the ids are still known; a new id is stored.
      const again = await reopen();
      const log2 = again.liveLog({ maxDelayMs: 1 });
      expect(await log2.appendMany([live('C1', 'P2', '2016-07-04 00:00:00', { eventId: 'e-2' }), live('C1', 'P2', '2016-07-04 00:00:00', { eventId: 'e-4' })])).toEqual({
        accepted: 1,
        duplicates: ['e-2'],
      });
      // Two logs of one store share what the store holds.
      expect(await again.liveLog().append(live('C1', 'P2', '2016-07-04 00:00:00', { eventId: 'e-4' }))).toEqual({ accepted: 0, duplicates: ['e-4'] });
      expect((await again.counts()).events).toBe(before + 6);
      // An invalid id is refused like any invalid field.
      await expect(log2.append(live('C1', 'P2', '2016-07-05 00:00:00', { eventId: ' ' }))).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    });

    it('a live event PostgreSQL cannot store (NUL in an id or the context, a year beyond 0000-9999) is refused alone; its batch mates are stored', async () => {
      const s = await loaded();
      const before = (await s.counts()).events;
      const log = s.liveLog({ maxDelayMs: 50 });
      const sent = [
        log.append(live('C1', 'P1', '2016-08-01 00:00:00', { eventId: 'n-1' })),
        log.append(live('C\u00001', 'P1', '2016-08-01 00:00:01', { eventId: 'n-2' })),
        log.append(live('C1', 'P1', '2016-08-01 00:00:02', { eventId: 'n-3', context: { page: 'ho\u0000me' } })),
        log.append(live('C1', 'P1', '2016-08-01 00:00:03', { eventId: 'n-4', timestamp: new Date(Date.UTC(-5000, 0, 1)) })),
        log.append(live('C1', 'P1', '2016-08-01 00:00:04', { eventId: 'n-5', timestamp: new Date(8.64e15) })),
        log.append(live('C2', 'P2', '2016-08-01 00:00:05', { eventId: 'n-6' })),
      ];
      const results = await Promise.allSettled(sent);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled']);
      const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(reasons.map((e) => [e.code, e.message])).toEqual([
        ['INVALID_EVENT', 'invalid event: customerId: holds a NUL character, which PostgreSQL cannot store'],
        ['INVALID_EVENT', 'invalid event: context.page: holds a NUL character, which PostgreSQL cannot store'],
        ['INVALID_EVENT', 'invalid event: timestamp: timestamp is outside the years 0000 to 9999'],
        ['INVALID_EVENT', 'invalid event: timestamp: timestamp is outside the years 0000 to 9999'],
      ]);
      expect((await s.counts()).events).toBe(before + 2);
      expect((await s.recentEvents('C2', 1)).map((e) => e.eventId)).toEqual(['n-6']);
    });

    it('recentEvents: newest first, with the event id and arrival time of live events; receivedAfter counts a late-stamped live event', async () => {
      const s = await loaded();
      const start = Date.now();
      // Stamped by a client clock long before the store's other events, but received now.
      await s.liveLog().append(live('C1', 'P2', '2015-12-01 00:00:00', { eventId: 'late', type: 'acquire' }));
      const recent = await s.recentEvents('C1', 2);
      expect(recent.map((e) => [e.productId, e.type, e.eventId])).toEqual([
        ['P2', 'click', null],
        ['P1', 'click', null],
      ]);
      expect(recent[0]).toMatchObject({ timestamp: new Date('2016-01-03T08:00:00Z'), received: null, context: { page: 'offers', tod: 'evening' }, value: 1 });
      const all = await s.recentEvents('C1', 100);
      expect(all).toHaveLength(4);
      const late = all[3];
      expect(late).toMatchObject({ eventId: 'late', timestamp: new Date('2015-12-01T00:00:00Z') });
      expect(late.received?.getTime()).toBeGreaterThanOrEqual(start - 1000);
      expect(late.received?.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(await s.recentEvents('nobody', 5)).toEqual([]);

      const cutoff = new Date('2016-01-02T10:00:05Z');
      expect(rowsOf(await s.customerEvents('C1', cutoff)).map((e) => e[1])).toEqual(['P2']);
      expect(rowsOf(await s.customerEvents('C1', cutoff, new Date(start - 1000))).map((e) => [e[1], e[3]])).toEqual([
        ['P2', 'acquire'],
        ['P2', 'click'],
      ]);
      expect((await s.customerEvents('C1', cutoff, new Date(Date.now() + 60_000))).length).toBe(1);
    });

    it("snapshotOf: the customer's products in the store's latest snapshot month", async () => {
      const s = await loaded();
      expect(await s.snapshotOf('C1')).toEqual({ month: null, products: [] });
      const file = join(dir, 'snapshots.csv');
      writeFileSync(file, SNAPSHOTS);
      await s.ingest(snapshotLoader, file, { rejectsPath: join(dir, `rejects-${Date.now()}-snap.csv`) });
      expect(await s.snapshotOf('7')).toEqual({ month: new Date('2016-02-28T00:00:00Z'), products: ['P2'] });
      expect(await s.snapshotOf('8')).toEqual({ month: new Date('2016-02-28T00:00:00Z'), products: ['P1', 'P2'] });
      expect(await s.snapshotOf('C1')).toEqual({ month: new Date('2016-02-28T00:00:00Z'), products: [] });
    });

    it('scans read every row while other queries and scans run on the store at the same time (a server\'s requests)', async () => {
      const s = await loaded();
      const log = s.liveLog();
      const extra = Array.from({ length: 6000 }, (_, n) => live(`L${n % 300}`, `P${n % 7}`, '2016-03-01 00:00:00', { timestamp: new Date(Date.UTC(2016, 2, 1, 0, 0, n)) }));
      await log.appendMany(extra);
      await log.close();
      const expected = await allEvents(s);
      expect(expected).toHaveLength(6004);
      const ids = await allIds(s, 'customer');
      let batches = 0;
      const seen: ReturnType<typeof rowsOf> = [];
      for await (const b of s.events()) {
        batches++;
        seen.push(...rowsOf(b));
        // Between the batches of one scan: a point query, a one-customer scan and a whole other scan.
        expect(await s.attributesOf('customer', 'C1')).toMatchObject({ segment: 'MASS' });
        expect((await s.customerEvents('L7')).length).toBe(20);
        expect(await allIds(s, 'customer')).toEqual(ids);
      }
      expect(batches).toBeGreaterThan(1);
      expect(seen).toEqual(expected);
    });

    it('offers: ingested ones listed with their rules; create, update and retire keep the rules and never delete', async () => {
      const s = await loaded();
      const offersCsv = join(dir, 'offers.csv');
      writeFileSync(offersCsv, OFFERS);
      await s.ingest(getLoader('offers'), offersCsv, { rejectsPath: join(dir, 'rejects-offers.csv') });
      const o1 = { id: 'O1', productId: 'P1', reward: 'cashback 50 EUR', rewardValue: 50, validFrom: new Date('2016-01-01T00:00:00Z'), validTo: new Date('2016-03-31T00:00:00Z'), eligibility: { minAge: 18, excludeHolders: true }, retiredAt: null };
      expect(await s.offers({ offerId: 'O1' })).toEqual([o1]);
      expect((await s.offers()).map((o) => [o.id, o.validTo])).toEqual([['O1', o1.validTo], ['O2', null]]);
      expect((await s.offers({ productId: 'P2' })).map((o) => o.id)).toEqual(['O2']);

      const o3 = { id: 'O3', productId: 'P2', reward: 'x', rewardValue: 10, validFrom: null, validTo: null, eligibility: { segments: ['MASS'] } };
      expect(await s.createOffer(o3)).toEqual({ ...o3, retiredAt: null });
      await expect(s.createOffer(o3)).rejects.toMatchObject({ code: 'OFFER_CONFLICT' });
      await expect(s.createOffer({ ...o3, id: 'O4', productId: 'NOPE' })).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
      await expect(s.createOffer({ ...o3, id: 'O4', rewardValue: -1 })).rejects.toMatchObject({ code: 'BAD_OPTION', message: expect.stringMatching(/reward_value -1/) });
      await expect(s.createOffer({ ...o3, id: 'O4', validFrom: new Date('2016-02-02'), validTo: new Date('2016-02-01') })).rejects.toMatchObject({
        code: 'BAD_OPTION',
        message: expect.stringMatching(/valid_from .* is after valid_to/),
      });

      expect(await s.updateOffer('O1', { rewardValue: 75, reward: undefined })).toEqual({ ...o1, rewardValue: 75 });
      // The merged window must hold too: moving only valid_from past the stored valid_to is refused.
      await expect(s.updateOffer('O1', { validFrom: new Date('2016-06-01T00:00:00Z') })).rejects.toMatchObject({ code: 'BAD_OPTION' });
      await expect(s.updateOffer('O1', { productId: 'NOPE' })).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
      await expect(s.updateOffer('O9', { rewardValue: 1 })).rejects.toMatchObject({ code: 'OFFER_NOT_FOUND' });

      const at = new Date('2016-02-15T12:00:00Z');
      expect(await s.retireOffer('O2', at)).toMatchObject({ id: 'O2', retiredAt: at, rewardValue: 150 });
      expect((await s.retireOffer('O2', new Date('2017-01-01T00:00:00Z'))).retiredAt).toEqual(at); // again: unchanged
      await expect(s.updateOffer('O2', { rewardValue: 1 })).rejects.toMatchObject({ code: 'OFFER_CONFLICT', message: expect.stringMatching(/retired/) });
      await expect(s.retireOffer('O9', at)).rejects.toMatchObject({ code: 'OFFER_NOT_FOUND' });
      await expect(s.createOffer({ ...o3, id: 'O2' })).rejects.toMatchObject({ code: 'OFFER_CONFLICT' });
      expect((await s.counts()).offers).toBe(3);

      // Loading the file again keeps the retirement; a load that would invert a stored window is refused whole.
      await s.ingest(getLoader('offers'), offersCsv, { rejectsPath: join(dir, 'rejects-offers2.csv') });
      expect((await s.offers({ offerId: 'O2' }))[0].retiredAt).toEqual(at);
      const inverting = join(dir, 'offers-inverting.csv');
      writeFileSync(inverting, 'offer_id,product_id,reward,reward_value,valid_from,valid_to,eligibility\nO1,P1,,,2016-05-01,,\nO5,P1,y,5,,,\n');
      await expect(s.ingest(getLoader('offers'), inverting, { rejectsPath: join(dir, 'rejects-offers3.csv') })).rejects.toMatchObject({
        code: 'UNSUITABLE_DATA',
        message: expect.stringMatching(/^offer O1 would run from 2016-05-01 00:00:00 to 2016-03-31 00:00:00/),
      });
      expect((await s.offers()).map((o) => o.id)).toEqual(['O1', 'O2', 'O3']);
      expect((await s.offers({ offerId: 'O1' }))[0].validFrom).toEqual(o1.validFrom);

      const reader = await reopen({ mode: 'read' });
      expect((await reader.offers()).length).toBe(3);
      await expect(reader.createOffer({ ...o3, id: 'O6' })).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
    });

    it('holdingsOf: acquire and drop events decide what a customer holds, the latest per product', async () => {
      const s = await loaded();
      const log = s.liveLog({ maxDelayMs: 1 });
      await log.appendMany([
        live('C1', 'P1', '2016-06-01 00:00:00', { type: 'acquire' }),
        live('C1', 'P2', '2016-06-01 00:00:00', { type: 'acquire' }),
        live('C1', 'P2', '2016-06-02 00:00:00', { type: 'drop', value: 0 }),
        live('C2', 'P2', '2016-06-02 00:00:00', { type: 'click' }),
      ]);
      expect(await s.holdingsOf('C1')).toEqual(['P1']);
      expect(await s.holdingsOf('C2')).toEqual([]);
      expect(await s.holdingsOf('NOBODY')).toEqual([]);

      // Monthly snapshots: the latest month, then the acquire and drop events from that month on.
      const products = SANTANDER_PRODUCTS.map((p) => p.column);
      const flags = (held: string[]): string => products.map((c) => (held.includes(c) ? 1 : 0)).join(',');
      const snapshots = join(dir, 'santander.csv');
      writeFileSync(snapshots, [
        `fecha_dato,ncodpers,age,${products.join(',')}`,
        `2016-01-28,7,40,${flags(['ind_cco_fin_ult1', 'ind_tjcr_fin_ult1'])}`,
        `2016-02-28,7,40,${flags(['ind_cco_fin_ult1', 'ind_ahor_fin_ult1'])}`,
      ].join('\n') + '\n');
      await s.ingest(getLoader('santander'), snapshots, { rejectsPath: join(dir, 'rejects-santander.csv') });
      expect(await s.holdingsOf('7')).toEqual(['ahor_fin', 'cco_fin']);
      await log.appendMany([
        live('7', 'tjcr_fin', '2016-01-30 00:00:00', { type: 'acquire' }), // before the latest month: the snapshot says
        live('7', 'cco_fin', '2016-03-02 00:00:00', { type: 'drop', value: 0 }),
        live('7', 'recibo', '2016-03-03 00:00:00', { type: 'acquire' }),
      ]);
      expect(await s.holdingsOf('7')).toEqual(['ahor_fin', 'recibo']);
    });

    it('models: the active model is recorded in the store, the latest activation wins, and every opener reads it', async () => {
      open = fresh();
      store = await open();
      expect(typeof store.shared).toBe('boolean');
      expect(await store.reachable()).toBe(true);
      expect(await store.activeModel()).toBeNull();
      const before = Date.now();
      const first = await store.setActiveModel('als-1');
      expect(first.model).toBe('als-1');
      expect(first.activatedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(await store.activeModel()).toEqual(first);
      const second = await store.setActiveModel('ease-2');
      expect(second.activatedAt.getTime()).toBeGreaterThanOrEqual(first.activatedAt.getTime());
      const reader = await reopen({ mode: 'read' });
      expect(await reader.activeModel()).toEqual(second);
      await expect(reader.setActiveModel('x')).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
    });

    it('read mode: everything reads; loading and live events are refused; a store that does not exist is not created', async () => {
      await loaded();
      const reader = await reopen({ mode: 'read' });
      expect(reader.mode).toBe('read');
      expect(await reader.counts()).toMatchObject({ customers: 4, events: 4 });
      expect(await reader.attributesOf('customer', 'C9')).toEqual({ age: 70 });
      await expect(reader.ingest(getLoader('customers'), customers)).rejects.toMatchObject({ code: 'STORE_READ_ONLY', message: expect.stringMatching(/read-only/) });
      expect(() => reader.liveLog()).toThrow(/read-only/);

      const missing = fresh();
      await expect(missing({ mode: 'read' })).rejects.toMatchObject({ code: 'STORE_MISSING', message: expect.stringMatching(/does not exist/) });
    });
  });
}
