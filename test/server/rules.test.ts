// Business rules through the recommendations route (app.inject()): minors never get credit products,
// a product displayed N times leaves the list, an acquired product is not offered again, include and
// exclude filters, boosts and pins, at most M of a type, and the debug trace naming each rule.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/data/generate/catalogue.js';
import type { Event } from '../../src/data/model.js';
import type { App } from '../../src/server/build.js';
import { runCli } from '../cli/run-cli.js';
import { buildServer, servedStore, type ServedStore } from '../helpers/served-store.js';

/** The synthetic catalogue's types (src/data/generate/catalogue.ts). */
const TYPES: Record<string, string> = Object.fromEntries(CATALOGUE.map((p) => [p.id, p.type]));
/** Loans, mortgages and the credit cards (not the prepaid youth card P08). */
const CREDIT = CATALOGUE.filter((p) => p.type === 'loan' || p.type === 'mortgage' || /credit card/.test(p.description)).map((p) => p.id);
const MINORS = ['M1', 'M2', 'M3'];

let served: ServedStore;
let app: App | null = null;

beforeAll(() => {
  served = servedStore(['ease']);
  // Minors join the bank after training (the synthetic customers are all adults): cold-start customers with attributes.
  const minors = join(served.dir, 'minors.csv');
  writeFileSync(minors, `customer_id,age,income,segment\n${MINORS.map((id, i) => `${id},${15 + i},0,YOUTH`).join('\n')}\n`);
  const r = runCli(['ingest', '--format', 'customers', minors], served.dir);
  expect(r.code, r.stderr).toBe(0);
}, 180_000);

afterEach(async () => {
  await app?.close();
  app = null;
});

/** A server over the store with these rules (none when null). */
async function serve(rules: object | null): Promise<App> {
  let file: string | undefined;
  if (rules) {
    file = join(served.dir, `rules-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(rules));
  }
  app = await buildServer(served, { rules: file });
  return app;
}

interface Item {
  rank: number;
  product: string;
  score: number;
}

async function list(query: string, customer = '1000001'): Promise<{ status: number; body: any; products: string[] }> {
  const r = await (app as App).inject({ method: 'GET', url: `/v1/customers/${customer}/recommendations?${query}` });
  const body = r.json();
  return { status: r.statusCode, body, products: (body.recommendations ?? []).map((x: Item) => x.product) };
}

const event = (customerId: string, productId: string, type: Event['type'], secondsAgo: number): Event => ({
  customerId,
  productId,
  type,
  timestamp: new Date(Date.now() - secondsAgo * 1000),
  value: 1,
  context: {},
});

describe('eligibility', () => {
  const rules = { eligibility: [{ name: 'no credit for minors', types: ['loan', 'mortgage'], products: ['P05', 'P06', 'P07'], minAge: 18 }] };

  it('minors never get credit products; the debug trace names the rule', async () => {
    await serve(rules);
    for (const minor of MINORS) {
      const { status, body, products } = await list('k=24&debug=true', minor);
      expect(status).toBe(200);
      expect(body.coldStart).toMatchObject({ inStore: true });
      expect(products.length).toBeGreaterThan(10);
      expect(products.filter((p) => CREDIT.includes(p))).toEqual([]);
      const removed = body.debug.removed.filter((r: { detail: string }) => r.detail.startsWith('no credit for minors'));
      expect(removed.map((r: { product: string }) => r.product).sort()).toEqual(CREDIT);
      expect(removed[0].detail).toMatch(/^no credit for minors: age 1[567] is under 18$/);
    }
    // Adults still get them: the rule is about age, not about the products.
    const adult = await list('k=24', '1000001');
    expect(adult.products.some((p) => CREDIT.includes(p))).toBe(true);
  });

  it('the product\'s min_income against the customer\'s income (the premium account P03 needs 60,000)', async () => {
    await serve({});
    const cold = await list('k=24&debug=true', 'M1');
    expect(cold.products).not.toContain('P03');
    expect(cold.body.debug.removed).toContainEqual({ product: 'P03', rule: 'eligibility', detail: 'product min_income: income 0 is under 60000' });
  });
});

describe('holds and frequency caps, from live events', () => {
  it('a product displayed 3 times in 7 days is not shown again; the trace says so', async () => {
    const a = await serve({ caps: [{ displays: 3, days: 7 }] });
    const before = await list('k=5', '1000003');
    const top = before.products[0];
    await a.nextbest.events.appendMany([event('1000003', top, 'display', 3600), event('1000003', top, 'display', 7200)]);
    expect((await list('k=5', '1000003')).products).toContain(top); // 2 displays: still shown
    await a.nextbest.events.append(event('1000003', top, 'display', 60));
    const after = await list('k=5&debug=true', '1000003');
    expect(after.products).not.toContain(top);
    expect(after.body.debug.removed).toContainEqual({ product: top, rule: 'frequencyCap', detail: 'displayed 3 times in the last 7 days (caps[0]: at most 3)' });
  });

  it('products bought in the stored history (checkout events, before the server started) are not offered', async () => {
    const a = await serve({});
    const buyers = new Set<string>();
    for await (const b of a.nextbest.store.events(['checkout'])) b.customer.forEach((c) => buyers.size < 5 && buyers.add(c));
    expect(buyers.size).toBe(5);
    let checked = 0;
    for (const customer of buyers) {
      const history = await a.nextbest.store.customerEvents(customer);
      const acquired = new Set(history.product.filter((_, i) => history.type[i] === 'checkout'));
      const { products, body } = await list('k=24&debug=true', customer);
      expect(products.filter((p) => acquired.has(p))).toEqual([]);
      for (const p of acquired) expect(body.debug.removed).toContainEqual({ product: p, rule: 'holds', detail: expect.stringMatching(/^the customer holds it \(checkout event on 201\d-\d\d-\d\d\)$/) });
      checked += acquired.size;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('an acquired product is not offered again unless its type allows several', async () => {
    const a = await serve({ holds: { allowSeveral: { types: ['savings'] } } });
    const before = await list('k=24', '1000004');
    const first = before.products.find((p) => TYPES[p] !== 'savings') as string;
    const saving = before.products.find((p) => TYPES[p] === 'savings') as string;
    await a.nextbest.events.appendMany([event('1000004', first, 'acquire', 30), event('1000004', saving, 'acquire', 30)]);
    const after = await list('k=24&debug=true', '1000004');
    expect(after.products).not.toContain(first);
    expect(after.products).toContain(saving);
    expect(after.body.debug.removed).toContainEqual(expect.objectContaining({ product: first, rule: 'holds' }));
  });
});

describe('request filters', () => {
  it('include keeps only those types, exclude leaves them out (comma list or repeated)', async () => {
    await serve(null);
    const cards = await list('k=10&include=card');
    expect(cards.status).toBe(200);
    expect(cards.products.length).toBeGreaterThan(0);
    expect(cards.products.every((p) => TYPES[p] === 'card')).toBe(true);
    const two = await list('k=24&include=card&include=savings');
    expect(new Set(two.products.map((p) => TYPES[p]))).toEqual(new Set(['card', 'savings']));
    const noCredit = await list('k=24&exclude=card,loan,mortgage&debug=true');
    expect(noCredit.products.length).toBeGreaterThan(5);
    expect(noCredit.products.filter((p) => ['card', 'loan', 'mortgage'].includes(TYPES[p]))).toEqual([]);
    expect(noCredit.body.debug.removed.every((r: { rule: string }) => r.rule === 'exclude')).toBe(true);
    // Without a filter or debug the answer carries no trace.
    expect((await list('k=3')).body.debug).toBeUndefined();
  });

  it('the OpenAPI document lists include, exclude and debug', async () => {
    await serve(null);
    const spec = (await (app as App).inject({ method: 'GET', url: '/openapi.json' })).json();
    const params = spec.paths['/v1/customers/{customer}/recommendations'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['k', 'include', 'exclude', 'debug']));
  });

  it.each([
    ['include=crdit', /include: no product has the type "crdit"; use one of account, card/],
    ['exclude=card,nope', /exclude: no product has the type "nope"/],
    ['debug=maybe', /querystring\.debug/],
  ])('refuses %s with 400 BAD_OPTION', async (query, message) => {
    await serve(null);
    const { status, body } = await list(query);
    expect([status, body.code]).toEqual([400, 'BAD_OPTION']);
    expect(body.message).toMatch(message);
  });
});

describe('boosts, pins and at most M per type', () => {
  it('a boost lifts a type; a pin forces a product to its place; the trace says from where to where', async () => {
    await serve({});
    const plain = await list('k=24', '1000005');
    const lastSaving = [...plain.products].reverse().find((p) => TYPES[p] === 'savings') as string;
    const pinned = plain.products[plain.products.length - 1];
    await app?.close();
    expect(plain.products.length).toBeGreaterThan(8);
    await serve({ boosts: [{ products: [lastSaving], add: 1000 }], pins: [{ product: pinned, position: 2 }] });
    const ruled = await list('k=5&debug=true', '1000005');
    expect(ruled.products[0]).toBe(lastSaving);
    expect(ruled.products[1]).toBe(pinned);
    // `from` is the rank in the model's whole list, before rules took products out.
    const moved = (p: string) => ruled.body.debug.moved.find((m: { product: string }) => m.product === p);
    expect(moved(lastSaving)).toMatchObject({ rule: 'boost', to: 1 });
    expect(moved(lastSaving).from).toBeGreaterThanOrEqual(plain.products.indexOf(lastSaving) + 1);
    expect(moved(pinned)).toMatchObject({ rule: 'pin', detail: 'pins[0]: position 2', to: 2 });
    expect(moved(pinned).from).toBeGreaterThanOrEqual(plain.products.length);
    // The rest keep the model's order.
    const rest = plain.products.filter((p) => p !== lastSaving && p !== pinned).slice(0, 3);
    expect(ruled.products.slice(2)).toEqual(rest);
  });

  it('at most 1 product of each type', async () => {
    await serve({ maxPerType: { default: 1 } });
    const { products, body } = await list('k=7&debug=true', '1000006');
    expect(products).toHaveLength(7);
    expect(new Set(products.map((p) => TYPES[p])).size).toBe(7);
    expect(body.debug.removed.length).toBeGreaterThan(0);
    expect(body.debug.removed.every((r: { rule: string }) => r.rule === 'maxPerType')).toBe(true);
  });
});

describe('a bad rules file', () => {
  it('fails build() with BAD_RULES naming the field, and leaves the store free', async () => {
    const file = join(served.dir, 'bad-rules.json');
    writeFileSync(file, JSON.stringify({ caps: [{ displays: 3, days: 0 }] }));
    await expect(buildServer(served, { rules: file })).rejects.toMatchObject({
      code: 'BAD_RULES',
      message: `${file}: caps[0].days must be a positive number; fix the rules file`,
    });
    await serve(null); // the store was not taken
  });
});

afterAll(async () => {
  await app?.close();
});
