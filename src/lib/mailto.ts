import type { Report } from '../engine/report.ts';
import { findingsText } from '../engine/summary.ts';

/** Mail clients and browsers cut long mailto: URLs; keep the body well under the common ~2,000 limit. */
const MAX_BODY = 1600;

/** A mailto: draft with a plain-text summary; the page sends nothing itself. */
export function mailtoSummary(report: Report): string {
  const names = report.files.map((f) => f.name).join(', ');
  const errors = report.levels.ERROR + report.levels.FATAL;
  const subject = `Loglens: ${names} — ${errors} errors, ${report.spikes.length} spikes, ${report.alertsTotal} alerts`;
  const n = (x: number): string => x.toLocaleString('en-US');
  const t = report.totals;
  const lines = [
    `Loglens summary of ${names}`,
    `${n(t.records)} records, ${n(errors)} errors (${t.records ? ((100 * errors) / t.records).toFixed(2) : '0.00'} %)`,
    report.timeRange ? `${report.timeRange.start} → ${report.timeRange.end}` : 'no timestamps',
    '',
    ...findingsText(report, 3),
    '',
    'Noisiest services:',
    ...report.services.slice(0, 5).map((s) => `  ${s.name}: ${n(s.records)} records, ${n(s.errors)} errors`),
    '',
    'Made by Loglens in the browser; the log itself never left this device.',
  ];
  let body = lines.join('\n');
  if (body.length > MAX_BODY) {
    body = `${body.slice(0, MAX_BODY)}\n…\n(cut short: the full report is in Loglens, "Export report (JSON)")`;
  }
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
