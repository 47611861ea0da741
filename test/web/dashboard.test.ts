// The dashboard and the demo site in a real browser (Debian's Chromium through playwright-core) against a
// real `nextbest serve` on 127.0.0.1, over a store with the synthetic bank data ingested (Santander
// holdings included), an fm with context features and an als trained, and one evaluation run: every page
// loads without console errors and without sideways scrolling at laptop and phone sizes, every chart's
// canvas has drawn content, the customer page lists recommendations that change with the context, a test
// event and a click on the demo site reach the store and change what is shown, models are activated and
// trained from the page, and a server with keys gets one asked for. Screenshots of every page at both
// sizes are written to test-output/screenshots/ (NEXTBEST_SCREENSHOTS=docs/screenshots refreshes the ones
// the README shows).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/api-keys.js';
import { runCli } from '../cli/run-cli.js';
import { chromiumPresent, collectErrors, drawnPixels, launchChromium } from '../helpers/browser.js';
import { startServe, type ServerProcess } from '../helpers/serve-process.js';
import { servedStore, type ServedStore } from '../helpers/served-store.js';

const SCREENSHOTS = join(process.cwd(), process.env.NEXTBEST_SCREENSHOTS ?? join('test-output', 'screenshots'));
const SIZES = [
  { name: 'laptop', width: 1366, height: 768 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Each page, where it is, and the charts it draws (by their aria-label). */
const PAGES = [
  {
    name: 'data',
    path: '/#/data',
    charts: ['events over time', 'funnel', 'cold-start share', 'product popularity', 'co-holding heatmap', 'customers by segment', 'click rate by time of day and page', 'products held per month', 'products added per month'],
  },
  { name: 'models', path: '/#/models', charts: ['ndcg@10 with intervals', 'coverage against accuracy', 'metric against K', 'fit time'] },
  { name: 'customer', path: '/#/customer/1000001', charts: ['event timeline'] },
  { name: 'product', path: '/#/product/P17', charts: ['events by type', 'similar products', 'holders by segment'] },
  { name: 'clusters', path: '/#/clusters', charts: ['k-means clusters', 'by segment'] },
  { name: 'demo', path: '/demo?customer=1000002&tod=evening', charts: [] },
];

const present = chromiumPresent();
let served: ServedStore;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  if (!present) return;
  served = servedStore(['als', 'fm features=ids,customer,product,context loss=logistic'], 600, 7, { santander: true });
  const evaluated = runCli(['evaluate', '--models', 'als,ease', '--k', '10'], served.dir);
  expect(evaluated.code, evaluated.stderr).toBe(0);
  server = await startServe(served.dir, ['--model', 'fm']);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
  await server?.exited;
});

/** Opens a page and waits until nothing is loading and every expected chart is drawn. */
async function open(page: Page, path: string, charts: number): Promise<void> {
  await page.goto(server.url + path);
  await page.waitForFunction(
    (n) => document.querySelectorAll('.state.loading').length === 0 && document.querySelectorAll('.chart[data-rendered]').length >= n && (location.pathname !== '/demo' || document.querySelectorAll('#offers .offer').length > 0),
    charts,
    { timeout: 60_000 },
  );
}

const apiJson = async (path: string): Promise<any> => {
  const r = await fetch(server.url + path);
  expect(r.status, path).toBe(200);
  return r.json();
};

/** The customer page's list: product and score of each row. */
const listed = (page: Page): Promise<string[]> => page.$$eval('#recs tbody tr', (rows) => rows.map((r) => `${r.getAttribute('data-product')} ${r.querySelector('td.num')?.textContent}`));

describe.skipIf(!present)('the dashboard in Chromium', () => {
  for (const p of PAGES)
    it(`loads ${p.name} with its charts drawn and no console error, at laptop and phone sizes`, async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      for (const size of SIZES) {
        const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
        const errors = collectErrors(page);
        await open(page, p.path, p.charts.length);
        const drawn = await drawnPixels(page);
        expect(drawn.map((d) => d.label).sort()).toEqual([...p.charts].sort());
        for (const d of drawn) expect(d.pixels, `${p.name} ${size.name}: chart "${d.label}"`).toBeGreaterThan(500);
        expect(await page.$$('.state.error'), `${p.name} shows an error state`).toHaveLength(0);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${p.name} ${size.name} scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(SCREENSHOTS, `${p.name}-${size.name}.png`), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      }
    });

  it('asks for the product\'s details once for both the About and the holders panels', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const asked: string[] = [];
    page.on('request', (r) => void (new URL(r.url()).pathname === '/v1/products/P17' && asked.push(r.method())));
    await open(page, '/#/product/P17', 3);
    expect(asked).toEqual(['GET']);
    await page.close();
  });

  it('lists the customer\'s recommendations, ranks them again when the context changes, and debug shows what a filter removed', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors = collectErrors(page);
    await open(page, '/#/customer/1000001', 1);
    const before = await listed(page);
    expect(before).toHaveLength(10);
    const api = await apiJson('/v1/customers/1000001/recommendations?k=10');
    expect(before.map((r) => r.split(' ')[0])).toEqual(api.recommendations.map((r: { product: string }) => r.product));

    await page.selectOption('select[name="tod"]', 'night');
    await page.selectOption('select[name="page"]', 'account');
    await page.waitForFunction(() => /tod=night/.test(document.querySelector('#recs-info')?.textContent ?? '') && /page=account/.test(document.querySelector('#recs-info')?.textContent ?? ''));
    const after = await listed(page);
    const inContext = await apiJson('/v1/customers/1000001/recommendations?k=10&timeOfDay=night&page=account');
    expect(after.map((r) => r.split(' ')[0])).toEqual(inContext.recommendations.map((r: { product: string }) => r.product));
    expect(after).not.toEqual(before);

    // debug lists what the type filter removed.
    await page.check('input[name="debug"]');
    await page.fill('input[name="exclude"]', 'insurance');
    await page.press('input[name="exclude"]', 'Enter');
    await page.waitForSelector('.debug table');
    const debugged = await apiJson('/v1/customers/1000001/recommendations?k=10&timeOfDay=night&page=account&debug=true&exclude=insurance');
    expect(debugged.debug.removed.length).toBeGreaterThan(0);
    const rows = await page.$$eval('.debug tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual(debugged.debug.removed.map((d: { rule: string; detail: string }) => [d.rule, 'removed', d.detail]));
    expect((await listed(page)).map((r) => r.split(' ')[0])).toEqual(debugged.recommendations.map((r: { product: string }) => r.product));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads the offers\' date once per page load, not on every refresh of the customer\'s list', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    let asked = 0;
    page.on('request', (r) => void (new URL(r.url()).pathname === '/v1/offers' && asked++));
    await open(page, '/#/customer/1000002', 1);
    await page.selectOption('select[name="tod"]', 'morning');
    await page.waitForFunction(() => /tod=morning/.test(document.querySelector('#recs-info')?.textContent ?? '') && document.querySelectorAll('.state.loading').length === 0);
    expect(asked).toBe(1);
    await page.close();
  });

  it('sends a test event from the customer page: it reaches the store and the list is ranked from it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors = collectErrors(page);
    await open(page, '/#/customer/1000003', 1);
    const before = await listed(page);
    const product = before[0].split(' ')[0];
    await page.selectOption('select[name="event product"]', product);
    await page.selectOption('select[name="event type"]', 'checkout');
    await page.click('#send-event');
    await page.waitForFunction(() => /sent checkout/.test(document.body.textContent ?? ''));
    const eventId = (await page.textContent('form.inline-form [role=status]'))?.match(/\((dashboard-[^)]+)\)/)?.[1];
    expect(eventId).toBeDefined();
    const profile = await apiJson('/v1/customers/1000003?events=5');
    expect(profile.recentEvents[0]).toMatchObject({ eventId, product, type: 'checkout' });
    await page.waitForFunction((p) => document.querySelectorAll('.state.loading').length === 0 && !document.querySelector(`#recs tbody tr[data-product="${p}"]`), product);
    const api = await apiJson('/v1/customers/1000003/recommendations?k=10');
    expect((await listed(page)).map((r) => r.split(' ')[0])).toEqual(api.recommendations.map((r: { product: string }) => r.product));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on the demo site, a click sends a click event that reaches the store, and the panel changes', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = collectErrors(page);
    await open(page, '/demo?customer=1000004&tod=evening', 0);
    const panel = () => page.$$eval('#offers .offer', (cards) => cards.map((c) => c.getAttribute('data-product')));
    const before = await panel();
    expect(before.length).toBeGreaterThan(0);
    const clicked = before[0] as string;
    await page.click(`#offers .offer[data-product="${clicked}"] button`);
    await page.waitForFunction(() => /You opened/.test(document.querySelector('.note')?.textContent ?? '') && document.querySelectorAll('.state.loading').length === 0);
    const profile = await apiJson('/v1/customers/1000004?events=5');
    expect(profile.recentEvents[0]).toMatchObject({ product: clicked, type: 'click', context: { page: 'offers', tod: 'evening' } });
    expect(profile.recentEvents[0].eventId).toMatch(/^demo-/);
    const after = await panel();
    expect(after).not.toEqual(before);
    const at = await page.getAttribute('#offers', 'data-at');
    const offers = await apiJson(`/v1/customers/1000004/offers?k=4&page=offers&timeOfDay=evening${at === 'now' ? '' : `&at=${at}`}`);
    expect(after).toEqual(offers.recommendations.map((r: { product: string }) => r.product));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('activates another model and trains one in the background from the Models page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors = collectErrors(page);
    await open(page, '/#/models', 4);
    await page.click('button[data-activate="als"]');
    await page.waitForFunction(() => /serving als/.test(document.querySelector('#active-model')?.textContent ?? ''));
    expect((await apiJson('/v1/models')).active).toBe('als');
    await page.selectOption('select[name="model"]', 'popularity');
    await page.fill('input[name="name"]', 'popularity-ui');
    await page.click('form.train-form button[type=submit]');
    await page.waitForFunction(() => /trained popularity-ui/.test(document.querySelector('form.train-form [role=status]')?.textContent ?? ''));
    await page.waitForSelector('button[data-activate="popularity-ui"]');
    expect((await apiJson('/v1/models')).models.map((m: { name: string }) => m.name)).toContain('popularity-ui');
    expect(await page.getAttribute('form.train-form progress', 'value')).toBe('1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks for an API key when the server has keys, keeps it, and then shows the data', async () => {
    const admin = createApiKey('dashboard', 'admin');
    const keys = join(served.dir, 'keys.json');
    writeFileSync(keys, JSON.stringify([admin.entry]));
    server.child.kill('SIGTERM');
    await server.exited;
    server = await startServe(served.dir, ['--model', 'fm', '--keys', keys]);
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors = collectErrors(page);
    await page.goto(`${server.url}/#/data`);
    await page.waitForSelector('dialog.key-dialog input');
    await page.fill('dialog.key-dialog input', admin.key);
    await page.click('dialog.key-dialog button[type=submit]');
    await open(page, '/#/data', PAGES[0].charts.length);
    expect(await page.evaluate(() => localStorage.getItem('nextbest.apiKey'))).toBe(admin.key);
    // The refused first requests are the only errors the browser logged.
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatch(/status of 401/);
    const again = collectErrors(page);
    await open(page, '/#/models', PAGES[1].charts.length);
    expect(await page.$$('dialog.key-dialog')).toHaveLength(0);
    expect(again).toEqual([]);
    await page.close();
  });
});
