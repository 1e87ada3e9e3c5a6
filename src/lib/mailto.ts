import type { Report } from '../engine/report.ts';
import { summaryText } from '../engine/summary.ts';

/** Mail clients and browsers cut long mailto: URLs; keep the body well under the common ~2,000 limit. */
const MAX_BODY = 1600;

/** A mailto: draft with a plain-text summary; the page sends nothing itself. */
export function mailtoSummary(report: Report): string {
  const names = report.files.map((f) => f.name).join(', ');
  const errors = report.levels.ERROR + report.levels.FATAL;
  const subject = `Loglens: ${names} — ${errors} errors, ${report.spikes.length} spikes, ${report.alertsTotal} alerts`;
  let body = summaryText(report);
  if (body.length > MAX_BODY) {
    body = `${body.slice(0, MAX_BODY)}\n…\n(cut short: the full report is in Loglens, "Export report (JSON)")`;
  }
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
