// ECharts, bundled (only the chart types used), on canvas. Each chart follows its box's size; the charts
// of a page are disposed when the page changes.
import { BarChart, CustomChart, FunnelChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { h } from './dom';

echarts.use([BarChart, CustomChart, FunnelChart, HeatmapChart, LineChart, PieChart, ScatterChart, DataZoomComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export type Option = echarts.EChartsCoreOption;

const live = new Set<{ chart: echarts.ECharts; observer: ResizeObserver }>();

export const PALETTE = ['#2563eb', '#f97316', '#16a34a', '#dc2626', '#9333ea', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d', '#7c3aed', '#0d9488'];

/** A chart box (class "chart") drawing `option` once it is in the page. */
export function chart(option: Option, opts: { height?: number; label?: string } = {}): HTMLElement {
  const el = h('div', { class: 'chart', role: 'img', 'aria-label': opts.label ?? 'chart', style: `height:${opts.height ?? 280}px` });
  const draw = (tries: number): void => {
    if (!el.isConnected) {
      if (tries < 120) requestAnimationFrame(() => draw(tries + 1));
      return;
    }
    const c = echarts.init(el, null, { renderer: 'canvas' });
    c.setOption({ color: PALETTE, animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    live.add({ chart: c, observer });
    el.dataset.rendered = 'true';
  };
  requestAnimationFrame(() => draw(0));
  return el;
}

export function disposeCharts(): void {
  for (const { chart: c, observer } of live) {
    observer.disconnect();
    c.dispose();
  }
  live.clear();
}

/** A compact grid that leaves room for axis labels. */
export const grid = (extra: object = {}) => ({ left: 48, right: 16, top: 36, bottom: 40, containLabel: true, ...extra });
