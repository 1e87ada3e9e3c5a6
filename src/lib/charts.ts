/**
 * Chart.js with only what Loglens draws registered (tree-shaken), the date adapter for time axes, and the
 * zoom and annotation plugins. Kept out of the engine: chart code touches the DOM (hammerjs, used by the zoom
 * plugin, reads `window` at import).
 */
import {
  Chart,
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  LinearScale,
  TimeScale,
  CategoryScale,
  Tooltip,
  Legend,
  Filler,
  Decimation,
  type ChartConfiguration,
} from 'chart.js';
import 'chartjs-adapter-date-fns';
import { _adapters } from 'chart.js';
import { TZDate } from '@date-fns/tz';
import zoomPlugin from 'chartjs-plugin-zoom';
import annotationPlugin from 'chartjs-plugin-annotation';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  LinearScale,
  TimeScale,
  CategoryScale,
  Tooltip,
  Legend,
  Filler,
  Decimation,
  zoomPlugin,
  annotationPlugin,
);

/**
 * Time axes in a given zone (UTC, as the tables): chartjs-adapter-date-fns formats and rounds ticks in the
 * browser's zone, so in Europe/Berlin a spike at 00:48 UTC was drawn at 1:48. Given `adapters.date.zone`
 * (see TIME_AXIS), its date-fns calls get a TZDate (@date-fns/tz), which date-fns v4 computes in that zone.
 */
type AdapterFn = (this: { options?: { zone?: string } }, ...args: unknown[]) => unknown;
const dateProto = _adapters._date.prototype as unknown as Record<string, AdapterFn>;
const zoned: Record<string, AdapterFn> = {};
for (const name of ['format', 'add', 'diff', 'startOf', 'endOf']) {
  const base = dateProto[name]!;
  zoned[name] = function (this: { options?: { zone?: string } }, ...args: unknown[]): unknown {
    const zone = this.options?.zone;
    if (!zone) return base.apply(this, args);
    // diff(max, min, unit) takes two times, the others one
    const times = name === 'diff' ? 2 : 1;
    const given = args.map((a, i) => (i < times && typeof a === 'number' ? new TZDate(a, zone) : a));
    const out = base.apply(this, given);
    return out instanceof Date ? out.getTime() : out;
  };
}
_adapters._date.override(zoned as Parameters<typeof _adapters._date.override>[0]);

/** A time x axis in `zone` (the page's clock, src/lib/clock.svelte.ts), with 24-hour labels and the zone as its title. */
export function timeAxis(grid: string, text: string, zone: string) {
  return {
    type: 'time' as const,
    adapters: { date: { zone } },
    time: {
      displayFormats: {
        millisecond: 'HH:mm:ss.SSS',
        second: 'HH:mm:ss',
        minute: 'HH:mm',
        hour: 'HH:mm',
        day: 'MMM d',
        week: 'MMM d',
        month: 'MMM yyyy',
        quarter: 'MMM yyyy',
        year: 'yyyy',
      },
      tooltipFormat: 'yyyy-MM-dd HH:mm:ss',
    },
    title: { display: true, text: zone, color: text },
    grid: { color: grid },
    ticks: { color: text, maxRotation: 0 },
  };
}

/** Redraws a chart's time axis in another zone (the clock changed): ticks, rounding and the axis title. */
export function setAxisZone(chart: Chart, zone: string): void {
  const x = chart.options.scales?.['x'] as
    { type?: string; adapters?: { date?: { zone?: string } }; title?: { text?: string } } | undefined;
  if (x?.type !== 'time' || x.adapters?.date?.zone === zone) return;
  x.adapters = { ...x.adapters, date: { ...x.adapters?.date, zone } };
  if (x.title) x.title.text = zone;
  chart.update('none');
}

/**
 * Chart.js draws at the end of every update (and of its constructor). While `deferred` is set this plugin skips
 * that draw, so that an update and its draw can run as two tasks: on two cores shared with the engine's
 * workers, the timeline's update and draw together were one 80–110 ms task.
 */
let deferred = false;
Chart.register({ id: 'loglensSplitDraw', beforeRender: () => !deferred });

/** Runs `f` (a `new Chart(…)`, an update) without the draw Chart.js would do at its end. */
export function withoutDraw<T>(f: () => T): T {
  deferred = true;
  try {
    return f();
  } finally {
    deferred = false;
  }
}

/**
 * Updates `chart` now (data, scales, layout) and draws it in a task of its own; the returned function cancels
 * the draw (call it before destroying the chart).
 */
export function updateThenDraw(chart: Chart, after?: () => void): () => void {
  withoutDraw(() => chart.update('none'));
  after?.();
  const t = setTimeout(() => chart.draw(), 0);
  return () => clearTimeout(t);
}

export { Chart };
export type { ChartConfiguration };

/** A time range the charts should show, e.g. after a click on a spike; null shows everything. */
export interface FocusRange {
  start: number;
  end: number;
}

/** Reads a CSS custom property, so charts follow the light or dark theme. */
export function cssVar(name: string, fallback: string): string {
  // cached per colour scheme: read in a chart's onMount, getComputedStyle forced a style recalc of the
  // dashboard just inserted
  const key = `${matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'} ${name}`;
  let v = cssCache.get(key);
  if (v === undefined) {
    v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    cssCache.set(key, v);
  }
  return v || fallback;
}
const cssCache = new Map<string, string>();

/** Zoom options shared by the time charts: drag to zoom, shift-drag to pan, ctrl-wheel to zoom. */
export const TIME_ZOOM = {
  zoom: {
    drag: { enabled: true, backgroundColor: 'rgba(31,111,235,0.15)' },
    wheel: { enabled: true, modifierKey: 'ctrl' as const },
    pinch: { enabled: true },
    mode: 'x' as const,
  },
  pan: { enabled: true, mode: 'x' as const, modifierKey: 'shift' as const },
  limits: { x: { min: 'original' as const, max: 'original' as const } },
};

/** Zooms a chart's x axis to a range with some margin, or back to everything. */
export function applyFocus(chart: Chart, focus: FocusRange | null): void {
  if (focus === null) {
    // resetZoom redraws the whole chart: skip it when there is nothing to undo
    if (chart.isZoomedOrPanned()) chart.resetZoom('none');
    return;
  }
  const pad = Math.max(60_000, (focus.end - focus.start) * 0.5);
  chart.zoomScale('x', { min: focus.start - pad, max: focus.end + pad }, 'none');
}

/**
 * Chart.js' code is cold until a chart is made: the first timeline, errors and services charts of the first
 * analysis were 70–120 ms tasks each, beside the engine's workers, and the same charts 20–40 ms in a second
 * analysis. While the page is idle (before any file is dropped), small throwaway charts on a hidden canvas run
 * the same code paths once, a step per idle callback, each step adding a little new code (so each stays short).
 */
export function warmCharts(): () => void {
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText = 'position:fixed;left:-10000px;top:0;width:600px;height:200px;visibility:hidden';
  const canvas = document.createElement('canvas');
  box.append(canvas);
  const t0 = Date.UTC(2025, 0, 1);
  const pts = (n: number, k: number): { x: number; y: number }[] =>
    Array.from({ length: n }, (_, i) => ({ x: t0 + i * 60_000, y: (i * k) % 7 }));
  const quiet = { legend: { display: false }, tooltip: { enabled: false } };
  type Step = ChartConfiguration<'bar' | 'line' | 'scatter', unknown[], unknown>;
  const steps: Step[] = [
    { type: 'bar', data: { datasets: [] }, options: { animation: false, plugins: quiet } },
    {
      type: 'bar',
      data: { datasets: [{ data: pts(30, 3) }, { data: pts(30, 5) }] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        scales: { x: { type: 'linear', stacked: true }, y: { stacked: true } },
        plugins: quiet,
      },
    },
    {
      type: 'bar',
      data: {
        datasets: [
          { label: 'a', data: pts(30, 3) },
          { label: 'b', data: pts(30, 5) },
        ],
      },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        scales: { x: { type: 'time', stacked: true }, y: { stacked: true } },
      },
    },
    {
      type: 'bar',
      data: { datasets: [{ label: 'a', data: pts(30, 3) }] },
      options: {
        animation: false,
        parsing: false,
        scales: { x: { type: 'time', stacked: true }, y: { stacked: true } },
        plugins: {
          zoom: TIME_ZOOM,
          annotation: {
            annotations: {
              a: { type: 'box', xMin: t0, xMax: t0 + 600_000 },
              b: { type: 'line', xMin: t0, xMax: t0, borderDash: [4, 3] },
            },
          },
        },
      },
    },
    {
      type: 'line',
      data: {
        datasets: [
          { label: 'v', data: pts(30, 3), pointRadius: 0 },
          { label: 'u', data: pts(30, 5), pointRadius: 0 },
          { label: 'l', data: pts(30, 2), pointRadius: 0, fill: '-1' },
          { type: 'scatter', label: 's', data: pts(3, 1) },
        ],
      },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        scales: { x: { type: 'time' } },
        plugins: {
          zoom: TIME_ZOOM,
          decimation: { enabled: true, algorithm: 'lttb', samples: 10, threshold: 20 },
        },
      },
    },
    {
      type: 'bar',
      data: { labels: ['a', 'b', 'c'], datasets: [{ label: 'r', data: [3, 2, 1] }] },
      options: { indexAxis: 'y', animation: false },
    },
  ];
  let handle = 0;
  let stopped = false;
  let chart: Chart | null = null;
  const idle = (f: () => void): number =>
    typeof requestIdleCallback === 'function'
      ? requestIdleCallback(f, { timeout: 2000 })
      : window.setTimeout(f, 50);
  // each step makes one of the charts above (drawn once), or updates the last one again with more points:
  // the timeline's per-bar code runs hot while reading, and is fastest once V8 has optimized it
  const plan: (number | 'more')[] = [0, 1, 2, 3, 'more', 'more', 'more', 4, 5];
  const next = (i: number): void => {
    const step = plan[i];
    if (stopped || step === undefined) {
      chart?.destroy();
      return void box.remove();
    }
    if (!box.isConnected) document.body.append(box);
    try {
      if (step === 'more') {
        if (chart) {
          chart.data.datasets = [0, 1, 2, 3, 4].map((k) => ({ label: `${k}`, data: pts(150, k + 2) }));
          chart.update('none');
        }
      } else {
        chart?.destroy();
        chart = new Chart(canvas, steps[step]! as ChartConfiguration);
      }
    } catch {
      // a warm-up only: a failure here changes nothing the user sees
    }
    handle = idle(() => next(i + 1));
  };
  handle = idle(() => {
    for (const v of ['--grid', '--muted', '--surface']) cssVar(v, '');
    next(0);
  });
  return () => {
    stopped = true;
    chart?.destroy();
    chart = null;
    if (typeof cancelIdleCallback === 'function') cancelIdleCallback(handle);
    else clearTimeout(handle);
    box.remove();
  };
}
