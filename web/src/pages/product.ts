// The Product page: pick a product; its facts and events, the products the active model finds most
// similar, who holds it (by segment), and the offers on it.
import { get, query } from '../api';
import { catalogue, productName } from '../catalogue';
import { chart, grid } from '../charts';
import { card, empty, fill, fmt, h, int, label, table } from '../dom';
import type { Offer, ProductDetail } from '../types';

async function details(detail: () => Promise<ProductDetail>): Promise<Node> {
  const p = await detail();
  const events = Object.entries(p.eventsByType);
  return h(
    'div',
    null,
    h('p', null, h('strong', null, p.name ?? p.product), ` · ${p.type || 'no type'}`),
    Object.keys(p.attributes).length ? h('dl', { class: 'attrs' }, ...Object.entries(p.attributes).flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v === null ? '–' : String(v))])) : null,
    events.length
      ? chart(
          { tooltip: {}, grid: grid({ top: 10 }), xAxis: { type: 'category', data: events.map(([t]) => t) }, yAxis: { type: 'log', min: 1 }, series: [{ type: 'bar', data: events.map(([, n]) => n) }] },
          { height: 200, label: 'events by type' },
        )
      : empty('No events on this product.'),
  );
}

async function similar(id: string): Promise<Node> {
  const [r, names] = await Promise.all([get<{ model: string; similar: { rank: number; product: string; score: number }[] }>(`/v1/products/${encodeURIComponent(id)}/similar${query({ k: 10 })}`), catalogue()]);
  if (r.similar.length === 0) return empty(`Model ${r.model} finds no similar product.`);
  const rows = [...r.similar].reverse();
  return h(
    'div',
    null,
    h('p', { class: 'muted small' }, `by model ${r.model}`),
    chart(
      {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: grid({ left: 8, top: 10 }),
        xAxis: { type: 'value', name: 'similarity' },
        yAxis: { type: 'category', data: rows.map((s) => `${s.product} ${productName(names, s.product).slice(0, 24)}`), axisLabel: { fontSize: 10 } },
        series: [{ type: 'bar', data: rows.map((s) => s.score) }],
      },
      { height: Math.max(200, rows.length * 24 + 50), label: 'similar products' },
    ),
    h('div', { class: 'chips' }, ...r.similar.map((s) => h('a', { class: 'chip', href: `#/product/${encodeURIComponent(s.product)}` }, productName(names, s.product)))),
  );
}

async function holders(detail: () => Promise<ProductDetail>): Promise<Node> {
  const p = await detail();
  if (p.holders.count === 0) return empty('Nobody holds it now.');
  return h(
    'div',
    null,
    h('p', null, `${int(p.holders.count)} customers hold it now.`),
    chart(
      {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0, type: 'scroll' },
        series: [{ type: 'pie', radius: ['40%', '68%'], data: p.holders.byAttribute.map((b) => ({ name: b.value, value: b.customers })) }],
      },
      { height: 240, label: `holders by ${p.holders.attribute}` },
    ),
    h('div', { class: 'chips' }, ...p.holders.customers.map((c) => h('a', { class: 'chip', href: `#/customer/${encodeURIComponent(c)}` }, c))),
  );
}

async function offers(id: string): Promise<Node> {
  const { offers: list } = await get<{ offers: Offer[] }>(`/v1/offers${query({ product: id })}`);
  if (list.length === 0) return empty('No offer on this product.');
  return table(
    ['offer', 'reward', 'value', 'from', 'to', 'state'],
    list.map((o) => [o.id, o.reward, fmt(o.rewardValue, 0), o.validFrom?.slice(0, 10) ?? 'open', o.validTo?.slice(0, 10) ?? 'open', o.retiredAt ? 'retired' : o.active ? 'running' : 'not running now']),
  );
}

export function productPage(root: HTMLElement, id: string | undefined): void {
  const picker = h('select', { id: 'product-select', 'aria-label': 'product' }, h('option', { value: '' }, 'choose a product…'));
  picker.addEventListener('change', () => picker.value && (location.hash = `#/product/${encodeURIComponent(picker.value)}`));
  void catalogue().then((c) => {
    picker.append(...[...c.values()].map((p) => h('option', { value: p.product }, `${p.product} ${p.name ?? ''} (${p.type || 'no type'})`)));
    if (id) picker.value = id;
  });
  root.replaceChildren(h('h1', null, id ? `Product ${id}` : 'Product'), card('Product', label('product', picker), { wide: true }));
  if (!id) return;
  // GET /v1/products/:id scans events, holdings and attributes: both panels share one request, and a
  // failed one is forgotten so that either panel's retry asks again.
  let pending: Promise<ProductDetail> | undefined;
  const detail = (): Promise<ProductDetail> =>
    (pending ??= get<ProductDetail>(`/v1/products/${encodeURIComponent(id)}`).catch((e: unknown) => {
      pending = undefined;
      throw e;
    }));
  const parts: [string, () => Promise<Node>][] = [
    ['About', () => details(detail)],
    ['Similar products', () => similar(id)],
    ['Who holds it', () => holders(detail)],
    ['Offers on it', () => offers(id)],
  ];
  const boxes = parts.map(([title]) => [title, h('div')] as const);
  root.append(h('div', { class: 'grid' }, ...boxes.map(([title, box]) => card(title, box))));
  boxes.forEach(([, box], i) => void fill(box, parts[i][1]));
}
