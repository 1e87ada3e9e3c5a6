import type { LogRecord } from '../types.ts';
import { levelIndex, type Analyzer } from './analyzer.ts';

export type AnomalySeries = 'errors' | 'volume';

/** Buckets past which the per-bucket series for the errors chart is left out (the anomalies are still found). */
export const SERIES_MAX = 50_000;

export interface Anomaly {
  series: AnomalySeries;
  /** start of the bucket, ms since epoch */
  bucketStart: number;
  value: number;
  /** mean of the history buckets */
  mean: number;
  /** the deviation z was computed with: σ' = max(σ, minStd) */
  std: number;
  /** the population standard deviation σ of the history, before the minStd floor */
  rawStd: number;
  z: number;
}

export interface AnomalyParams {
  bucketSec: number;
  history: number;
  minHistory: number;
  z: number;
  minCount: number;
  minStd: number;
  /** the least |x − μ| a bucket must be off by, whatever z says; absent: 0 */
  minExcess?: number;
  /**
   * "robust": a flagged bucket enters the history clipped to the band's edge μ ± z·σ', so a burst does not
   * swell the band after it; "mean" (the default when absent): every bucket enters as it is.
   */
  baseline?: 'robust' | 'mean';
}

/** Per-bucket series with the rolling statistics, for the errors chart (null where history is too short). */
export interface RollingSeries {
  bucketMs: number;
  start: number | null;
  values: number[];
  mean: (number | null)[];
  std: (number | null)[];
}

export interface AnomaliesSnapshot {
  anomalies: Anomaly[];
  /** buckets from the first timed record's to the last's */
  buckets: number;
  errors: RollingSeries;
  volume: RollingSeries;
}

/**
 * Rolling z-score anomalies over B-second buckets aligned to the epoch, on two series: error records and all
 * records per bucket, empty buckets counting 0. For a bucket with at least minHistory earlier buckets, μ and
 * the population σ of the up to L buckets before it come from a rolling sum and sum of squares (integers, so
 * exact); z = (x − μ) / max(σ, minStd). The state is the per-bucket counts: order and merges do not matter.
 */
export class AnomalyDetector implements Analyzer<AnomaliesSnapshot> {
  private readonly buckets = new Map<number, { errors: number; volume: number }>();
  private minB = Infinity;
  private maxB = -Infinity;
  private lastB = NaN;
  private lastEntry: { errors: number; volume: number } | null = null;
  private readonly bucketMs: number;

  constructor(
    private readonly p: AnomalyParams,
    private readonly isError: readonly boolean[],
  ) {
    if (!Number.isInteger(p.bucketSec) || p.bucketSec < 1)
      throw new RangeError('anomalies.bucketSec must be an integer ≥ 1');
    if (!Number.isInteger(p.history) || p.history < 1)
      throw new RangeError('anomalies.history must be an integer ≥ 1');
    if (!Number.isInteger(p.minHistory) || p.minHistory < 1 || p.minHistory > p.history) {
      throw new RangeError('anomalies.minHistory must be an integer from 1 to history');
    }
    if (!(p.z > 0)) throw new RangeError('anomalies.z must be > 0');
    if (!(p.minStd >= 0)) throw new RangeError('anomalies.minStd must be ≥ 0');
    if (!((p.minExcess ?? 0) >= 0)) throw new RangeError('anomalies.minExcess must be ≥ 0');
    this.bucketMs = p.bucketSec * 1000;
  }

  push(r: LogRecord): void {
    const t = r.time;
    if (t === null) return;
    const b = Math.floor(t / this.bucketMs);
    let e: { errors: number; volume: number };
    if (b === this.lastB) {
      e = this.lastEntry!;
    } else {
      e = this.entry(b);
      this.lastB = b;
      this.lastEntry = e;
    }
    e.volume++;
    if (this.isError[levelIndex(r.level)]) e.errors++;
  }

  private entry(b: number): { errors: number; volume: number } {
    let e = this.buckets.get(b);
    if (e === undefined) {
      e = { errors: 0, volume: 0 };
      this.buckets.set(b, e);
      if (b < this.minB) this.minB = b;
      if (b > this.maxB) this.maxB = b;
    }
    return e;
  }

  merge(other: AnomalyDetector): void {
    for (const [b, o] of other.buckets) {
      const e = this.entry(b);
      e.errors += o.errors;
      e.volume += o.volume;
    }
    this.lastB = NaN;
    this.lastEntry = null;
  }

  snapshot(): AnomaliesSnapshot {
    const empty = (): RollingSeries => ({
      bucketMs: this.bucketMs,
      start: null,
      values: [],
      mean: [],
      std: [],
    });
    if (this.minB === Infinity) return { anomalies: [], buckets: 0, errors: empty(), volume: empty() };
    const n = this.maxB - this.minB + 1;
    // Sparse input: the buckets that hold records, in order. Empty stretches cost nothing (see rolling()).
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    const idx = keys.map((b) => b - this.minB);
    const errors = keys.map((b) => this.buckets.get(b)!.errors);
    const volume = keys.map((b) => this.buckets.get(b)!.volume);
    const anomalies: Anomaly[] = [];
    const start = this.minB * this.bucketMs;
    // volume first: with the robust baseline, a bucket of abnormal traffic is no baseline for its errors either
    const flagged = new Set<number>();
    const vs = this.rolling(idx, volume, n, 'volume', start, anomalies, null, flagged);
    const es = this.rolling(idx, errors, n, 'errors', start, anomalies, flagged, null);
    anomalies.sort(
      (a, b) => a.bucketStart - b.bucketStart || (a.series < b.series ? -1 : a.series > b.series ? 1 : 0),
    );
    return { anomalies, buckets: n, errors: es, volume: vs };
  }

  /**
   * One series over buckets 0..n−1, given sparsely (idx ascending, vals). The window of the last L values is a
   * ring buffer; once it holds only zeros and the bucket is empty, nothing can be an anomaly (x = μ = 0), so
   * the loop jumps to the next bucket with records: a year of minutes with data in two of them is two
   * stretches, not half a million steps. The per-bucket series for the chart is kept up to SERIES_MAX buckets.
   */
  private rolling(
    idx: readonly number[],
    vals: readonly number[],
    n: number,
    series: AnomalySeries,
    start: number,
    out: Anomaly[],
    /** robust: buckets that enter the history at its mean, not at their value (the volume series' anomalies) */
    skip: ReadonlySet<number> | null,
    /** the buckets flagged here are added to this */
    flagged: Set<number> | null,
  ): RollingSeries {
    const { history: L, minHistory, z: Z, minCount, minStd } = this.p;
    const minExcess = this.p.minExcess ?? 0;
    const robust = this.p.baseline === 'robust';
    const dense = n <= SERIES_MAX;
    const values = dense ? new Array<number>(n).fill(0) : [];
    const mean = dense ? new Array<number | null>(n).fill(null) : [];
    const std = dense ? new Array<number | null>(n).fill(null) : [];
    const ring = new Float64Array(L);
    let sum = 0;
    let sumSq = 0;
    let nonzero = 0; // ring slots that hold a value ≠ 0 (robust sums are not integers: sum === 0 is not a test)
    let p = 0; // next sparse entry
    let i = 0;
    while (i < n) {
      const v = p < idx.length && idx[p] === i ? vals[p++]! : 0;
      if (v === 0 && nonzero === 0 && !dense) {
        // all-zero window, empty bucket: jump to the next bucket with records (the ring stays all zeros)
        i = p < idx.length ? idx[p]! : n;
        continue;
      }
      const h = Math.min(i, L);
      let entered = v;
      if (i >= minHistory) {
        const mu = sum / h;
        // (h·Σx² − (Σx)²) / h² is exact on integer counts; clamp the tiny negatives rounding could leave
        const variance = Math.max(0, (h * sumSq - sum * sum) / (h * h));
        const sigma = Math.sqrt(variance);
        const sd = Math.max(sigma, minStd);
        const zScore = sd > 0 ? (v - mu) / sd : v === mu ? 0 : v > mu ? Infinity : -Infinity;
        if (dense) {
          mean[i] = mu;
          std[i] = sd;
        }
        // Decide z ≥ Z on integers where floats would blur a tie: with d = h·x − Σx and D = h·Σx² − (Σx)²,
        // z = d / max(√D, h·minStd), so |z| ≥ Z ⟺ d² ≥ Z²·max(D, h²·minStd²).
        const d = h * v - sum;
        const floor = Math.max(h * sumSq - sum * sum, h * h * minStd * minStd);
        const far = floor === 0 ? d !== 0 : d * d >= Z * Z * floor;
        // the effect: |x − μ| ≥ minExcess ⟺ |d| ≥ h·minExcess
        const big = Math.abs(d) >= h * minExcess;
        const hit =
          series === 'errors'
            ? v >= minCount && d >= 0 && far && big
            : far && big && Math.max(v, mu) >= minCount;
        // robust: a bucket of abnormal traffic enters the errors' history at its mean (it neither lowers nor widens it)
        if (robust && skip !== null && skip.has(i)) entered = mu;
        if (hit) {
          flagged?.add(i);
          // robust: the bucket enters the history at the band's edge, not at its own value
          if (robust) entered = d >= 0 ? mu + Z * sd : Math.max(0, mu - Z * sd);
          out.push({
            series,
            bucketStart: start + i * this.bucketMs,
            value: v,
            mean: mu,
            std: sd,
            rawStd: sigma,
            z: zScore,
          });
        }
      }
      if (dense) values[i] = v;
      // slide the window: add x[i], drop x[i − L] (the ring slot i mod L holds it)
      const slot = i % L;
      if (i >= L) {
        const old = ring[slot]!;
        sum -= old;
        sumSq -= old * old;
        if (old !== 0) nonzero--;
      }
      ring[slot] = entered;
      sum += entered;
      sumSq += entered * entered;
      if (entered !== 0) nonzero++;
      i++;
    }
    return { bucketMs: this.bucketMs, start: dense ? start : null, values, mean, std };
  }
}
