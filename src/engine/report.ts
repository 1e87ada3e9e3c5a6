import type { Config } from './config.ts';
import {
  LEVELS_AND_NONE,
  type FacetsSnapshot,
  type FieldFacet,
  type LevelOrNone,
  type Snapshot,
} from './types.ts';
import { capsOf, type ReportCaps } from './report-caps.ts';

/**
 * The report, `loglens.report/1`: what "Export report (JSON)" downloads and `npm run analyze --out` writes.
 * It is a promise to scripts: fields are added, never renamed or dropped (docs/report.schema.json).
 */
export const REPORT_SCHEMA_ID = 'loglens.report/1';

export interface Report {
  schema: typeof REPORT_SCHEMA_ID;
  generatedAt: string;
  generator: string;
  files: {
    name: string;
    bytes: number;
    bytesRead: number;
    gzip: boolean;
    format: string;
    formatName: string;
    formatConfidence: number;
    records: number;
    lines: number;
    error: string | null;
    warnings: string[];
    relativeTime: boolean;
    /** records per format, most first: one entry, or several in a mixed file; empty when no format was known */
    formats: { id: string; name: string; records: number }[];
  }[];
  totals: {
    bytes: number;
    lines: number;
    emptyLines: number;
    records: number;
    unparsed: number;
    continuationLines: number;
    invalidUtf8: number;
    truncatedLines: number;
    untimed: number;
    invalidTimes: number;
    nulBytesSkipped: number;
  };
  timeRange: { start: string; end: string } | null;
  levels: Record<LevelOrNone, number>;
  services: { name: string; records: number; errors: number }[];
  timeline: {
    bucketMs: number;
    start: string | null;
    startMs: number | null;
    levels: Record<LevelOrNone, number[]>;
  };
  spikes: { start: string; end: string; peak: number; errors: number }[];
  windowsAnalyzed: number;
  anomalies: {
    series: 'errors' | 'volume';
    bucketStart: string;
    value: number;
    mean: number;
    std: number;
    rawStd: number;
    z: number | null;
  }[];
  sequences: {
    name: string;
    matches: number;
    firstMatch: string | null;
    lastMatch: string | null;
    medianDurationMs: number | null;
    examples: {
      key: string | null;
      start: string;
      end: string;
      durationMs: number;
      steps: { file: string; line: number; time: string }[];
    }[];
  }[];
  alerts: {
    kind: string;
    rule: string;
    time: string;
    end: string | null;
    message: string;
    /** the id of the incident the alert is part of, when it is in one */
    incident?: string;
  }[];
  alertsTotal: number;
  /** the spike threshold used (the configured number, or what "auto" came to) */
  spikeThreshold?: number;
  /** the findings merged into incidents, by severity (docs/detectors.md, "Incidents") */
  incidents?: ReportIncident[];
  incidentsTotal?: number;
  templates: {
    id: number;
    template: string;
    count: number;
    errors: number;
    firstSeen: string | null;
    lastSeen: string | null;
  }[];
  /** per-field top values, distinct counts and numeric quantiles (docs/report.md, "Facets") */
  facets?: ReportFacets;
  config: Config;
  analysis: {
    durationMs: number;
    /** false when the analysis was stopped before its end: the report holds what was read until then */
    complete: boolean;
    stopped: StoppedEarly | null;
  };
  /** every cap that cut a count or a list, and what fell beyond it (docs/report.md, "Caps") */
  caps: ReportCaps;
  /** only when the report is a view (a query was given) */
  view?: ReportView;
}

export interface ReportFacets {
  fields: FieldFacet[];
  untracked: number;
  maxFields: number;
  access: {
    requests: number;
    /** 1xx, 2xx, 3xx, 4xx, 5xx */
    classes: number[];
    overTime: { bucketMs: number; start: string | null; startMs: number | null; classes: number[][] };
    bytesSent: number | null;
  } | null;
}

export interface ReportIncident {
  id: string;
  kind: 'errors' | 'volume' | 'sequence';
  start: string;
  end: string;
  severity: number;
  title: string;
  records: number;
  errors: number;
  baseline: { start: string; end: string; buckets: number; records: number; errors: number } | null;
  errorsRatio: number | null;
  recordsRatio: number | null;
  changed: {
    kind: string;
    name: string;
    label: string;
    window: number;
    baseline: number;
    ratio: number;
    score: number;
    direction: string;
    query: string;
  }[];
  sequences: { name: string; key: string | null; start: string; end: string }[];
  spikes: number;
  anomalies: number;
  query: string;
}

/** Why and where an analysis ended early (Cancel, or the watchdog); bytes as stored (compressed for .gz). */
export interface StoppedEarly {
  reason: 'cancelled' | 'stalled';
  bytesRead: number;
  totalBytes: number;
}

/** Present when the report is a view: the analysis of the records a query matched (docs/query.md). */
export interface ReportView {
  query: string;
  /** records read in all (the report's totals count the matching ones) */
  recordsRead: number;
  linesRead: number;
  bytesRead: number;
}

export const GENERATOR = 'loglens 0.1.0';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `stopped`: the analysis ended early and `s` is its last progress snapshot. */
export function buildReport(
  s: Snapshot,
  config: Config,
  now = Date.now(),
  stopped: StoppedEarly | null = null,
): Report {
  const d = s.detectors;
  const levels = {} as Record<LevelOrNone, number>;
  const series = {} as Record<LevelOrNone, number[]>;
  LEVELS_AND_NONE.forEach((l, i) => {
    levels[l] = s.levels[i] ?? 0;
    series[l] = s.timeline.counts[i] ?? [];
  });
  return {
    schema: REPORT_SCHEMA_ID,
    generatedAt: iso(now),
    generator: GENERATOR,
    files: s.files.map((f) => ({
      name: f.name,
      bytes: f.bytes,
      bytesRead: f.bytesRead,
      gzip: f.gzip,
      format: f.format,
      formatName: f.formatName,
      formatConfidence: round(f.formatConfidence, 4),
      records: f.records,
      lines: f.lines,
      error: f.error,
      warnings: f.warnings,
      relativeTime: f.relativeTime,
      formats: (f.formats ?? []).map((x) => ({ id: x.id, name: x.name, records: x.records })),
    })),
    totals: { ...s.totals },
    timeRange: s.timeRange ? { start: iso(s.timeRange.start), end: iso(s.timeRange.end) } : null,
    levels,
    services: s.services.map((x) => ({ name: x.name, records: x.records, errors: x.errors })),
    timeline: {
      bucketMs: s.timeline.bucketMs,
      start: s.timeline.start === null ? null : iso(s.timeline.start),
      startMs: s.timeline.start,
      levels: series,
    },
    spikes: d.spikes.map((x) => ({ start: iso(x.start), end: iso(x.end), peak: x.peak, errors: x.errors })),
    windowsAnalyzed: d.windowsAnalyzed,
    anomalies: d.anomalies.map((a) => ({
      series: a.series,
      bucketStart: iso(a.bucketStart),
      value: a.value,
      mean: a.mean,
      std: a.std,
      rawStd: a.rawStd,
      z: Number.isFinite(a.z) ? a.z : null,
    })),
    sequences: d.sequences.map((q) => ({
      name: q.name,
      matches: q.matches,
      firstMatch: q.firstMatch === null ? null : iso(q.firstMatch),
      lastMatch: q.lastMatch === null ? null : iso(q.lastMatch),
      medianDurationMs: q.medianDurationMs,
      examples: q.examples.map((m) => ({
        key: m.key,
        start: iso(m.start),
        end: iso(m.end),
        durationMs: m.durationMs,
        steps: m.steps.map((h) => ({ file: h.file, line: h.line, time: iso(h.time) })),
      })),
    })),
    alerts: d.alerts.map((a) => ({
      kind: a.kind,
      rule: a.rule,
      time: iso(a.time),
      end: a.end === null ? null : iso(a.end),
      message: a.message,
      ...(a.incident !== undefined ? { incident: a.incident } : {}),
    })),
    alertsTotal: d.alertsTotal,
    // absent from snapshots saved by versions before incidents (Recent)
    ...(Array.isArray(d.incidents)
      ? {
          spikeThreshold: d.spikeThreshold,
          incidentsTotal: d.incidentsTotal,
          incidents: d.incidents.map((x): ReportIncident => ({
            id: x.id,
            kind: x.kind,
            start: iso(x.start),
            end: iso(x.end),
            severity: x.severity,
            title: x.title,
            records: x.records,
            errors: x.errors,
            baseline:
              x.baseline === null
                ? null
                : { ...x.baseline, start: iso(x.baseline.start), end: iso(x.baseline.end) },
            errorsRatio: x.errorsRatio,
            recordsRatio: x.recordsRatio,
            changed: x.changed.map((c) => ({
              kind: c.kind,
              name: c.name,
              label: c.label,
              window: c.window,
              baseline: c.baseline,
              ratio: c.ratio,
              score: c.score,
              direction: c.direction,
              query: c.query,
            })),
            sequences: x.sequences.map((q) => ({ ...q, start: iso(q.start), end: iso(q.end) })),
            spikes: x.spikes,
            anomalies: x.anomalies,
            query: x.query,
          })),
        }
      : {}),
    templates: s.templates.templates.map((t) => ({
      id: t.id,
      template: t.template,
      count: t.count,
      errors: t.errors,
      firstSeen: t.firstSeen === null ? null : iso(t.firstSeen),
      lastSeen: t.lastSeen === null ? null : iso(t.lastSeen),
    })),
    ...(s.facets ? { facets: reportFacets(s.facets) } : {}),
    config,
    analysis: { durationMs: Math.round(s.progress.elapsedMs), complete: stopped === null, stopped },
    caps: capsOf(s, config),
    ...(s.view ? { view: { ...s.view } } : {}),
  };
}

function reportFacets(f: FacetsSnapshot): ReportFacets {
  const a = f.access;
  return {
    fields: f.fields,
    untracked: f.untracked,
    maxFields: f.maxFields,
    access:
      a === null
        ? null
        : {
            requests: a.requests,
            classes: a.classes,
            overTime: {
              bucketMs: a.overTime.bucketMs,
              start: a.overTime.start === null ? null : iso(a.overTime.start),
              startMs: a.overTime.start,
              classes: a.overTime.counts.slice(0, 5),
            },
            bytesSent: a.bytesSent,
          },
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
