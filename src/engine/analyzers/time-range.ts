import type { LogRecord } from '../types.ts';
import type { Analyzer } from './analyzer.ts';

/** Earliest and latest record time (null when no record had one). */
export class TimeRange implements Analyzer<{ start: number; end: number } | null> {
  min = Infinity;
  max = -Infinity;

  push(r: LogRecord): void {
    const t = r.time;
    if (t === null) return;
    if (t < this.min) this.min = t;
    if (t > this.max) this.max = t;
  }

  snapshot(): { start: number; end: number } | null {
    return this.min === Infinity ? null : { start: this.min, end: this.max };
  }

  merge(other: TimeRange): void {
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }
}
