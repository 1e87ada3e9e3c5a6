import type { Config } from './config.ts';
import type { LogRecord, ServiceCount, TimelineSnapshot, IngestTotals } from './types.ts';
import { errorMask, type Analyzer } from './analyzers/analyzer.ts';
import { Totals } from './analyzers/totals.ts';
import { LevelCounts } from './analyzers/levels.ts';
import { ServiceCounts } from './analyzers/services.ts';
import { TimeRange } from './analyzers/time-range.ts';
import { Timeline } from './analyzers/timeline.ts';

export interface AnalysisState {
  totals: IngestTotals;
  levels: number[];
  services: ServiceCount[];
  serviceCount: number;
  timeRange: { start: number; end: number } | null;
  timeline: TimelineSnapshot;
}

/** All analyzers of one analysis, fed together; itself an analyzer, so whole analyses merge. */
export class Analysis implements Analyzer<AnalysisState> {
  readonly totals = new Totals();
  readonly levels = new LevelCounts();
  readonly services: ServiceCounts;
  readonly range = new TimeRange();
  readonly timeline: Timeline;

  constructor(config: Config) {
    this.services = new ServiceCounts(errorMask(config.errorLevels));
    this.timeline = new Timeline(config.timeline.maxBuckets);
  }

  push(r: LogRecord): void {
    this.totals.push(r);
    this.levels.push(r);
    this.services.push(r);
    this.range.push(r);
    this.timeline.push(r);
  }

  /** `serviceLimit` keeps progress snapshots small; the final one has every service. */
  snapshot(serviceLimit = Infinity): AnalysisState {
    return {
      totals: this.totals.snapshot(),
      levels: this.levels.snapshot(),
      services: this.services.snapshot(serviceLimit),
      serviceCount: this.services.size,
      timeRange: this.range.snapshot(),
      timeline: this.timeline.snapshot(),
    };
  }

  merge(other: Analysis): void {
    this.totals.merge(other.totals);
    this.levels.merge(other.levels);
    this.services.merge(other.services);
    this.range.merge(other.range);
    this.timeline.merge(other.timeline);
  }
}
