// The dashboard: hash routes per page (#/data, #/models, #/customer/ID, #/product/ID, #/clusters), the
// active model in the header, everything read from the /v1 API.
import { forgetKey, get, hasKey } from './api';
import { disposeCharts } from './charts';
import { h } from './dom';
import { clustersPage } from './pages/clusters';
import { customerPage } from './pages/customer';
import { dataPage } from './pages/data';
import { modelsPage } from './pages/models';
import { productPage } from './pages/product';
import './style.css';
import type { Models } from './types';

const page = document.getElementById('page') as HTMLElement;
const activeModel = document.getElementById('active-model') as HTMLElement;

function showActive(): void {
  get<Models>('/v1/models')
    .then((m) => {
      activeModel.replaceChildren(m.active ? h('span', null, 'serving ', h('strong', null, m.active)) : 'no active model');
      if (hasKey()) activeModel.append(' ', h('button', { class: 'link', onclick: () => (forgetKey(), location.reload()) }, 'forget key'));
    })
    .catch(() => activeModel.replaceChildren('server not answering'));
}

function route(): void {
  disposeCharts();
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const id = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  const current = name || 'data';
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#nav a[data-page]')) a.classList.toggle('current', a.dataset.page === current);
  window.scrollTo(0, 0);
  switch (current) {
    case 'models':
      return modelsPage(page, showActive);
    case 'customer':
      return customerPage(page, id);
    case 'product':
      return productPage(page, id);
    case 'clusters':
      return clustersPage(page);
    case 'data':
      return dataPage(page);
    default:
      page.replaceChildren(h('div', { class: 'state empty' }, `No page "${current}". `, h('a', { href: '#/data' }, 'Go to Data')));
  }
}

window.addEventListener('hashchange', route);
showActive();
route();
