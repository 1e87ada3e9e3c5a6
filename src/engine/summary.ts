import type { Report } from './report.ts';
import { LEVELS_AND_NONE } from './types.ts';

/** A plain-text summary of a report: the command line's output, and the body of the e-mail summary. */
export function summaryText(r: Report): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const errors = r.levels.ERROR + r.levels.FATAL;
  const out: string[] = [];
  out.push(`Loglens report — ${r.files.map((f) => f.name).join(', ')}`);
  for (const f of r.files) {
    const fmt =
      f.format === 'unknown'
        ? 'format not recognized'
        : `${f.formatName} (${Math.round(f.formatConfidence * 100)} % of sampled lines)`;
    out.push(`  ${f.name}: ${n(f.bytes)} bytes${f.gzip ? ' (gzip)' : ''}, ${n(f.records)} records, ${fmt}`);
    if (f.error) out.push(`    error: ${f.error}`);
    for (const w of f.warnings) out.push(`    note: ${w}`);
  }
  out.push('');
  const t = r.totals;
  out.push(
    `Records     ${n(t.records)} from ${n(t.lines)} lines (${n(t.unparsed)} unparsed, ${n(t.continuationLines)} continuation, ${n(t.emptyLines)} empty)`,
  );
  out.push(`Errors      ${n(errors)} (${t.records ? ((100 * errors) / t.records).toFixed(2) : '0.00'} %)`);
  out.push(`Time range  ${r.timeRange ? `${r.timeRange.start} → ${r.timeRange.end}` : 'no timestamps'}`);
  if (t.invalidUtf8 || t.truncatedLines) {
    out.push(
      `Damage      ${n(t.invalidUtf8)} lines with invalid UTF-8, ${n(t.truncatedLines)} lines cut at the cap`,
    );
  }
  out.push('');
  out.push('Levels');
  for (const l of LEVELS_AND_NONE)
    if (r.levels[l] > 0) out.push(`  ${l.padEnd(6)} ${n(r.levels[l]).padStart(12)}`);
  out.push('');
  // Reports saved before `caps` existed (Recent) have none; a capped count is a lower bound: "10,000+".
  out.push(`Services (${r.caps?.services.capped ? `${n(r.caps.services.counted)}+` : r.services.length})`);
  for (const s of r.services.slice(0, 15)) {
    out.push(
      `  ${s.name.padEnd(28)} ${n(s.records).padStart(12)} records ${n(s.errors).padStart(10)} errors`,
    );
  }
  if (r.services.length > 15) out.push(`  … ${r.services.length - 15} more`);
  out.push('');
  out.push(...findingsText(r));
  out.push('');
  out.push(`Analyzed in ${(r.analysis.durationMs / 1000).toFixed(2)} s`);
  return out.join('\n');
}

/** Spikes, anomalies, sequences and alerts, a line each (the first few of each kind). */
export function findingsText(r: Report, perKind = 10): string[] {
  const c = r.config;
  const out: string[] = [];
  out.push(
    `Error spikes (${c.spikes.windowSec} s window, at least ${c.spikes.threshold} errors): ${r.spikes.length}`,
  );
  for (const s of r.spikes.slice(0, perKind))
    out.push(`  ${s.start} → ${s.end}  peak ${s.peak}, ${s.errors} errors`);
  if (r.spikes.length > perKind) out.push(`  … ${r.spikes.length - perKind} more`);
  const errors = r.anomalies.filter((a) => a.series === 'errors').length;
  out.push(
    `Anomalies (${c.anomalies.bucketSec} s buckets, |z| ≥ ${c.anomalies.z}): ${r.anomalies.length} (${errors} in errors, ${r.anomalies.length - errors} in volume)`,
  );
  for (const a of r.anomalies.slice(0, perKind)) {
    out.push(
      `  ${a.bucketStart}  ${a.series} ${a.value} against a mean of ${a.mean.toFixed(1)}, z = ${a.z === null ? '∞' : a.z.toFixed(1)}`,
    );
  }
  if (r.anomalies.length > perKind) out.push(`  … ${r.anomalies.length - perKind} more`);
  out.push(`Sequences: ${r.sequences.length}`);
  for (const q of r.sequences) {
    const med = q.medianDurationMs === null ? '' : `, median ${(q.medianDurationMs / 1000).toFixed(1)} s`;
    out.push(
      `  ${q.name}: ${q.matches} match${q.matches === 1 ? '' : 'es'}${q.firstMatch ? `, first ${q.firstMatch}` : ''}${med}`,
    );
  }
  out.push(`Alerts: ${r.alertsTotal}`);
  return out;
}
