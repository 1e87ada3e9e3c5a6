import type { Config } from './config.ts';
import type {
  ViewSummary,
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
import { compileQuery, parseQuery, type RecordMatcher } from './query/index.ts';
import { ViewTemplates } from './query/view-templates.ts';
import { RecordIndex, type RecordIndexSnapshot } from './analyzers/record-index.ts';
import { Facets, recordFacets, type FacetsSnapshot } from './analyzers/facets.ts';
import { NO_SERVICE } from './analyzers/services.ts';
import { LEVELS_AND_NONE } from './types.ts';

/** Parsed fields listed in a progress snapshot's facets (the final one has them all, up to MAX_FACET_FIELDS). */
export const PROGRESS_FACET_FIELDS = 16;
import { BucketCounts, buildIncidents } from './analyzers/incidents.ts';

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
  /** per-field top values, distinct counts and numeric quantiles (src/engine/analyzers/facets.ts) */
  facets: FacetsSnapshot;
  view?: ViewSummary;
  /** the log view's record index (src/engine/analyzers/record-index.ts): in the final snapshot only */
  recordIndex?: RecordIndexSnapshot;
}

/**
 * A view: the analysis of the records a query matches. Everything in its snapshot counts the matching records
 * only, but every record read goes through the template miner, so template ids are the whole read's.
 */
interface ViewState {
  query: string;
  templates: ViewTemplates;
  /** records read in all */
  recordsRead: number;
  /** lines, continuation lines and bytes of the matching records (the totals' lines are the whole read's) */
  lines: number;
  continuationLines: number;
  bytes: number;
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
  templates: TemplateMiner;
  /** set when the analysis is a view (`where`); plain data, so a view merges like the rest */
  readonly view: ViewState | null;
  private readonly isError: boolean[];
  // a JS private field: the compiled query (closures) stays out of the structured clone sent between workers
  readonly #matcher: RecordMatcher | null;
  readonly recordIndex = new RecordIndex();
  /**
   * A view whose record index covers every record read, not none (a live view: there is no whole file's
   * analysis beside it for its log view to seek with). The slow read path only (push()).
   */
  indexAll = false;
  readonly facets: Facets;
  /** per-bucket counts by level, template and service: what incidents compare with their baselines */
  readonly buckets: BucketCounts;

  /**
   * `detectors: false` leaves spikes, anomalies and sequences out, `mining: false` the templates; `where`: a
   * query's text (throws on one that does not parse: callers check it with parseQuery first)
   */
  constructor(
    private readonly config: Config,
    private readonly detectors = true,
    private readonly mining = true,
    where = '',
  ) {
    const isError = errorMask(config.errorLevels);
    this.isError = isError;
    const parsed = parseQuery(where);
    if (!parsed.ok) throw new Error(`the query does not parse: ${parsed.error.message}`);
    this.#matcher = parsed.query.empty ? null : compileQuery(parsed.query);
    this.view = parsed.query.empty
      ? null
      : {
          query: where,
          templates: new ViewTemplates(),
          recordsRead: 0,
          lines: 0,
          continuationLines: 0,
          bytes: 0,
        };
    this.services = new ServiceCounts(isError);
    this.timeline = new Timeline(config.timeline.maxBuckets);
    this.facets = new Facets(config.timeline.maxBuckets);
    this.spikes = new SpikeDetector(config.spikes.windowSec, config.spikes.threshold, isError);
    this.anomalies = new AnomalyDetector(config.anomalies, isError);
    this.sequences = new SequenceMatcher(detectors ? config.sequences : []);
    this.templates = new TemplateMiner(config.templates, isError);
    this.buckets = new BucketCounts(config.anomalies.bucketSec);
  }

  /**
   * `shape`: the message's template shape hash when the record builder made it from bytes, else NaN.
   * Returns whether the record is in the analysis (always, but in a view). `maybe: false`: the caller knows
   * the record cannot match the view (the text-search fast path): it is only mined and counted as read.
   */
  push(r: LogRecord, shape = NaN, maybe = true): boolean {
    const view = this.view;
    if (view === null) {
      this.pushAll(r, shape);
      return true;
    }
    view.recordsRead++;
    // a live view indexes every record: its log view reads the view's records from the whole stream
    if (this.indexAll) this.recordIndex.push(r);
    const id = this.mining ? this.templates.add(r, shape) : null;
    if (!maybe || !this.#matcher!.matches(r, id)) return false;
    this.inView(r, id);
    return true;
  }

  /** A record the view's query matched: counted by every analyzer of the view (both read paths). */
  private inView(r: LogRecord, id: number | null): void {
    const view = this.view!;
    if (id !== null) view.templates.push(r, id, this.isError);
    view.lines += r.lineEnd - r.line + 1;
    view.continuationLines += r.lineEnd - r.line;
    view.bytes += r.length;
    this.totals.push(r);
    this.levels.push(r);
    this.services.push(r);
    this.range.push(r);
    this.timeline.push(r);
    this.facets.push(r);
    if (this.detectors) {
      this.spikes.push(r);
      this.anomalies.push(r);
      this.sequences.push(r);
      this.buckets.push(r, id);
    }
  }

  /**
   * The fast read path of a view (src/engine/ingest/text-view.ts): the records that may match, each with its
   * template id in the whole file's miner (given with useMiner); records read are counted by the caller.
   */
  pushMatched(r: LogRecord): boolean {
    const id = this.mining ? this.templates.match(r.message) : null;
    if (!this.#matcher!.matches(r, id)) return false;
    this.inView(r, id);
    return true;
  }

  /** The whole file's miner, for a view read on the fast path: ids and texts are its own. */
  useMiner(miner: TemplateMiner): void {
    this.templates = miner;
  }

  /**
   * An empty miner in place of the whole file's: a fast slice's analysis, before it is sent to the worker that
   * merges (that one holds the same miner; a copy of it would only cost the sending).
   */
  dropMiner(): void {
    this.templates = new TemplateMiner(this.config.templates, this.isError);
  }

  private pushAll(r: LogRecord, shape: number): void {
    this.totals.push(r);
    this.levels.push(r);
    this.services.push(r);
    this.range.push(r);
    this.timeline.push(r);
    this.recordIndex.push(r);
    this.facets.push(r);
    const id = this.mining ? this.templates.add(r, shape) : null;
    if (this.detectors) {
      this.spikes.push(r);
      this.anomalies.push(r);
      this.sequences.push(r);
      this.buckets.push(r, id);
    }
  }

  /**
   * `limit` keeps progress snapshots small and bounded (services, templates, the rolling series cut to
   * PROGRESS_SERIES points); the final one has them all.
   */
  snapshot(limit = Infinity): AnalysisState {
    const progress = Number.isFinite(limit);
    const totals = this.viewTotals();
    const spikes = this.spikes.snapshot();
    const anomalies = this.anomalies.snapshot();
    const sequences = this.sequences.snapshot();
    const templates = this.view
      ? this.view.templates.snapshot(this.templates, this.config.templates.maxTemplates, limit)
      : this.templates.snapshot(limit);
    const levels = this.levels.snapshot();
    const services = this.services.snapshot(limit);
    const incidents = buildIncidents({
      spikes: spikes.spikes,
      spikeWindowSec: this.config.spikes.windowSec,
      anomalies: anomalies.anomalies,
      sequences,
      counts: this.buckets,
      isError: this.isError,
      history: this.config.anomalies.history,
      minSeverity: this.config.incidents.minSeverity,
      templates: this.mining ? this.templates : null,
    });
    const { alerts, total } = buildAlerts(
      this.config,
      spikes.spikes,
      anomalies.anomalies,
      sequences,
      incidents.incidents,
    );
    return {
      totals,
      levels,
      services,
      serviceCount: this.services.size,
      servicesCap: this.services.cap(),
      timeRange: this.range.snapshot(),
      timeline: this.timeline.snapshot(),
      detectors: {
        spikes: spikes.spikes,
        spikeThreshold: spikes.threshold,
        windowsAnalyzed: spikes.windowsAnalyzed,
        anomalies: anomalies.anomalies,
        anomalyBuckets: anomalies.buckets,
        errorSeries: progress ? thinSeries(anomalies.errors, PROGRESS_SERIES) : anomalies.errors,
        volumeSeries: progress ? thinSeries(anomalies.volume, PROGRESS_SERIES) : anomalies.volume,
        sequences,
        alerts,
        alertsTotal: total,
        incidents: incidents.incidents,
        incidentsTotal: incidents.total,
        untimed: totals.untimed,
      },
      templates,
      facets: this.facetsSnapshot(levels, services, templates, progress ? PROGRESS_FACET_FIELDS : Infinity),
      ...this.viewSummary(),
      ...(progress ? {} : { recordIndex: this.recordIndex.snapshot() }),
    };
  }

  private facetsSnapshot(
    levels: number[],
    services: ServiceCount[],
    templates: TemplatesSnapshot,
    limit: number,
  ): FacetsSnapshot {
    const parsed = this.facets.snapshot(limit);
    const own = recordFacets(
      levels,
      LEVELS_AND_NONE,
      services,
      this.services.size,
      this.services.cap().capped,
      NO_SERVICE,
      this.facets,
      templates.templates,
      templates.total,
    );
    return { ...parsed, fields: [...own, ...parsed.fields] };
  }

  /** The totals; a view's count its records, their lines and bytes (the line-level notes stay the read's). */
  private viewTotals(): IngestTotals {
    const t = this.totals.snapshot();
    const v = this.view;
    if (v === null) return t;
    return { ...t, lines: v.lines, continuationLines: v.continuationLines, bytes: v.bytes };
  }

  private viewSummary(): { view?: ViewSummary } {
    const v = this.view;
    if (v === null) return {};
    const t = this.totals.t;
    return { view: { query: v.query, recordsRead: v.recordsRead, linesRead: t.lines, bytesRead: t.bytes } };
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
      totals: this.viewTotals(),
      levels: this.levels.snapshot(),
      services: [],
      serviceCount: this.services.size,
      servicesCap: this.services.cap(),
      timeRange: this.range.snapshot(),
      timeline: { bucketMs: this.timeline.bucketMs, start: null, counts: [] },
      detectors: {
        spikes: [],
        spikeThreshold: 0,
        windowsAnalyzed: 0,
        anomalies: [],
        anomalyBuckets: 0,
        errorSeries: empty,
        volumeSeries: empty,
        sequences: [],
        alerts: [],
        alertsTotal: 0,
        incidents: [],
        incidentsTotal: 0,
        untimed: 0,
      },
      templates: this.view
        ? this.view.templates.counts(this.config.templates.maxTemplates)
        : this.templates.emptySnapshot(),
      facets: { fields: [], untracked: 0, maxFields: 0, access: null },
      ...this.viewSummary(),
    };
  }

  /**
   * `sharedMiner`: both are views read on the fast path with the same whole file's miner (each slice a copy of
   * it: src/engine/ingest/text-view.ts), so their template ids are already the same ids: the miner is not
   * merged (it would count the whole file twice) and the ids are kept.
   */
  merge(other: Analysis, lineOffset = 0, sharedMiner = false): void {
    this.totals.merge(other.totals);
    this.levels.merge(other.levels);
    this.services.merge(other.services);
    this.range.merge(other.range);
    this.timeline.merge(other.timeline);
    this.facets.merge(other.facets);
    this.spikes.merge(other.spikes);
    this.anomalies.merge(other.anomalies);
    this.sequences.merge(other.sequences, lineOffset);
    const ids = sharedMiner ? null : this.templates.merge(other.templates);
    this.buckets.merge(other.buckets, ids);
    const v = this.view;
    const o = other.view;
    if ((v === null) !== (o === null) || (v !== null && v.query !== o!.query))
      throw new Error('cannot merge analyses of different views');
    if (v !== null && o !== null) {
      v.recordsRead += o.recordsRead;
      v.lines += o.lines;
      v.continuationLines += o.continuationLines;
      v.bytes += o.bytes;
      // the other's ids are its own miner's: a template is found again in the merged miner by a message of it
      v.templates.merge(o.templates, (id, sample) => (sharedMiner ? id : this.templates.match(sample)));
    }
    this.recordIndex.merge(other.recordIndex, lineOffset);
  }
}
