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

export { Chart };
export type { ChartConfiguration };

/** A time range the charts should show, e.g. after a click on a spike; null shows everything. */
export interface FocusRange {
  start: number;
  end: number;
}

/** Reads a CSS custom property, so charts follow the light or dark theme. */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

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
