// The Customer page: find a customer; see its attributes, holdings and event timeline; its current
// recommendations with scores, offers, rewards and reasons in a context (time of day, page) you pick;
// send a test event and watch the list react; `debug` lists what each business rule removed or moved.
// A sequence model's reasons carry its attention on the history product it follows from: shown as a bar.
import { ApiError, get, post, query } from '../api';
import { catalogue, offersAt, productName } from '../catalogue';
import { chart, grid } from '../charts';
import { card, empty, errorState, fill, fmt, h, label, pct, select, table } from '../dom';
import type { CustomerOffers, Profile, Reason, Recommendations } from '../types';

const TIMES = ['', 'morning', 'afternoon', 'evening', 'night'];
const PAGES = ['', 'home', 'products', 'offers', 'account', 'search'];
const EVENT_TYPES = ['click', 'display', 'checkout', 'acquire', 'drop'];

function search(onPick: (id: string) => void, current: string): Node {
  const input = h('input', { id: 'customer-search', type: 'search', placeholder: 'customer id, e.g. 1000001', value: current, autocomplete: 'off', 'aria-label': 'customer id' });
  const results = h('div', { class: 'results' });
  let timer = 0;
  const find = () => {
    void fill(results, async () => {
      const r = await get<{ attribute: string; customers: { customer: string; value: string | number | null }[] }>(`/v1/customers${query({ q: input.value.trim(), limit: 12 })}`);
      if (r.customers.length === 0) return empty(`No customer id contains "${input.value}".`);
      return h('div', { class: 'chips' }, ...r.customers.map((c) => h('a', { class: 'chip', href: `#/customer/${encodeURIComponent(c.customer)}` }, c.customer, c.value === null ? null : h('span', { class: 'muted small' }, ` ${c.value}`))));
    });
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(find, 250);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && input.value.trim()) onPick(input.value.trim());
  });
  find();
  return h('div', { class: 'search' }, input, results);
}

function timeline(p: Profile): Node {
  if (p.recentEvents.length === 0) return empty('No events: this customer is cold start.');
  const types = [...new Set(p.recentEvents.map((e) => e.type))];
  return chart(
    {
      tooltip: { formatter: (x: { data: { value: [string, string]; product: string; context: string } }) => `${x.data.value[0].slice(0, 16).replace('T', ' ')} ${x.data.value[1]} ${x.data.product} ${x.data.context}` },
      grid: grid({ top: 10 }),
      xAxis: { type: 'time' },
      yAxis: { type: 'category', data: types },
      series: [{ type: 'scatter', symbolSize: 10, data: p.recentEvents.map((e) => ({ value: [e.timestamp, e.type], product: e.product, context: Object.entries(e.context).map(([k, v]) => `${k}=${v}`).join(' ') })) }],
    },
    { height: 200, label: 'event timeline' },
  );
}

async function profileView(id: string): Promise<Node> {
  let p: Profile;
  try {
    p = await get<Profile>(`/v1/customers/${encodeURIComponent(id)}${query({ events: 50 })}`);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'CUSTOMER_NOT_FOUND') return empty(`The store does not know customer ${id}: the list above is a cold-start list. Send an event to make it known.`);
    throw e;
  }
  const names = await catalogue();
  const attrs = Object.entries(p.attributes);
  return h(
    'div',
    { class: 'profile' },
    attrs.length ? h('dl', { class: 'attrs' }, ...attrs.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v === null ? '–' : String(v))])) : empty('No attributes on file.'),
    h('h3', null, `Holdings${p.snapshotMonth ? ` (snapshot ${p.snapshotMonth.slice(0, 7)}, then events)` : ''}`),
    p.holdings.length
      ? h('div', { class: 'chips' }, ...p.holdings.map((x) => h('a', { class: 'chip', href: `#/product/${encodeURIComponent(x.product)}`, title: x.since ? `since ${x.since.slice(0, 10)}` : 'in the snapshot' }, productName(names, x.product))))
      : empty('Holds nothing.'),
    h('h3', null, 'Timeline'),
    timeline(p),
    p.recentEvents.length
      ? table(
          ['time', 'type', 'product', 'context', 'id'],
          p.recentEvents.slice(0, 12).map((e) => [e.timestamp.slice(0, 16).replace('T', ' '), e.type, productName(names, e.product), Object.entries(e.context).map(([k, v]) => `${k}=${v}`).join(' '), e.eventId ?? h('span', { class: 'muted' }, 'loaded')]),
          { className: 'events' },
        )
      : null,
  );
}

/** A two-tower model's attention over the customer tower's feature fields for one product, largest first, as bars. */
function towerAttention(r: Reason): Node {
  const fields = Object.entries(r.attention?.customer ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 4);
  return h(
    'div',
    { class: 'tower-attention', 'aria-label': 'attention over the customer tower\'s fields' },
    ...fields.map(([field, w]) =>
      h('div', { class: 'attention', title: `attention ${fmt(w, 3)} on ${field}` }, h('span', { class: 'bar', style: `width:${Math.round(Math.min(1, Math.max(0, w)) * 100)}%` }), h('span', { class: 'small' }, `${field} ${fmt(w, 2)}`)),
    ),
  );
}

/** The figures behind a reason: a two-tower model's attention over its fields, the attention a sequence model paid to a history product (as a bar), a contribution, a similarity or a feature's weight. */
function reasonDetail(r: Reason | undefined): Node | null {
  if (r?.attention) return towerAttention(r);
  if (!r || r.weight === null || r.weight === undefined) return null;
  const on = r.productName ?? r.product;
  if (r.measure === 'attention')
    return h('div', { class: 'attention', title: `attention ${fmt(r.weight, 3)} on ${on}` }, h('span', { class: 'bar', style: `width:${Math.round(Math.min(1, Math.max(0, r.weight)) * 100)}%` }), h('span', { class: 'small' }, `attention ${fmt(r.weight, 2)} on ${on}`));
  if (r.measure === 'contribution') return h('div', { class: 'muted small' }, `contribution ${fmt(r.weight, 3)}${r.total !== null && r.total !== undefined ? ` of ${fmt(r.total, 3)}` : ''}`);
  if (r.measure === 'similarity') return h('div', { class: 'muted small' }, `similarity ${fmt(r.weight, 3)} to ${on}`);
  if (r.kind === 'feature') return h('div', { class: 'muted small' }, `${r.feature} weight ${fmt(r.weight, 3)}`);
  return null;
}

interface Controls {
  tod: string;
  page: string;
  k: number;
  debug: boolean;
  exclude: string;
}

async function recommendationsView(id: string, c: Controls): Promise<Node> {
  const ctx = { timeOfDay: c.tod || undefined, page: c.page || undefined };
  const at = await offersAt();
  const [recs, offers, names] = await Promise.all([
    get<Recommendations>(`/v1/customers/${encodeURIComponent(id)}/recommendations${query({ k: c.k, ...ctx, debug: c.debug || undefined, exclude: c.exclude })}`),
    get<CustomerOffers>(`/v1/customers/${encodeURIComponent(id)}/offers${query({ k: Math.max(c.k, 20), ...ctx, at })}`),
    catalogue(),
  ]);
  const offerOf = new Map(offers.recommendations.map((o) => [o.product, o]));
  const info: string[] = [`model ${recs.model}`];
  if (recs.coldStart) info.push(`cold start: popular ${recs.coldStart.basis === 'segment' ? `in segment ${recs.coldStart.segment}` : 'overall'}`);
  if (recs.liveEvents) info.push('live events reached the list');
  if (recs.context) info.push(`context ${Object.entries(recs.context.used).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}${recs.context.averaged.length ? ` (averaged: ${recs.context.averaged.join(', ')})` : ''}`);
  else if (c.tod || c.page) info.push('this model ignores the context');
  info.push(`offers as of ${at ?? 'now'}`);
  const list = recs.recommendations.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { id: 'recs' },
          h('thead', null, h('tr', null, ...['#', 'product', 'score', 'offer', 'P(accept)', 'exp. value', 'why'].map((t) => h('th', null, t)))),
          h(
            'tbody',
            null,
            ...recs.recommendations.map((r) => {
              const o = offerOf.get(r.product);
              return h(
                'tr',
                { 'data-product': r.product },
                h('td', null, r.rank),
                h('td', null, h('a', { href: `#/product/${encodeURIComponent(r.product)}` }, productName(names, r.product)), h('div', { class: 'muted small' }, r.product)),
                h('td', { class: 'num' }, fmt(r.score)),
                h('td', null, o?.offer ? `${o.offer.reward}${o.offer.rewardValue !== null ? ` (${o.offer.rewardValue})` : ''}` : h('span', { class: 'muted' }, 'none')),
                h('td', { class: 'num' }, pct(o?.pAccept)),
                h('td', { class: 'num' }, fmt(o?.expectedValue ?? null, 2)),
                h('td', { class: 'small' }, r.reason?.text ?? '', reasonDetail(r.reason)),
              );
            }),
          ),
        ),
      )
    : empty('The list is empty: every product was filtered out or is held.');
  const debug = recs.debug
    ? h(
        'div',
        { class: 'debug' },
        h('h3', null, 'Business rules (debug)'),
        recs.debug.removed.length || recs.debug.moved.length
          ? table(
              ['product', 'rule', 'what', 'detail'],
              [
                ...recs.debug.removed.map((d) => [productName(names, d.product), d.rule, 'removed', d.detail]),
                ...recs.debug.moved.map((d) => [productName(names, d.product), d.rule, `moved ${d.from + 1} → ${d.to === null ? 'out' : d.to + 1}`, d.detail]),
              ],
            )
          : empty('No rule removed or moved anything (the server has no rules file, and no type is excluded).'),
      )
    : null;
  return h('div', null, h('p', { class: 'muted small', id: 'recs-info' }, info.join(' · ')), list, debug);
}

function eventForm(id: string, controls: () => Controls, onSent: () => void): Node {
  const product = h('select', { name: 'event product', 'aria-label': 'event product' });
  void catalogue().then((c) => product.append(...[...c.values()].map((p) => h('option', { value: p.product }, `${p.product} ${p.name ?? ''}`))));
  const type = select('event type', EVENT_TYPES, 'click');
  const status = h('span', { class: 'small', role: 'status' });
  const button = h('button', { type: 'submit', id: 'send-event' }, 'Send event');
  const form = h('form', { class: 'inline-form' }, label('product', product), label('type', type), button, status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      button.disabled = true;
      const c = controls();
      const context: Record<string, string> = {};
      if (c.tod) context.tod = c.tod;
      if (c.page) context.page = c.page;
      try {
        const eventId = `dashboard-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
        await post('/v1/events', { eventId, customer: id, product: product.value, type: type.value, context });
        status.replaceChildren(`sent ${type.value} on ${product.value} (${eventId})`);
        onSent();
      } catch (err) {
        status.replaceChildren(errorState(err));
      } finally {
        button.disabled = false;
      }
    })();
  });
  return form;
}

export function customerPage(root: HTMLElement, id: string | undefined): void {
  const go = (c: string) => (location.hash = `#/customer/${encodeURIComponent(c)}`);
  root.replaceChildren(h('h1', null, id ? `Customer ${id}` : 'Customer'), card('Find a customer', search(go, id ?? ''), { wide: true }));
  if (!id) return;
  const controls: Controls = { tod: '', page: '', k: 10, debug: false, exclude: '' };
  const profile = h('div');
  const recs = h('div', { id: 'recs-panel' });
  const loadRecs = () => void fill(recs, () => recommendationsView(id, controls), 'Ranking…');
  const loadProfile = () => void fill(profile, () => profileView(id));
  const debug = h('input', { type: 'checkbox', name: 'debug' });
  debug.addEventListener('change', () => ((controls.debug = debug.checked), loadRecs()));
  const exclude = h('input', { name: 'exclude', placeholder: 'e.g. mortgage,loan', autocomplete: 'off' });
  exclude.addEventListener('change', () => ((controls.exclude = exclude.value.trim()), loadRecs()));
  const bar = h(
    'div',
    { class: 'controls' },
    label('time of day', select('tod', TIMES.map((t) => [t, t || 'any']), '', (v) => ((controls.tod = v), loadRecs()))),
    label('page', select('page', PAGES.map((p) => [p, p || 'any']), '', (v) => ((controls.page = v), loadRecs()))),
    label('how many', select('k', ['5', '10', '20'], '10', (v) => ((controls.k = Number(v)), loadRecs()))),
    label('exclude types', exclude),
    h('label', { class: 'check' }, debug, ' debug'),
  );
  root.append(
    h(
      'div',
      { class: 'grid' },
      card('Recommendations', h('div', null, bar, recs), { wide: true, note: 'Change the context and the list is ranked again in it (models trained with context features).' }),
      card('Send a test event', eventForm(id, () => controls, () => (loadRecs(), loadProfile())), { wide: true, note: 'Stored like an app\'s event; the list above ranks from it at once.' }),
      card('Profile', profile, { wide: true }),
    ),
  );
  loadRecs();
  loadProfile();
}

