import type { NaiveAnomalies, NaiveAnomaly, NaiveSeries } from './anomalies.ts';

/** What an anomaly snapshot must hold to be compared with the naive result (the detector's has these). */
export interface AnomalyFindings {
  anomalies: readonly NaiveAnomaly[];
  buckets: number;
  errors: NaiveSeries;
  volume: NaiveSeries;
}

/** equal, or within 1e-9 relative (the ~9 digits two float computations of μ, σ, z agree on) */
export function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function closeArrays(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => (x === null ? b[i] === null : b[i] !== null && close(x, b[i]!)))
  );
}

/**
 * Differences between a snapshot and the naive result, as readable lines (none when they agree): counts
 * exactly, means and deviations to ~9 digits, the same anomalies in the same order except on the buckets
 * the naive result marks as borderline (z on the threshold to within rounding).
 */
export function anomalyDifferences(actual: AnomalyFindings, expected: NaiveAnomalies): string[] {
  const problems: string[] = [];
  if (actual.buckets !== expected.buckets) problems.push(`buckets ${actual.buckets} ≠ ${expected.buckets}`);
  for (const name of ['errors', 'volume'] as const) {
    const a = actual[name];
    const e = expected[name];
    if (a.bucketMs !== e.bucketMs || a.start !== e.start) problems.push(`${name}: bucketMs/start differ`);
    if (JSON.stringify(a.values) !== JSON.stringify(e.values)) problems.push(`${name}: values differ`);
    if (!closeArrays(a.mean, e.mean)) problems.push(`${name}: mean differs`);
    if (!closeArrays(a.std, e.std)) problems.push(`${name}: std differs`);
  }
  const sorted = actual.anomalies
    .slice()
    .sort(
      (x, y) => x.bucketStart - y.bucketStart || (x.series < y.series ? -1 : x.series > y.series ? 1 : 0),
    );
  if (sorted.some((x, i) => x !== actual.anomalies[i])) problems.push('anomalies are not sorted');
  const keep = (x: NaiveAnomaly): boolean => !expected.borderline.has(`${x.series}:${x.bucketStart}`);
  const A = actual.anomalies.filter(keep);
  const E = expected.anomalies.filter(keep);
  const ids = (xs: readonly NaiveAnomaly[]): string =>
    xs.map((x) => `${x.series}@${x.bucketStart}=${x.value}`).join(' ');
  if (ids(A) !== ids(E)) {
    problems.push(`anomalies: ${ids(A)} ≠ ${ids(E)}`);
  } else {
    A.forEach((x, i) => {
      const y = E[i]!;
      for (const f of ['mean', 'std', 'rawStd', 'z'] as const) {
        if (!close(x[f], y[f])) problems.push(`${x.series}@${x.bucketStart}.${f}: ${x[f]} ≠ ${y[f]}`);
      }
    });
  }
  return problems;
}
