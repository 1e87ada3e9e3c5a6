import type { Config } from './config.ts';
import type { Snapshot } from './types.ts';
import { MAX_ALERTS } from './alerts.ts';
import { MAX_EXAMPLES } from './analyzers/sequences.ts';
import { MAX_SERVICES } from './analyzers/services.ts';

/**
 * The report's `caps`: each bound that can cut a count or a list the user reads, whether it did, and what
 * fell beyond it. Without it a capped number (10,000 services, 5,000 templates) reads as a true count.
 */
export interface ReportCaps {
  services: {
    max: number;
    capped: boolean;
    /** distinct names with their own row: the true count when not capped, else a lower bound */
    counted: number;
    /** records and errors of the names beyond the cap, the `(other services)` row */
    beyondRecords: number;
    beyondErrors: number;
    /** when capped, a HyperLogLog estimate of all distinct names (±2.3 % standard error), else null */
    estimate: number | null;
  };
  templates: {
    max: number;
    capped: boolean;
    /** mined templates with records (the `<overflow>` one not included) */
    kept: number;
    /** records (and errors) matching no kept template once the cap was reached: template id 0, `<overflow>` */
    overflowRecords: number;
    overflowErrors: number;
  };
  /** `alerts[]` lists at most `max`; `alertsTotal` counts them all */
  alerts: { max: number; capped: boolean; total: number };
  /** each sequence lists its first `max` matches in `examples[]`; `matches` counts them all */
  sequenceExamples: { max: number; capped: boolean };
  /** lines longer than `config.maxLineBytes` were cut there (`totals.truncatedLines` of them) */
  lineBytes: { max: number; capped: boolean; cut: number };
}

export function capsOf(s: Snapshot, config: Config): ReportCaps {
  // Snapshots saved by a version without these fields (Recent) report "not capped" rather than throw.
  const sc = s.servicesCap ?? {
    max: MAX_SERVICES,
    capped: false,
    beyondRecords: 0,
    beyondErrors: 0,
    estimate: null,
  };
  const t = s.templates;
  const d = s.detectors;
  return {
    services: {
      max: sc.max,
      capped: sc.capped,
      counted: s.serviceCount,
      beyondRecords: sc.beyondRecords,
      beyondErrors: sc.beyondErrors,
      estimate: sc.estimate ?? null,
    },
    templates: {
      max: t.max ?? config.templates.maxTemplates,
      capped: t.overflow > 0,
      kept: t.total - (t.overflow > 0 ? 1 : 0),
      overflowRecords: t.overflow,
      overflowErrors: t.overflowErrors ?? 0,
    },
    alerts: { max: MAX_ALERTS, capped: d.alertsTotal > d.alerts.length, total: d.alertsTotal },
    sequenceExamples: {
      max: MAX_EXAMPLES,
      capped: d.sequences.some((q) => q.matches > q.examples.length),
    },
    lineBytes: {
      max: config.maxLineBytes,
      capped: s.totals.truncatedLines > 0,
      cut: s.totals.truncatedLines,
    },
  };
}
