// The Clusters page: a factor model's learned customer or product factors in 2-D (principal components),
// coloured by k-means cluster beside the same points coloured by an attribute, with the adjusted Rand
// index of the two groupings.
import { get, query, trainAndWait } from '../api';
import { chart, grid, PALETTE } from '../charts';
import { card, empty, errorState, fill, fmt, h, label, pct, select } from '../dom';
import type { Models, Projection } from '../types';

const FACTOR_MODELS = ['als', 'bpr', 'warp', 'fm', 'factors'];

function scatter(p: Projection, by: 'cluster' | 'value'): Node {
  const groups = new Map<string, [number, number, string][]>();
  for (const pt of p.points) {
    const key = by === 'cluster' ? `cluster ${pt.cluster + 1}` : (pt.value ?? '(none)');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)?.push([pt.x, pt.y, pt.id]);
  }
  const names = [...groups.keys()].sort();
  return chart(
    {
      tooltip: { formatter: (x: { seriesName: string; value: [number, number, string] }) => `${x.value[2]} · ${x.seriesName}` },
      legend: { top: 0, type: 'scroll' },
      grid: grid({ top: 40 }),
      xAxis: { type: 'value', name: `PC1 (${pct(p.explained[0], 0)})`, scale: true, splitLine: { show: false } },
      yAxis: { type: 'value', name: `PC2 (${pct(p.explained[1], 0)})`, scale: true, splitLine: { show: false } },
      series: names.map((name, i) => ({ name, type: 'scatter', symbolSize: p.points.length > 500 ? 4 : 7, itemStyle: { color: PALETTE[i % PALETTE.length], opacity: 0.75 }, data: groups.get(name) })),
    },
    { height: 340, label: by === 'cluster' ? 'k-means clusters' : `by ${p.attribute}` },
  );
}

function trainAls(onDone: () => void): Node {
  const status = h('div', { class: 'small', role: 'status' });
  const button = h('button', null, 'Train als now');
  button.addEventListener('click', () => {
    void (async () => {
      button.disabled = true;
      try {
        const job = await trainAndWait({ model: 'als', params: {}, name: 'als' }, (j) => status.replaceChildren(`${j.phase} ${Math.round(j.progress * 100)}%`));
        if (job.state === 'failed') status.replaceChildren(errorState(new Error(job.error?.message ?? 'failed')));
        else onDone();
      } catch (e) {
        status.replaceChildren(errorState(e));
      } finally {
        button.disabled = false;
      }
    })();
  });
  return h('div', null, button, status);
}

export function clustersPage(root: HTMLElement): void {
  const body = h('div');
  root.replaceChildren(h('h1', null, 'Clusters'), body);
  const load = () =>
    void fill(body, async () => {
      const { models } = await get<Models>('/v1/models');
      const factor = models.filter((m) => m.model !== null && FACTOR_MODELS.includes(m.model) && m.task === 'ranking');
      if (factor.length === 0)
        return card('No factor model', empty(`Clusters come from learned factors: train one of ${FACTOR_MODELS.join(', ')}.`, trainAls(load)), { wide: true });
      const state = { model: (factor.find((m) => m.active) ?? factor[0]).name, entity: 'customers', clusters: '6', attribute: '' };
      const view = h('div');
      const draw = () =>
        void fill(view, async () => {
          const p = await get<Projection>(`/v1/models/${encodeURIComponent(state.model)}/projection${query({ entity: state.entity, clusters: state.clusters, attribute: state.attribute || undefined })}`);
          return h(
            'div',
            null,
            h(
              'p',
              { class: 'muted small' },
              `${p.points.length} of ${p.total} ${p.entity} with learned factors (${p.factors} dimensions); ${p.clusters} k-means clusters on the full factors. ` +
                (p.adjustedRand === null ? 'No attribute to compare with.' : `Adjusted Rand index of the clusters against ${p.attribute}: ${fmt(p.adjustedRand, 3)} (1: the same grouping, about 0: unrelated).`),
            ),
            h('div', { class: 'grid' }, card('k-means clusters', scatter(p, 'cluster')), card(`By ${p.attribute ?? 'attribute'}`, p.attribute ? scatter(p, 'value') : empty('No attribute given.'))),
          );
        }, 'Projecting…');
      const attribute = h('input', { name: 'attribute', placeholder: 'segment (customers) or type (products)', autocomplete: 'off' });
      attribute.addEventListener('change', () => ((state.attribute = attribute.value.trim()), draw()));
      const controls = h(
        'div',
        { class: 'controls' },
        label('model', select('model', factor.map((m) => [m.name, `${m.name} (${m.model})`]), state.model, (v) => ((state.model = v), draw()))),
        label('factors of', select('entity', ['customers', 'products'], state.entity, (v) => ((state.entity = v), draw()))),
        label('clusters', select('clusters', ['2', '3', '4', '5', '6', '8', '10'], state.clusters, (v) => ((state.clusters = v), draw()))),
        label('compare with', attribute),
      );
      draw();
      return card('Learned factors in 2-D', h('div', null, controls, view), { wide: true });
    });
  load();
}
