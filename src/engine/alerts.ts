import type { Config } from './config.ts';
import type { Alert } from './types.ts';
import type { Spike } from './analyzers/spikes.ts';
import type { Anomaly } from './analyzers/anomalies.ts';
import type { SequenceResult } from './analyzers/sequences.ts';
import type { Incident } from './analyzers/incidents.ts';

/** Alerts listed at most; the total is reported beside them. */
export const MAX_ALERTS = 500;

/**
 * The findings that config.alerts selects, in time order; each carries the id of the incident it is part of
 * (the first of `incidents` whose range holds its time), so that the page notifies once per incident.
 */
export function buildAlerts(
  config: Config,
  spikes: readonly Spike[],
  anomalies: readonly Anomaly[],
  sequences: readonly SequenceResult[],
  incidents: readonly Incident[] = [],
): { alerts: Alert[]; total: number } {
  const rules = config.alerts;
  const out: Alert[] = [];
  if (rules.spikes) {
    for (const s of spikes) {
      out.push({
        id: `spike:${s.start}`,
        kind: 'spike',
        rule: 'spikes',
        time: s.start,
        end: s.end,
        message: `Error spike: up to ${s.peak} errors in ${config.spikes.windowSec} s (${s.errors} errors in all)`,
      });
    }
  }
  const series = new Set(rules.anomalies);
  for (const a of anomalies) {
    if (!series.has(a.series)) continue;
    const what = a.series === 'errors' ? 'errors' : 'records';
    const dir = a.value >= a.mean ? 'above' : 'below';
    out.push({
      id: `anomaly:${a.series}:${a.bucketStart}`,
      kind: 'anomaly',
      rule: a.series,
      time: a.bucketStart,
      end: a.bucketStart + config.anomalies.bucketSec * 1000,
      message: `Unusual ${what}: ${a.value} in ${config.anomalies.bucketSec} s, ${Math.abs(a.z).toFixed(1)}σ ${dir} the mean ${a.mean.toFixed(1)}`,
    });
  }
  const names = rules.sequences === 'all' ? null : new Set(rules.sequences);
  for (const s of sequences) {
    if (names !== null && !names.has(s.name)) continue;
    s.examples.forEach((m, i) => {
      out.push({
        id: `sequence:${s.name}:${i}`,
        kind: 'sequence',
        rule: s.name,
        time: m.start,
        end: m.end,
        message: `Sequence "${s.name}" matched${m.key !== null ? ` for ${m.key}` : ''} in ${(m.durationMs / 1000).toFixed(1)} s`,
      });
    });
  }
  out.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
  const total =
    out.length +
    sequences.reduce(
      (n, s) => n + (names === null || names.has(s.name) ? s.matches - s.examples.length : 0),
      0,
    );
  const alerts = out.slice(0, MAX_ALERTS);
  if (incidents.length > 0) {
    const byStart = [...incidents].sort((a, b) => a.start - b.start);
    for (const a of alerts) {
      const inc = byStart.find((i) => a.time >= i.start && a.time <= i.end);
      if (inc) a.incident = inc.id;
    }
  }
  return { alerts, total };
}
