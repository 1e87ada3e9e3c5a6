import { LEVEL_SLOTS, type LogRecord, type TimelineSnapshot } from '../types.ts';
import { levelIndex, type Analyzer } from './analyzer.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
/**
 * Bucket widths; each divides the next, so counts at one width re-bucket exactly into any coarser one, and
 * the final width depends only on the time range: any split of the input merges to the same series.
 */
export const BUCKET_LADDER = [
  S,
  5 * S,
  10 * S,
  30 * S,
  M,
  5 * M,
  15 * M,
  H,
  3 * H,
  6 * H,
  12 * H,
  D,
  7 * D,
  28 * D,
  364 * D,
] as const;

/**
 * Record counts per level over time, in buckets aligned to multiples of the width since the epoch. The width
 * is the finest on the ladder that keeps the range within `maxBuckets`; it grows as the range does.
 */
export class Timeline implements Analyzer<TimelineSnapshot> {
  private rung = 0;
  private buckets = new Map<number, Float64Array>();
  private minIdx = Infinity;
  private maxIdx = -Infinity;
  private lastIdx = NaN;
  private lastCounts: Float64Array | null = null;

  constructor(private readonly maxBuckets = 2000) {}

  get bucketMs(): number {
    return BUCKET_LADDER[this.rung]!;
  }

  push(r: LogRecord): void {
    const t = r.time;
    if (t === null) return;
    const idx = Math.floor(t / BUCKET_LADDER[this.rung]!);
    let counts: Float64Array;
    if (idx === this.lastIdx) {
      counts = this.lastCounts!;
    } else {
      counts = this.bucket(idx);
      if (idx < this.minIdx || idx > this.maxIdx) {
        if (idx < this.minIdx) this.minIdx = idx;
        if (idx > this.maxIdx) this.maxIdx = idx;
        if (this.maxIdx - this.minIdx + 1 > this.maxBuckets) {
          this.coarsen(this.rung + 1);
          this.push(r);
          return;
        }
      }
      this.lastIdx = idx;
      this.lastCounts = counts;
    }
    counts[levelIndex(r.level)]!++;
  }

  /**
   * Counts one record at time `t` in slot `slot` (< LEVEL_SLOTS) instead of its level's: the same buckets and
   * merges for another split of records (the facets' HTTP status classes over time).
   */
  pushSlot(t: number, slot: number): void {
    const idx = Math.floor(t / BUCKET_LADDER[this.rung]!);
    if (idx !== this.lastIdx) {
      const counts = this.bucket(idx);
      if (idx < this.minIdx || idx > this.maxIdx) {
        if (idx < this.minIdx) this.minIdx = idx;
        if (idx > this.maxIdx) this.maxIdx = idx;
        if (this.maxIdx - this.minIdx + 1 > this.maxBuckets) {
          this.coarsen(this.rung + 1);
          this.pushSlot(t, slot);
          return;
        }
      }
      this.lastIdx = idx;
      this.lastCounts = counts;
    }
    this.lastCounts![slot]!++;
  }

  private bucket(idx: number): Float64Array {
    let c = this.buckets.get(idx);
    if (c === undefined) {
      c = new Float64Array(LEVEL_SLOTS);
      this.buckets.set(idx, c);
    }
    return c;
  }

  /** Re-buckets to rung `target` or the first coarser one that fits the range. */
  private coarsen(target: number): void {
    const oldWidth = BUCKET_LADDER[this.rung]!;
    const minT = this.minIdx * oldWidth;
    const maxT = this.maxIdx * oldWidth + oldWidth - 1;
    let rung = Math.max(target, this.rung);
    while (
      rung < BUCKET_LADDER.length - 1 &&
      Math.floor(maxT / BUCKET_LADDER[rung]!) - Math.floor(minT / BUCKET_LADDER[rung]!) + 1 > this.maxBuckets
    ) {
      rung++;
    }
    if (rung === this.rung) return;
    const width = BUCKET_LADDER[rung]!;
    const old = this.buckets;
    this.buckets = new Map();
    this.rung = rung;
    this.minIdx = Infinity;
    this.maxIdx = -Infinity;
    for (const [idx, counts] of old) {
      const n = Math.floor((idx * oldWidth) / width);
      const c = this.bucket(n);
      for (let i = 0; i < LEVEL_SLOTS; i++) c[i]! += counts[i]!;
      if (n < this.minIdx) this.minIdx = n;
      if (n > this.maxIdx) this.maxIdx = n;
    }
    this.lastIdx = NaN;
    this.lastCounts = null;
  }

  snapshot(): TimelineSnapshot {
    const width = BUCKET_LADDER[this.rung]!;
    if (this.minIdx === Infinity) {
      return { bucketMs: width, start: null, counts: Array.from({ length: LEVEL_SLOTS }, () => []) };
    }
    const n = this.maxIdx - this.minIdx + 1;
    const counts = Array.from({ length: LEVEL_SLOTS }, () => new Array<number>(n).fill(0));
    for (const [idx, c] of this.buckets) {
      const b = idx - this.minIdx;
      for (let i = 0; i < LEVEL_SLOTS; i++) counts[i]![b] = c[i]!;
    }
    return { bucketMs: width, start: this.minIdx * width, counts };
  }

  merge(other: Timeline): void {
    if (other.minIdx === Infinity) return;
    const width = BUCKET_LADDER[this.rung]!;
    const otherWidth = BUCKET_LADDER[other.rung]!;
    if (otherWidth > width) {
      if (this.minIdx === Infinity) this.rung = other.rung;
      else this.coarsen(other.rung);
    }
    const w = BUCKET_LADDER[this.rung]!;
    for (const [idx, counts] of other.buckets) {
      const n = Math.floor((idx * otherWidth) / w);
      const c = this.bucket(n);
      for (let i = 0; i < LEVEL_SLOTS; i++) c[i]! += counts[i]!;
      if (n < this.minIdx) this.minIdx = n;
      if (n > this.maxIdx) this.maxIdx = n;
    }
    this.lastIdx = NaN;
    this.lastCounts = null;
    if (this.maxIdx - this.minIdx + 1 > this.maxBuckets) this.coarsen(this.rung + 1);
  }
}
