/**
 * The wire contract: everything that crosses the worker boundary or lands in a report is declared here,
 * as plain structured-cloneable data (numbers, strings, arrays, plain objects).
 */

export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type Level = (typeof LEVELS)[number];
/** Index 6 in per-level arrays counts records that carry no level. */
export const NONE_INDEX = 6;
export const LEVEL_SLOTS = 7;
export type LevelOrNone = Level | 'NONE';
export const LEVELS_AND_NONE: readonly LevelOrNone[] = [...LEVELS, 'NONE'];

export type FieldValue = string | number | boolean | null;

export type { Spike } from './analyzers/spikes.ts';
export type { Anomaly, AnomalySeries, RollingSeries } from './analyzers/anomalies.ts';
export type { SequenceResult, SequenceMatch, SequenceStepHit } from './analyzers/sequences.ts';
import type { Spike } from './analyzers/spikes.ts';
import type { Anomaly, RollingSeries } from './analyzers/anomalies.ts';
import type { SequenceResult } from './analyzers/sequences.ts';

export type { TemplateInfo, TemplatesSnapshot } from './analyzers/templates.ts';
import type { TemplatesSnapshot } from './analyzers/templates.ts';
import type { RecordIndexSnapshot } from './analyzers/record-index.ts';
export type {
  FacetsSnapshot,
  FieldFacet,
  FacetValue,
  NumericFacet,
  AccessSummary,
} from './analyzers/facets.ts';
import type { FacetsSnapshot } from './analyzers/facets.ts';
export type { Incident, IncidentKind } from './analyzers/incidents.ts';
import type { Incident } from './analyzers/incidents.ts';

export type AlertKind = 'spike' | 'anomaly' | 'sequence';

/** A finding that an alert rule (config.alerts) selected. Times in ms since epoch. */
export interface Alert {
  /** stable across snapshots of one analysis, so the page can tell new alerts from known ones */
  id: string;
  kind: AlertKind;
  /** "spikes", "errors"/"volume" for anomalies, or the sequence's name */
  rule: string;
  time: number;
  end: number | null;
  message: string;
  /** the id of the incident the finding is part of, when it is in one (the page notifies once per incident) */
  incident?: string;
}

/** What the time-based detectors found; records without a time are left out of them. */
export interface DetectorsSnapshot {
  spikes: Spike[];
  /** the spike threshold used: the configured number, or what "auto" came to */
  spikeThreshold: number;
  windowsAnalyzed: number;
  anomalies: Anomaly[];
  anomalyBuckets: number;
  /** per-bucket errors and volume with rolling mean and σ', for the errors chart */
  errorSeries: RollingSeries;
  volumeSeries: RollingSeries;
  sequences: SequenceResult[];
  alerts: Alert[];
  /** alerts before the cap on how many are listed */
  alertsTotal: number;
  /** the findings merged into incidents, by severity (docs/detectors.md, "Incidents") */
  incidents: Incident[];
  /** incidents before the cap on how many are listed */
  incidentsTotal: number;
  /** records the time-based detectors could not use */
  untimed: number;
}

/**
 * One normalized log record. Immutable: made once per record, read by every analyzer.
 * `message` is the first line's message; lines joined to it (a stack trace) are in `continuation`.
 */
export interface LogRecord {
  /** ms since the epoch, or null when the record carries no time */
  readonly time: number | null;
  readonly level: Level | null;
  readonly service: string | null;
  readonly message: string;
  /** text of continuation lines joined to this record (stack trace), '\n'-separated, or null */
  readonly continuation: string | null;
  /** name of the file the record came from */
  readonly file: string;
  /** index of that file in the analysis */
  readonly fileIndex: number;
  /** 1-based number of the record's first line */
  readonly line: number;
  /** 1-based number of the record's last line (> line when continuation lines were joined) */
  readonly lineEnd: number;
  /** byte offset of the record's first line in the (decompressed) file */
  readonly offset: number;
  /** bytes spanned by the record, its line ends included */
  readonly length: number;
  /** false when no format parsed the record's first line */
  readonly parsed: boolean;
  /** structured fields where the format has them (JSON, logfmt), else null */
  readonly fields: Readonly<Record<string, FieldValue>> | null;
}

export interface IngestTotals {
  /** decompressed bytes read */
  bytes: number;
  /** lines, empty ones included */
  lines: number;
  /** empty or whitespace-only lines: counted, not records */
  emptyLines: number;
  records: number;
  /** records whose first line no format parsed */
  unparsed: number;
  /** lines joined to the record before them (stack traces) */
  continuationLines: number;
  /** lines that held invalid UTF-8 (decoded with U+FFFD) */
  invalidUtf8: number;
  /** lines cut at the line-length cap */
  truncatedLines: number;
  /** records without a time */
  untimed: number;
  /** records whose time had the format's shape but impossible values (30 February, month 13): kept, untimed */
  invalidTimes: number;
  /** NUL bytes skipped at the start of the file or of a line (the padding copytruncate rotation leaves) */
  nulBytesSkipped: number;
}

export interface FileSummary {
  name: string;
  /** bytes of the file as given (compressed size for .gz) */
  bytes: number;
  /** decompressed bytes */
  bytesRead: number;
  gzip: boolean;
  /** id of the detected format, or 'unknown' */
  format: string;
  formatName: string;
  /** share of the detection sample's non-empty lines that the chosen format parsed (0..1) */
  formatConfidence: number;
  records: number;
  lines: number;
  /** what went wrong with the file, if anything (it stops the file, not the analysis) */
  error: string | null;
  /** what was odd but still analyzed */
  warnings: string[];
  /** times are relative to boot (dmesg), kept as ms since 0: shown on a relative axis */
  relativeTime: boolean;
  /** NUL padding skipped at line starts, when there was any: bytes, of which at the file's start, later lines */
  nulPadding?: { bytes: number; atStart: number; lines: number };
  /** records with an impossible time, when there were any: how many, and the first one's line and time text */
  invalidTimes?: { count: number; line: number; time: string };
  /**
   * records per format, most first: the file's own and, in a mixed file, every other format that read some
   * of its lines (docs/formats.md "Mixed files"); absent for a file of no known format
   */
  formats?: FormatShare[];
  /**
   * the file's format was inferred (format 'inferred'): the layout as a custom format the user can save
   * (docs/formats.md), or null when it cannot be written as one (a time of day alone)
   */
  inferredFormat?: { name: string; regex: string; time: string; samples: string[] } | null;
}

/** One format's records in a mixed file. */
export interface FormatShare {
  id: string;
  name: string;
  records: number;
}

export interface ServiceCount {
  name: string;
  records: number;
  errors: number;
}

/** The cap on distinct service names, and what it left out (counted under "(other services)"). */
export interface ServicesCap {
  /** distinct names kept */
  max: number;
  /** more names came than are kept: serviceCount is a lower bound ("10,000+") */
  capped: boolean;
  /** records and errors of the names beyond the cap */
  beyondRecords: number;
  beyondErrors: number;
  /** when capped, a HyperLogLog estimate of all distinct names (±2.3 %), else null */
  estimate: number | null;
}

export interface TimelineSnapshot {
  /** bucket width in ms */
  bucketMs: number;
  /** start of the first bucket, ms since epoch (null when no record had a time) */
  start: number | null;
  /** counts per bucket for each level, NONE last: levels[i][b] */
  counts: number[][];
}

export interface Progress {
  /** input bytes consumed (compressed bytes for .gz) across all files */
  bytesRead: number;
  totalBytes: number;
  records: number;
  elapsedMs: number;
  /** index of the file being read */
  fileIndex: number;
  done: boolean;
  /**
   * A live analysis (docs/live.md) that has read its source to the end of what was there at least once (its
   * first idle tick): what it read before is the backlog, history already there when following started.
   */
  caughtUp?: boolean;
}

export interface Snapshot {
  jobId: number;
  progress: Progress;
  files: FileSummary[];
  totals: IngestTotals;
  /** counts per level, NONE last (LEVELS_AND_NONE order) */
  levels: number[];
  /** sorted by records, descending; progress snapshots carry the top ones only */
  services: ServiceCount[];
  /** distinct services seen (may exceed services.length in progress snapshots); a lower bound when capped */
  serviceCount: number;
  /** whether serviceCount hit the cap; absent in snapshots saved by versions before it (Recent) */
  servicesCap: ServicesCap;
  timeRange: { start: number; end: number } | null;
  timeline: TimelineSnapshot;
  detectors: DetectorsSnapshot;
  /** message templates, by count; progress snapshots carry the top ones only */
  templates: TemplatesSnapshot;
  /** per-field top values, distinct counts, numeric quantiles; absent in snapshots saved before it (Recent) */
  facets?: FacetsSnapshot;
  /** the log view's record index: byte offsets, lines and record numbers, never text (final snapshot only) */
  recordIndex?: RecordIndexSnapshot;
  /** set when the analysis stopped on an error that concerns all of it */
  error: string | null;
  /** present when the snapshot is a view: the analysis of the records a query matches (docs/query.md) */
  view?: ViewSummary;
}

/**
 * A view's query and what was read in all; the rest of its snapshot counts the matching records only (its
 * totals' lines and bytes are theirs; empty, invalid-UTF-8, truncated lines and NUL bytes are the read's).
 */
export interface ViewSummary {
  query: string;
  recordsRead: number;
  linesRead: number;
  /** decompressed bytes read */
  bytesRead: number;
}
