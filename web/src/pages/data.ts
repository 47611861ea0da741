// The Data page: what the store holds, from GET /v1/data/overview.
import { get } from '../api';
import { chart, grid } from '../charts';
import { card, empty, fill, h, int, pct } from '../dom';
import type { Overview } from '../types';

const tile = (label: string, value: string) => h('div', { class: 'tile' }, h('div', { class: 'tile-value' }, value), h('div', { class: 'muted small' }, label));

function overTime(o: Overview): Node {
  if (o.overTime.periods.length === 0) return empty('No events in the store yet.');
  return chart(
    {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: grid(),
      dataZoom: o.overTime.periods.length > 60 ? [{ type: 'inside' }, { type: 'slider', height: 16, bottom: 4 }] : [],
      xAxis: { type: 'category', data: o.overTime.periods },
      yAxis: { type: 'log', min: 1, name: `events per ${o.overTime.bucket}` },
      series: Object.entries(o.overTime.series).map(([name, data]) => ({ name, type: 'line', showSymbol: false, data: data.map((v) => (v > 0 ? v : null)) })),
    },
    { label: 'events over time' },
  );
}

function funnel(o: Overview): Node {
  if (o.funnel.every((s) => s.events === 0)) return empty('No display, click or checkout events.');
  const [d, c, k] = o.funnel;
  return h(
    'div',
    null,
    chart(
      {
        tooltip: { formatter: (p: { name: string; value: number; data: { customers: number } }) => `${p.name}: ${int(p.value)} events, ${int(p.data.customers)} customers` },
        series: [{ type: 'funnel', left: '10%', width: '80%', sort: 'none', label: { formatter: '{b}: {c}' }, data: o.funnel.map((s) => ({ name: s.type, value: s.events, customers: s.customers })) }],
      },
      { height: 220, label: 'funnel' },
    ),
    h('p', { class: 'muted small' }, `click / display ${pct(d.events ? c.events / d.events : null, 2)}, checkout / click ${pct(c.events ? k.events / c.events : null)}`),
  );
}

function popularity(o: Overview): Node {
  if (o.popularity.length === 0) return empty('No product has events.');
  const rows = [...o.popularity].reverse();
  const label = (p: Overview['popularity'][number]) => (p.name ? `${p.product} ${p.name.length > 22 ? p.name.slice(0, 21) + '…' : p.name}` : p.product);
  return chart(
    {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: grid({ left: 8 }),
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map(label), axisLabel: { fontSize: 10 } },
      series: Object.keys(o.eventsByType)
        .filter((t) => rows.some((p) => p.byType[t]))
        .map((t) => ({ name: t, type: 'bar', stack: 'all', data: rows.map((p) => p.byType[t] ?? 0) })),
    },
    { height: Math.max(260, rows.length * 18 + 60), label: 'product popularity' },
  );
}

function heatmap(o: Overview): Node {
  const { products, counts, source } = o.coHolding;
  if (products.length === 0) return empty('No customer holds a product yet.');
  const data: [number, number, number][] = [];
  let max = 0;
  counts.forEach((row, i) => row.forEach((v, j) => (data.push([j, i, v]), i !== j && (max = Math.max(max, v)))));
  return h(
    'div',
    null,
    chart(
      {
        tooltip: { formatter: (p: { value: [number, number, number] }) => `${products[p.value[1]]} & ${products[p.value[0]]}: ${int(p.value[2])} customers` },
        grid: grid({ top: 10, bottom: 70 }),
        xAxis: { type: 'category', data: products, axisLabel: { rotate: 60, fontSize: 10 } },
        yAxis: { type: 'category', data: products, axisLabel: { fontSize: 10 } },
        visualMap: { min: 0, max: Math.max(1, max), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#eff6ff', '#1d4ed8'] } },
        series: [{ type: 'heatmap', data }],
      },
      { height: 360, label: 'co-holding heatmap' },
    ),
    h('p', { class: 'muted small' }, source === 'snapshots' ? 'Held: the latest monthly snapshot. The diagonal (holders) is off the colour scale.' : 'Held: acquire or checkout events (the store has no monthly snapshots).'),
  );
}

function segments(o: Overview): Node {
  const rows = o.segments.rows;
  if (rows.every((r) => r.value === '(none)')) return empty(`No customer has the attribute ${o.segments.attribute}.`);
  return chart(
    {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: grid(),
      xAxis: { type: 'category', data: rows.map((r) => r.value), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: [{ type: 'value', name: 'customers' }, { type: 'value', name: 'click rate', axisLabel: { formatter: (v: number) => pct(v, 0) } }],
      series: [
        { name: 'customers', type: 'bar', data: rows.map((r) => r.customers) },
        { name: 'with events', type: 'bar', data: rows.map((r) => r.customersWithEvents) },
        { name: 'click rate', type: 'line', yAxisIndex: 1, data: rows.map((r) => (r.displays ? r.clicks / r.displays : null)) },
      ],
    },
    { label: 'customers by segment' },
  );
}

function clickRate(o: Overview): Node {
  const { times, pages, rate, displays } = o.clickRate;
  if (times.length === 0) return empty('No displays to compute a click rate from.');
  const data: [number, number, number | null][] = [];
  let max = 0;
  rate.forEach((row, i) => row.forEach((v, j) => (data.push([j, i, v === null ? null : Math.round(v * 10000) / 100]), v !== null && (max = Math.max(max, v)))));
  return h(
    'div',
    null,
    chart(
      {
        tooltip: { formatter: (p: { value: [number, number, number | null] }) => `${times[p.value[1]]}, ${pages[p.value[0]]}: ${p.value[2] ?? '–'}% of ${int(displays[p.value[1]][p.value[0]])} displays clicked` },
        grid: grid({ top: 10, bottom: 60 }),
        xAxis: { type: 'category', data: pages },
        yAxis: { type: 'category', data: times },
        visualMap: { min: 0, max: Math.max(0.01, Math.round(max * 10000) / 100), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#fff7ed', '#c2410c'] } },
        series: [{ type: 'heatmap', data, label: { show: true, formatter: (p: { value: [number, number, number | null] }) => (p.value[2] === null ? '' : `${p.value[2].toFixed(1)}%`) } }],
      },
      { height: 280, label: 'click rate by time of day and page' },
    ),
    h('p', { class: 'muted small' }, o.clickRate.source === 'context' ? 'Time of day and page from the events\' context.' : 'The events carry no tod context: time of day from their timestamps (UTC).'),
  );
}

function coldStart(o: Overview): Node {
  const c = o.coldStart;
  if (c.customers === 0) return empty('No customers in the store.');
  return h(
    'div',
    null,
    chart(
      {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [{ type: 'pie', radius: ['45%', '70%'], label: { show: false }, data: [{ name: 'with events', value: c.withEvents }, { name: 'cold start', value: c.cold }] }],
      },
      { height: 220, label: 'cold-start share' },
    ),
    h('p', { class: 'muted small' }, `${int(c.cold)} of ${int(c.customers)} customers (${pct(c.share)}) have no events: they get cold-start lists.`),
  );
}

function holdings(o: Overview): Node {
  const hm = o.holdings;
  if (!hm) return empty('');
  const series = (rows: number[][], type: 'line' | 'bar') =>
    hm.products.map((p, i) => ({ name: p, type, stack: 'all', areaStyle: type === 'line' ? {} : undefined, showSymbol: false, data: rows[i] }));
  const axis = { type: 'category', data: hm.months.map((m) => m.slice(0, 7)) };
  return h(
    'div',
    { class: 'pair' },
    chart({ tooltip: { trigger: 'axis' }, legend: { top: 0, type: 'scroll' }, grid: grid({ top: 48 }), xAxis: axis, yAxis: { type: 'value', name: 'held' }, series: series(hm.held, 'line') }, { label: 'products held per month' }),
    chart({ tooltip: { trigger: 'axis' }, legend: { top: 0, type: 'scroll' }, grid: grid({ top: 48 }), xAxis: axis, yAxis: { type: 'value', name: 'added' }, series: series(hm.added, 'bar') }, { label: 'products added per month' }),
  );
}

export function dataPage(root: HTMLElement): void {
  const body = h('div');
  root.replaceChildren(h('h1', null, 'Data'), body);
  void fill(
    body,
    async () => {
      const o = await get<Overview>('/v1/data/overview');
      return h(
        'div',
        { class: 'grid' },
        h('div', { class: 'tiles wide' }, tile('customers', int(o.counts.customers)), tile('products', int(o.counts.products)), tile('events', int(o.counts.events)), tile('monthly holdings', int(o.counts.holdings)), tile('cold start', pct(o.coldStart.share))),
        card('Events over time', overTime(o), { wide: true }),
        card('DISPLAY → CLICK → CHECKOUT', funnel(o)),
        card('Cold start', coldStart(o)),
        card('Product popularity', popularity(o), { note: 'The most active products, events by type.' }),
        card('Products held together', heatmap(o), { note: 'Customers holding both products.' }),
        card(`By ${o.segments.attribute}`, segments(o)),
        card('Click rate by time of day × page', clickRate(o)),
        o.holdings ? card('Monthly holdings (Santander layout)', holdings(o), { wide: true, note: 'Customers holding each product per month, and those who added it that month.' }) : null,
      );
    },
    'Reading the store…',
  );
}
