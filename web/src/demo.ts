// The demo site: the "offers for you" panel of a bank's app for a chosen customer, rendered from what
// GET /v1/customers/ID/offers returns in the app's context (page offers, the time of day now). A tap on
// an offer sends a click event (POST /v1/events) and the panel is ranked again from it.
import { get, post, query } from './api';
import { catalogue, offersAt, productName } from './catalogue';
import { errorState, h, loading } from './dom';
import './demo.css';
import type { CustomerOffers } from './types';

const app = document.getElementById('app') as HTMLElement;
const params = new URLSearchParams(location.search);

function timeOfDay(date = new Date()): string {
  const hour = date.getHours();
  if (hour >= 6 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 18) return 'afternoon';
  if (hour >= 18 && hour < 23) return 'evening';
  return 'night';
}

/** The product type's initial on a coloured tile (no icon font needed offline). */
const TILE: Record<string, string> = { account: '#2563eb', card: '#7c3aed', loan: '#ea580c', mortgage: '#0d9488', insurance: '#16a34a', savings: '#ca8a04', investment: '#db2777', pension: '#4b5563' };

async function panel(customer: string, tod: string, target: HTMLElement, note: HTMLElement): Promise<void> {
  target.replaceChildren(loading('Finding offers for you…'));
  try {
    const [at, names] = await Promise.all([offersAt(), catalogue()]);
    target.dataset.at = at ?? 'now';
    const r = await get<CustomerOffers>(`/v1/customers/${encodeURIComponent(customer)}/offers${query({ k: 4, page: 'offers', timeOfDay: tod, at })}`);
    if (r.recommendations.length === 0) {
      target.replaceChildren(h('div', { class: 'state empty' }, 'No offers for you right now.'));
      return;
    }
    target.replaceChildren(
      ...r.recommendations.map((item) => {
        const p = names.get(item.product);
        const button = h('button', { class: 'cta', 'data-product': item.product }, item.offer ? 'Get this offer' : 'Learn more');
        button.addEventListener('click', () => {
          void (async () => {
            button.disabled = true;
            button.textContent = 'Opening…';
            try {
              const eventId = `demo-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
              await post('/v1/events', { eventId, customer, product: item.product, type: 'click', context: { page: 'offers', tod } });
              note.textContent = `You opened ${productName(names, item.product)}: we will tailor your offers.`;
              await panel(customer, tod, target, note);
            } catch (e) {
              target.prepend(errorState(e));
              button.disabled = false;
            }
          })();
        });
        return h(
          'article',
          { class: 'offer', 'data-product': item.product },
          h('div', { class: 'icon', 'aria-hidden': 'true', style: `background:${TILE[p?.type ?? ''] ?? '#dc2626'}` }, (p?.type || p?.name || '?').slice(0, 1).toUpperCase()),
          h(
            'div',
            { class: 'body' },
            h('h3', null, p?.name ?? item.product),
            item.offer ? h('p', { class: 'reward' }, item.offer.reward) : h('p', { class: 'muted' }, p?.type ? `Picked for you · ${p.type}` : 'Picked for you'),
            item.reason ? h('p', { class: 'why' }, item.reason.text) : null,
          ),
          button,
        );
      }),
    );
  } catch (e) {
    target.replaceChildren(errorState(e, () => void panel(customer, tod, target, note)));
  }
}

function render(customer: string): void {
  const tod = params.get('tod') ?? timeOfDay();
  const offers = h('div', { class: 'offers', id: 'offers' });
  const note = h('p', { class: 'note', role: 'status' });
  const picker = h('input', { id: 'demo-customer', value: customer, 'aria-label': 'customer id', autocomplete: 'off' });
  const form = h('form', { class: 'picker' }, h('label', null, 'Customer ', picker), h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = picker.value.trim();
    if (!next) return;
    params.set('customer', next);
    history.replaceState(null, '', `?${params.toString()}`);
    render(next);
  });
  app.replaceChildren(
    h('div', { class: 'demo-bar' }, form, h('a', { href: '/' }, 'Dashboard')),
    h(
      'div',
      { class: 'phone' },
      h('header', { class: 'bank' }, h('span', { class: 'logo' }, 'My Bank'), h('span', { class: 'muted' }, `Good ${tod === 'night' ? 'evening' : tod}`)),
      h('div', { class: 'balance' }, h('span', null, 'Everyday account'), h('strong', null, '€ 2,481.20')),
      h('h2', null, 'Offers for you'),
      note,
      offers,
      h('nav', { class: 'tabs' }, ...['Home', 'Payments', 'Offers', 'Profile'].map((t) => h('span', { class: t === 'Offers' ? 'on' : '' }, t))),
    ),
  );
  void panel(customer, tod, offers, note);
}

render(params.get('customer') ?? '1000001');
