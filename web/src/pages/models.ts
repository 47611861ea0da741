// The Models page: saved models (which is active, activate another), the leaderboard of evaluation runs
// (metrics at K with their 95% intervals, coverage against accuracy, fit time, metric-vs-K curves) and
// a form that trains a model in the background with its progress.
import { get, post, query, trainAndWait } from '../api';
import { chart, grid } from '../charts';
import { card, empty, errorState, fill, fmt, h, int, label, select, table } from '../dom';
import type { EvaluationRun, Models } from '../types';

const TRAINABLE = ['als', 'bpr', 'warp', 'ease', 'item-knn', 'user-knn', 'sims', 'popularity', 'fm'];
const CURVE_METRICS = ['ndcg', 'precision', 'recall', 'hr'];

function savedModels(m: Models, reload: () => void): Node {
  if (m.models.length === 0) return empty('No saved model yet: train one below (or nextbest train --model als).');
  const status = h('div', { class: 'small', role: 'status' });
  const activate = async (name: string, button: HTMLButtonElement) => {
    button.disabled = true;
    status.replaceChildren(`activating ${name}…`);
    try {
      await post(`/v1/models/${encodeURIComponent(name)}/activate`);
      reload();
    } catch (e) {
      status.replaceChildren(errorState(e));
      button.disabled = false;
    }
  };
  return h(
    'div',
    null,
    table(
      ['name', 'model', 'task', 'trained', 'events', 'fit s', 'size', ''],
      m.models.map((s) => {
        const button = h('button', { class: 'small-button', 'data-activate': s.name }, 'Activate');
        button.addEventListener('click', () => void activate(s.name, button));
        return [
          h('strong', null, s.name),
          s.model ?? '?',
          s.task ?? '?',
          s.trainedAt.slice(0, 16).replace('T', ' '),
          s.events === null ? '–' : int(s.events),
          fmt(s.fitSeconds, 2),
          `${(s.bytes / 1024).toFixed(0)} KB`,
          s.active ? h('span', { class: 'badge' }, 'active') : s.task === 'ranking' ? button : h('span', { class: 'muted small' }, 'not a ranking model'),
        ];
      }),
    ),
    status,
  );
}

/** Bars of a metric with its interval drawn as whiskers. */
function intervalChart(run: EvaluationRun, metric: string): Node {
  const models = run.models;
  const whiskers = models.map((m, i) => [i, m.intervals[metric]?.low ?? null, m.intervals[metric]?.high ?? null]);
  return chart(
    {
      tooltip: { trigger: 'axis' },
      grid: grid(),
      xAxis: { type: 'category', data: models.map((m) => m.name) },
      yAxis: { type: 'value', name: metric },
      series: [
        { name: metric, type: 'bar', data: models.map((m) => m.metrics[metric]) },
        {
          name: '95% interval',
          type: 'custom',
          data: whiskers,
          renderItem: (_: unknown, api: { value: (i: number) => number; coord: (p: number[]) => number[]; size: (p: number[]) => number[] }) => {
            const x = api.value(0);
            const lo = api.coord([x, api.value(1)]);
            const hi = api.coord([x, api.value(2)]);
            const w = api.size([1, 0])[0] * 0.15;
            const style = { stroke: '#111827', lineWidth: 1.5 };
            return {
              type: 'group',
              children: [
                { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
                { type: 'line', shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] }, style },
                { type: 'line', shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] }, style },
              ],
            };
          },
          z: 10,
        },
      ],
    },
    { label: `${metric} with intervals` },
  );
}

function coverageChart(run: EvaluationRun, metric: string): Node {
  const k = run.k;
  return chart(
    {
      tooltip: { formatter: (p: { data: { name: string; value: number[] } }) => `${p.data.name}: coverage ${fmt(p.data.value[0], 3)}, ${metric} ${fmt(p.data.value[1])}` },
      grid: grid(),
      xAxis: { type: 'value', name: `coverage@${k}`, min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 10 - 1) / 10), max: 1 },
      yAxis: { type: 'value', name: metric, scale: true },
      series: [
        {
          type: 'scatter',
          symbolSize: 14,
          label: { show: true, position: 'right', formatter: '{b}' },
          data: run.models.map((m) => ({ name: m.name, value: [m.metrics[`coverage@${k}`], m.metrics[metric]] })),
        },
      ],
    },
    { label: 'coverage against accuracy' },
  );
}

function curveChart(run: EvaluationRun, metric: string): Node {
  const ks = [...new Set(run.models.flatMap((m) => Object.keys(m.curve ?? {}).filter((key) => key.startsWith(`${metric}@`)).map((key) => Number(key.split('@')[1]))))].sort((a, b) => a - b);
  if (ks.length === 0) return empty('This run has no metric-vs-K curves (it was written before nextbest recorded them); run nextbest evaluate again.');
  return chart(
    {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: grid(),
      xAxis: { type: 'category', name: 'K', data: ks.map(String) },
      yAxis: { type: 'value', name: metric },
      series: run.models.map((m) => ({ name: m.name, type: 'line', data: ks.map((k) => m.curve?.[`${metric}@${k}`] ?? null) })),
    },
    { label: 'metric against K' },
  );
}

function fitChart(run: EvaluationRun): Node {
  return chart(
    {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: grid(),
      xAxis: { type: 'category', data: run.models.map((m) => m.name) },
      yAxis: { type: 'value', name: 'seconds' },
      series: [
        { name: 'fit', type: 'bar', data: run.models.map((m) => m.fitSeconds) },
        { name: 'score', type: 'bar', data: run.models.map((m) => m.scoreSeconds) },
      ],
    },
    { label: 'fit time' },
  );
}

function leaderboard(runs: EvaluationRun[]): Node {
  if (runs.length === 0) return empty('No evaluation yet: run nextbest evaluate --models ease,als,warp (npm start runs one).');
  const body = h('div');
  const render = (run: EvaluationRun, curveMetric: string) => {
    const k = run.k;
    const metrics = ['ndcg', 'precision', 'recall', 'hr', 'map'].map((m) => `${m}@${k}`).filter((m) => run.models.some((r) => r.metrics[m] !== undefined));
    const ci = (m: EvaluationRun['models'][number], key: string) => {
      const i = m.intervals[key];
      return h('span', null, fmt(m.metrics[key]), i ? h('span', { class: 'muted small' }, ` [${fmt(i.low, 3)}, ${fmt(i.high, 3)}]`) : null);
    };
    const sorted = [...run.models].sort((a, b) => (b.metrics[`ndcg@${k}`] ?? -1) - (a.metrics[`ndcg@${k}`] ?? -1));
    const curveSelect = select('curve metric', CURVE_METRICS, curveMetric, (v) => render(run, v));
    body.replaceChildren(
      h('p', { class: 'muted small' }, `${run.task === 'adds' ? 'adds task, ' : ''}split ${run.split}, K = ${k}, ${int(run.customers)} customers, baseline ${run.baseline}. Intervals: 95% bootstrap over customers.`),
      run.warning ? h('p', { class: 'warning small' }, run.warning) : '',
      table(
        ['model', ...metrics, `coverage@${k}`, `vs ${run.baseline}`, 'fit s'],
        sorted.map((m) => [
          h('strong', null, m.name),
          ...metrics.map((key) => ci(m, key)),
          fmt(m.metrics[`coverage@${k}`], 3),
          m.vsBaseline ? `${(m.vsBaseline.meanDiff ?? 0) >= 0 ? '+' : ''}${fmt(m.vsBaseline.meanDiff)} (p ${fmt(m.vsBaseline.p, 3)})` : 'baseline',
          fmt(m.fitSeconds, 2),
        ]),
        { className: 'leaderboard' },
      ),
      h(
        'div',
        { class: 'grid' },
        card(`NDCG@${k} with its interval`, intervalChart(run, `ndcg@${k}`)),
        card('Coverage against accuracy', coverageChart(run, `ndcg@${k}`)),
        card('Metric against K', h('div', null, label('metric', curveSelect), curveChart(run, curveMetric))),
        card('Fit and scoring time', fitChart(run)),
      ),
    );
  };
  const pick = select(
    'evaluation run',
    runs.map((r, i) => [String(i), `${r.evaluatedAt.slice(0, 16).replace('T', ' ')} · ${r.report} · ${r.models.map((m) => m.name).join(', ')}`]),
    '0',
    (v) => render(runs[Number(v)], 'ndcg'),
  );
  render(runs[0], 'ndcg');
  return h('div', null, label('run', pick), body);
}

function trainForm(onDone: () => void): Node {
  const model = select('model', TRAINABLE, 'als');
  const params = h('input', { name: 'params', placeholder: 'factors=64 iterations=10', autocomplete: 'off' });
  const name = h('input', { name: 'name', placeholder: 'default: the model', autocomplete: 'off' });
  const activate = h('input', { type: 'checkbox', name: 'activate' });
  const progress = h('progress', { max: 1, value: 0 });
  const status = h('div', { class: 'small', role: 'status' });
  const button = h('button', { type: 'submit' }, 'Train');
  const form = h(
    'form',
    { class: 'train-form' },
    label('model', model),
    label('parameters (key=value)', params),
    label('save as', name),
    h('label', { class: 'check' }, activate, ' activate when done'),
    button,
    h('div', { class: 'job' }, progress, status),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      button.disabled = true;
      status.replaceChildren('submitting…');
      progress.value = 0;
      try {
        const p: Record<string, string> = {};
        for (const pair of params.value.split(/[\s,]+/).filter(Boolean)) {
          const [k, ...v] = pair.split('=');
          p[k] = v.join('=');
        }
        const job = await trainAndWait({ model: model.value, params: p, name: name.value.trim() || undefined, activate: activate.checked }, (j) => {
          progress.value = j.progress;
          status.replaceChildren(`job ${j.id}: ${j.phase} ${Math.round(j.progress * 100)}%`);
        });
        progress.value = job.progress;
        if (job.state === 'failed') status.replaceChildren(errorState(new Error(`${job.error?.code}: ${job.error?.message}`)));
        else {
          status.replaceChildren(`trained ${job.request.name} in ${fmt(job.result?.fitSeconds ?? null, 2)} s on ${int(job.result?.events ?? 0)} events${job.activated ? ', now active' : ''}`);
          onDone();
        }
      } catch (err) {
        status.replaceChildren(errorState(err));
      } finally {
        button.disabled = false;
      }
    })();
  });
  return form;
}

export function modelsPage(root: HTMLElement, onActiveChange: () => void): void {
  const saved = h('div');
  const board = h('div');
  const load = () => {
    void fill(saved, async () => savedModels(await get<Models>('/v1/models'), () => (load(), onActiveChange())));
  };
  root.replaceChildren(
    h('h1', null, 'Models'),
    h('div', { class: 'grid' }, card('Saved models', saved, { wide: true }), card('Train a model', trainForm(() => (load(), onActiveChange())), { wide: true, note: 'Trains in the background on every event in the store; the page follows its progress.' }), card('Leaderboard', board, { wide: true })),
  );
  load();
  void fill(board, async () => leaderboard((await get<{ runs: EvaluationRun[] }>(`/v1/evaluations${query({ limit: 20 })}`)).runs));
}
