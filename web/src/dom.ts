// Small DOM helpers: element building, cards, and the loading, empty and error states every panel shows.
import { ApiError } from './api';

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

/** A titled card; `body` is its content element. */
export function card(title: string, body: Node, opts: { wide?: boolean; id?: string; note?: string } = {}): HTMLElement {
  return h('section', { class: `card${opts.wide ? ' wide' : ''}`, id: opts.id }, h('h2', null, title), opts.note ? h('p', { class: 'muted small' }, opts.note) : null, body);
}

export const loading = (text = 'Loading…'): HTMLElement => h('div', { class: 'state loading', role: 'status' }, h('span', { class: 'spinner' }), text);
export const empty = (text: string, ...extra: Child[]): HTMLElement => h('div', { class: 'state empty' }, text, ...extra);

export function errorState(e: unknown, retry?: () => void): HTMLElement {
  const message = e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
  const code = e instanceof ApiError ? e.code : 'ERROR';
  return h('div', { class: 'state error', role: 'alert' }, h('strong', null, code), ' ', message, retry ? h('button', { class: 'link', onclick: retry }, 'Retry') : null);
}

let fills = 0;

/** Shows loading in `target`, then what `work` builds, or the error with a retry; a later fill of the same target wins over one still running. */
export async function fill(target: HTMLElement, work: () => Promise<Node>, text?: string): Promise<void> {
  const token = String(++fills);
  target.dataset.fill = token;
  target.replaceChildren(loading(text));
  let content: Node;
  try {
    content = await work();
  } catch (e) {
    content = errorState(e, () => void fill(target, work, text));
  }
  if (target.dataset.fill === token) target.replaceChildren(content);
}

export function table(headers: string[], rows: Child[][], opts: { className?: string } = {}): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: opts.className }, h('thead', null, h('tr', null, ...headers.map((t) => h('th', null, t)))), h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c) => h('td', null, c)))))),
  );
}

export const fmt = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
export const int = (v: number): string => v.toLocaleString('en-US');
export const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(digits)}%`);

export function select(name: string, options: (string | [string, string])[], value?: string, onchange?: (v: string) => void): HTMLSelectElement {
  const s = h('select', { name, 'aria-label': name }, ...options.map((o) => (Array.isArray(o) ? h('option', { value: o[0] }, o[1]) : h('option', { value: o }, o))));
  if (value !== undefined) s.value = value;
  if (onchange) s.addEventListener('change', () => onchange(s.value));
  return s;
}

export const label = (text: string, control: HTMLElement): HTMLElement => h('label', { class: 'field' }, h('span', null, text), control);
