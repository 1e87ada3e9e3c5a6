import type { RollingSeries } from './anomalies.ts';

/**
 * A rolling series cut to at most `max` points for a progress snapshot: each run of k buckets is shown by
 * its highest bucket (value, mean and σ′ of that bucket), so a burst stays visible. Progress snapshots cross
 * to the page five times a second; the full series (up to SERIES_MAX buckets) is for the final one.
 */
export function thinSeries(s: RollingSeries, max: number): RollingSeries {
  const n = s.values.length;
  const k = Math.ceil(n / max);
  if (k <= 1) return s;
  const out: RollingSeries = { bucketMs: s.bucketMs * k, start: s.start, values: [], mean: [], std: [] };
  for (let g = 0; g < n; g += k) {
    let best = g;
    for (let i = g + 1; i < Math.min(n, g + k); i++) if (s.values[i]! > s.values[best]!) best = i;
    out.values.push(s.values[best]!);
    out.mean.push(s.mean[best] ?? null);
    out.std.push(s.std[best] ?? null);
  }
  return out;
}
