/**
 * Chart.js with only what Loglens draws registered (tree-shaken), and the date adapter for time axes.
 * Kept out of the engine: chart code touches the DOM.
 */
import {
  Chart,
  BarController,
  BarElement,
  LinearScale,
  TimeScale,
  CategoryScale,
  Tooltip,
  Legend,
  type ChartConfiguration,
} from 'chart.js';
import 'chartjs-adapter-date-fns';

Chart.register(BarController, BarElement, LinearScale, TimeScale, CategoryScale, Tooltip, Legend);

export { Chart };
export type { ChartConfiguration };

/** Reads a CSS custom property, so charts follow the light or dark theme. */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}
