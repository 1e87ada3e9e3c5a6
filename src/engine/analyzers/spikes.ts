import type { LogRecord } from '../types.ts';
import { levelIndex, type Analyzer } from './analyzer.ts';

/** A run of seconds whose sliding-window error count reached the threshold. Times in ms since epoch. */
export interface Spike {
  /** first second of the run */
  start: number;
  /** last second of the run + 1 s */
  end: number;
  /** largest window count in the run */
  peak: number;
  /** error records in [start − W + 1 s, end) */
  errors: number;
}

export interface SpikesSnapshot {
  spikes: Spike[];
  /** the threshold used: the configured number, or what "auto" came to on this input */
  threshold: number;
  /** window positions evaluated: the seconds from the first record's to the last record's */
  windowsAnalyzed: number;
}

/**
 * Error spikes over a sliding window of W seconds. n(s) = error records in epoch second s; S(s) = n(s−W+1) +
 * … + n(s), for every second s from the first timed record's to the last's. A spike is a maximal run of
 * seconds with S(s) ≥ T. The state is the per-second error counts (sparse) and the record time range, so
 * out-of-order input and merges change nothing; the sweep runs in O(distinct error seconds).
 */
export class SpikeDetector implements Analyzer<SpikesSnapshot> {
  private readonly counts = new Map<number, number>();
  /** the seconds of `counts`, sorted; rebuilt only after an out-of-order second (logs are mostly in order) */
  private sorted: number[] = [];
  private sortedValid = true;
  private minSec = Infinity;
  private maxSec = -Infinity;

  constructor(
    private readonly windowSec: number,
    private readonly threshold: number | 'auto',
    private readonly isError: readonly boolean[],
  ) {
    if (!Number.isInteger(windowSec) || windowSec < 1)
      throw new RangeError('spikes.windowSec must be an integer ≥ 1');
    if (threshold !== 'auto' && !(threshold >= 1)) throw new RangeError('spikes.threshold must be ≥ 1');
  }

  push(r: LogRecord): void {
    const t = r.time;
    if (t === null) return;
    const s = Math.floor(t / 1000);
    if (s < this.minSec) this.minSec = s;
    if (s > this.maxSec) this.maxSec = s;
    if (this.isError[levelIndex(r.level)]) this.add(s, 1);
  }

  private add(s: number, c: number): void {
    const prev = this.counts.get(s);
    if (prev === undefined) {
      const n = this.sorted.length;
      if (this.sortedValid && (n === 0 || s > this.sorted[n - 1]!)) this.sorted.push(s);
      else this.sortedValid = false;
      this.counts.set(s, c);
    } else {
      this.counts.set(s, prev + c);
    }
  }

  merge(other: SpikeDetector): void {
    for (const [s, c] of other.counts) this.add(s, c);
    if (other.minSec < this.minSec) this.minSec = other.minSec;
    if (other.maxSec > this.maxSec) this.maxSec = other.maxSec;
  }

  snapshot(): SpikesSnapshot {
    if (this.minSec === Infinity)
      return {
        spikes: [],
        threshold: this.threshold === 'auto' ? AUTO_MIN : this.threshold,
        windowsAnalyzed: 0,
      };
    const W = this.windowSec;
    if (!this.sortedValid) {
      this.sorted = [...this.counts.keys()].sort((a, b) => a - b);
      this.sortedValid = true;
    }
    const secs = this.sorted;
    const T = this.threshold === 'auto' ? this.autoThreshold() : this.threshold;
    const k = secs.length;
    const cnt = secs.map((s) => this.counts.get(s)!);
    // prefix[i] = errors in secs[0..i)
    const prefix = new Float64Array(k + 1);
    for (let i = 0; i < k; i++) prefix[i + 1] = prefix[i]! + cnt[i]!;
    const spikes: Spike[] = [];
    const last = this.maxSec;
    let S = 0;
    let i = 0; // next second to enter the window
    let j = 0; // next second to leave it (at secs[j] + W)
    let pos = this.minSec;
    let runStart = NaN;
    let runLast = NaN;
    let peak = 0;
    const close = (): void => {
      if (Number.isNaN(runStart)) return;
      const from = lowerBound(secs, runStart - W + 1);
      const to = lowerBound(secs, runLast + 1);
      spikes.push({
        start: runStart * 1000,
        end: (runLast + 1) * 1000,
        peak,
        errors: prefix[to]! - prefix[from]!,
      });
      runStart = NaN;
    };
    while (pos <= last) {
      while (i < k && secs[i]! <= pos) S += cnt[i++]!;
      while (j < k && secs[j]! + W <= pos) S -= cnt[j++]!;
      // S is constant until the next second that enters or leaves the window.
      let next = last + 1;
      if (i < k && secs[i]! < next) next = secs[i]!;
      if (j < k && secs[j]! + W < next) next = secs[j]! + W;
      if (S >= T) {
        if (Number.isNaN(runStart)) {
          runStart = pos;
          peak = S;
        } else if (S > peak) {
          peak = S;
        }
        runLast = next - 1;
      } else {
        close();
      }
      pos = next;
    }
    close();
    return { spikes, threshold: T, windowsAnalyzed: this.maxSec - this.minSec + 1 };
  }

  /**
   * "auto": AUTO_FACTOR × the median error count of the W-second windows aligned to the epoch (k·W … k·W + W − 1
   * s) from the first timed record's to the last's, empty windows counting 0; at least AUTO_MIN. Depends only
   * on the counts and the time range, so merges and order change nothing. Needs `sorted` to be valid.
   */
  private autoThreshold(): number {
    const W = this.windowSec;
    const first = Math.floor(this.minSec / W);
    const windows = Math.floor(this.maxSec / W) - first + 1;
    const sums: number[] = [];
    let cur = NaN;
    for (const s of this.sorted) {
      const w = Math.floor(s / W);
      if (w !== cur) {
        sums.push(0);
        cur = w;
      }
      sums[sums.length - 1]! += this.counts.get(s)!;
    }
    sums.sort((a, b) => a - b);
    const zeros = windows - sums.length;
    // the value at rank k (0-based) of all windows, zeros first
    const at = (k: number): number => (k < zeros ? 0 : sums[k - zeros]!);
    const median = windows % 2 === 1 ? at((windows - 1) / 2) : (at(windows / 2 - 1) + at(windows / 2)) / 2;
    return Math.max(AUTO_MIN, Math.ceil(AUTO_FACTOR * median));
  }
}

/** "auto" spike threshold: AUTO_FACTOR × the median errors per window, at least AUTO_MIN. */
export const AUTO_FACTOR = 5;
export const AUTO_MIN = 10;

/** First index whose value is ≥ x in a sorted array. */
export function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
