import type { Level, LogRecord } from '../../../src/engine/types.ts';

/**
 * A deliberately naive reading of the rolling z-score definition, written from the specification only (it
 * does not import the detector): per B-second bucket aligned to the epoch, from the first timed record's
 * bucket to the last one's, count error records and all records; for a bucket with at least minHistory
 * earlier buckets, loop over the up to L buckets before it for μ and the population σ (plain floats),
 * σ' = max(σ, minStd), z = (x − μ) / σ'.
 */
export interface NaiveAnomalyParams {
  bucketSec: number;
  history: number;
  minHistory: number;
  z: number;
  minCount: number;
  minStd: number;
}

export type NaiveSeriesName = 'errors' | 'volume';

export interface NaiveAnomaly {
  series: NaiveSeriesName;
  bucketStart: number;
  value: number;
  mean: number;
  std: number;
  rawStd: number;
  z: number;
}

export interface NaiveSeries {
  bucketMs: number;
  start: number | null;
  values: number[];
  mean: (number | null)[];
  std: (number | null)[];
}

export interface NaiveAnomalies {
  anomalies: NaiveAnomaly[];
  buckets: number;
  errors: NaiveSeries;
  volume: NaiveSeries;
  /**
   * `series:bucketStart` of the buckets whose z lies within 1e-9 (relative) of the threshold without being
   * exactly on it: there the verdict depends on the last bits of floating-point rounding, so a comparison
   * must not insist on it.
   */
  borderline: Set<string>;
  /**
   * `series:bucketStart` of the buckets where z equals the threshold exactly (|z| = Z for volume), decided in
   * exact rational arithmetic: the definition counts these (z ≥ Z), floating point may not.
   */
  ties: Set<string>;
}

/** A double as an exact fraction num / den (den a power of two). */
function fraction(d: number): [bigint, bigint] {
  let den = 1n;
  let x = d;
  while (!Number.isInteger(x)) {
    x *= 2;
    den *= 2n;
  }
  return [BigInt(x), den];
}

/**
 * Whether |z| = Z exactly, for a bucket value x after a history of h integer counts with sum S and sum of
 * squares Q: z = (x − μ) / max(σ, minStd), μ = S / h, σ² = (hQ − S²) / h². With d = hx − S, |z| = Z ⇔
 * d² = Z² · h²σ'², all in integers once Z and minStd are written as fractions.
 */
export function exactTie(x: number, h: number, S: number, Q: number, Z: number, minStd: number): boolean {
  const H = BigInt(h);
  const d = H * BigInt(x) - BigInt(S);
  const v = H * BigInt(Q) - BigInt(S) * BigInt(S); // h²σ²
  const [zn, zd] = fraction(Z);
  const [mn, md] = fraction(minStd);
  // h²σ'² = max(v, h² minStd²) as a fraction vn / vd
  const floor = H * H * mn * mn;
  const [vn, vd] = v * md * md >= floor ? [v, 1n] : [floor, md * md];
  if (vn === 0n) return false; // σ' = 0: z is ±∞ or undefined, never equal to a finite Z
  return d * d * zd * zd * vd === zn * zn * vn;
}

export function naiveAnomalies(
  records: readonly LogRecord[],
  p: NaiveAnomalyParams,
  errorLevels: readonly Level[],
): NaiveAnomalies {
  const bucketMs = p.bucketSec * 1000;
  const bucketOf = (t: number): number => Math.floor(t / bucketMs);
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    if (r.time === null) continue;
    first = Math.min(first, bucketOf(r.time));
    last = Math.max(last, bucketOf(r.time));
  }
  const borderline = new Set<string>();
  const ties = new Set<string>();
  if (first === Infinity) {
    const empty = (): NaiveSeries => ({ bucketMs, start: null, values: [], mean: [], std: [] });
    return { anomalies: [], buckets: 0, errors: empty(), volume: empty(), borderline, ties };
  }
  const n = last - first + 1;
  const errors = new Array<number>(n).fill(0);
  const volume = new Array<number>(n).fill(0);
  for (const r of records) {
    if (r.time === null) continue;
    const i = bucketOf(r.time) - first;
    volume[i]!++;
    if (r.level !== null && errorLevels.includes(r.level)) errors[i]!++;
  }
  const start = first * bucketMs;
  const anomalies: NaiveAnomaly[] = [];
  const tol = 1e-9 * Math.max(1, p.z);

  const run = (name: NaiveSeriesName, x: number[]): NaiveSeries => {
    const mean: (number | null)[] = [];
    const std: (number | null)[] = [];
    for (let b = 0; b < n; b++) {
      const earlier = b; // buckets before b in the series
      if (earlier < p.minHistory) {
        mean.push(null);
        std.push(null);
        continue;
      }
      const from = Math.max(0, b - p.history);
      const h = b - from;
      let sum = 0;
      for (let i = from; i < b; i++) sum += x[i]!;
      const mu = sum / h;
      let sq = 0;
      for (let i = from; i < b; i++) sq += (x[i]! - mu) * (x[i]! - mu);
      const sigma = Math.sqrt(sq / h);
      const sd = Math.max(sigma, p.minStd);
      const v = x[b]!;
      const z = (v - mu) / sd; // ±Infinity when σ' = 0 and v ≠ μ, NaN when v = μ
      mean.push(mu);
      std.push(sd);
      const hit =
        name === 'errors' ? v >= p.minCount && z >= p.z : Math.abs(z) >= p.z && Math.max(v, mu) >= p.minCount;
      // a z computed as exactly Z is a tie the definition counts: only near-misses are left open
      const d = name === 'errors' ? z - p.z : Math.abs(z) - p.z;
      const near = d !== 0 && Math.abs(d) <= tol;
      if (near) borderline.add(`${name}:${start + b * bucketMs}`);
      let Q = 0;
      for (let i = from; i < b; i++) Q += x[i]! * x[i]!;
      const positive = name === 'volume' || v * h >= sum;
      if (positive && exactTie(v, h, sum, Q, p.z, p.minStd)) ties.add(`${name}:${start + b * bucketMs}`);
      if (hit)
        anomalies.push({
          series: name,
          bucketStart: start + b * bucketMs,
          value: v,
          mean: mu,
          std: sd,
          rawStd: sigma,
          z,
        });
    }
    return { bucketMs, start, values: x, mean, std };
  };
  const es = run('errors', errors);
  const vs = run('volume', volume);
  anomalies.sort((a, b) => a.bucketStart - b.bucketStart || a.series.localeCompare(b.series));
  return { anomalies, buckets: n, errors: es, volume: vs, borderline, ties };
}
