import type { Config } from './config.ts';
import type {
  DetectorsSnapshot,
  IngestTotals,
  LogRecord,
  ServiceCount,
  ServicesCap,
  TimelineSnapshot,
} from './types.ts';
import { errorMask, type Analyzer } from './analyzers/analyzer.ts';
import { Totals } from './analyzers/totals.ts';
import { LevelCounts } from './analyzers/levels.ts';
import { ServiceCounts } from './analyzers/services.ts';
import { TimeRange } from './analyzers/time-range.ts';
import { Timeline } from './analyzers/timeline.ts';
import { SpikeDetector } from './analyzers/spikes.ts';
import { AnomalyDetector } from './analyzers/anomalies.ts';
import { SequenceMatcher } from './analyzers/sequences.ts';
import { buildAlerts } from './alerts.ts';
import { TemplateMiner, type TemplatesSnapshot } from './analyzers/templates.ts';
import { thinSeries } from './analyzers/thin-series.ts';
import { RecordIndex, type RecordIndexSnapshot } from './analyzers/record-index.ts';

/** Points per rolling series in a progress snapshot: about what the errors chart draws undecimated. */
export const PROGRESS_SERIES = 2000;

export interface AnalysisState {
  totals: IngestTotals;
  levels: number[];
  services: ServiceCount[];
  serviceCount: number;
  servicesCap: ServicesCap;
  timeRange: { start: number; end: number } | null;
  timeline: TimelineSnapshot;
  detectors: DetectorsSnapshot;
  templates: TemplatesSnapshot;
  /** the log view's record index (src/engine/analyzers/record-index.ts): in the final snapshot only */
  recordIndex?: RecordIndexSnapshot;
}

/** All analyzers of one analysis, fed together; itself an analyzer, so whole analyses merge. */
export class Analysis implements Analyzer<AnalysisState> {
  readonly totals = new Totals();
  readonly levels = new LevelCounts();
  readonly services: ServiceCounts;
  readonly range = new TimeRange();
  readonly timeline: Timeline;
  readonly spikes: SpikeDetector;
  readonly anomalies: AnomalyDetector;
  readonly sequences: SequenceMatcher;
  readonly templates: TemplateMiner;
  readonly recordIndex = new RecordIndex();

  /** `detectors: false` leaves spikes, anomalies and sequences out, `mining: false` the templates */
  constructor(
    private readonly config: Config,
    private readonly detectors = true,
    private readonly mining = true,
  ) {
    const isError = errorMask(config.errorLevels);
    this.services = new ServiceCounts(isError);
    this.timeline = new Timeline(config.timeline.maxBuckets);
    this.spikes = new SpikeDetector(config.spikes.windowSec, config.spikes.threshold, isError);
    this.anomalies = new AnomalyDetector(config.anomalies, isError);
    this.sequences = new SequenceMatcher(detectors ? config.sequences : []);
    this.templates = new TemplateMiner(config.templates, isError);
  }

  /** `shape`: the message's template shape hash when the record builder made it from bytes, else NaN */
  push(r: LogRecord, shape = NaN): void {
    this.totals.push(r);
    this.levels.push(r);
    this.services.push(r);
    this.range.push(r);
    this.timeline.push(r);
    this.recordIndex.push(r);
    if (this.mining) this.templates.push(r, shape);
    if (this.detectors) {
      this.spikes.push(r);
      this.anomalies.push(r);
      this.sequences.push(r);
    }
  }

  /**
   * `limit` keeps progress snapshots small and bounded (services, templates, the rolling series cut to
   * PROGRESS_SERIES points); the final one has them all.
   */
  snapshot(limit = Infinity): AnalysisState {
    const progress = Number.isFinite(limit);
    const totals = this.totals.snapshot();
    const spikes = this.spikes.snapshot();
    const anomalies = this.anomalies.snapshot();
    const sequences = this.sequences.snapshot();
    const { alerts, total } = buildAlerts(this.config, spikes.spikes, anomalies.anomalies, sequences);
    return {
      totals,
      levels: this.levels.snapshot(),
      services: this.services.snapshot(limit),
      serviceCount: this.services.size,
      servicesCap: this.services.cap(),
      timeRange: this.range.snapshot(),
      timeline: this.timeline.snapshot(),
      detectors: {
        spikes: spikes.spikes,
        windowsAnalyzed: spikes.windowsAnalyzed,
        anomalies: anomalies.anomalies,
        anomalyBuckets: anomalies.buckets,
        errorSeries: progress ? thinSeries(anomalies.errors, PROGRESS_SERIES) : anomalies.errors,
        volumeSeries: progress ? thinSeries(anomalies.volume, PROGRESS_SERIES) : anomalies.volume,
        sequences,
        alerts,
        alertsTotal: total,
        untimed: totals.untimed,
      },
      templates: this.templates.snapshot(limit),
      ...(progress ? {} : { recordIndex: this.recordIndex.snapshot() }),
    };
  }

  /**
   * `lineOffset`: the other analysis read a later slice of the same file (parallel analysis), whose line
   * numbers count from that slice's first line. `other` may be a structured clone of an Analysis sent from
   * another worker: merges only read the other's fields.
   */
  /** Counts only — the progress of a slice whose charts are not shown: no sweep, no replay, no sorting. */
  countsOnly(): AnalysisState {
    const empty = { bucketMs: 0, start: null, values: [], mean: [], std: [] };
    return {
      totals: this.totals.snapshot(),
      levels: this.levels.snapshot(),
      services: [],
      serviceCount: this.services.size,
      servicesCap: this.services.cap(),
      timeRange: this.range.snapshot(),
      timeline: { bucketMs: this.timeline.bucketMs, start: null, counts: [] },
      detectors: {
        spikes: [],
        windowsAnalyzed: 0,
        anomalies: [],
        anomalyBuckets: 0,
        errorSeries: empty,
        volumeSeries: empty,
        sequences: [],
        alerts: [],
        alertsTotal: 0,
        untimed: 0,
      },
      templates: this.templates.emptySnapshot(),
    };
  }

  merge(other: Analysis, lineOffset = 0): void {
    this.totals.merge(other.totals);
    this.levels.merge(other.levels);
    this.services.merge(other.services);
    this.range.merge(other.range);
    this.timeline.merge(other.timeline);
    this.spikes.merge(other.spikes);
    this.anomalies.merge(other.anomalies);
    this.sequences.merge(other.sequences, lineOffset);
    this.templates.merge(other.templates);
    this.recordIndex.merge(other.recordIndex, lineOffset);
  }
}
