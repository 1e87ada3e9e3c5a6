import type { Level, LogRecord } from '../../../src/engine/types.ts';

/**
 * A deliberately naive reading of the error-spike definition, written from the specification only (it does
 * not import the detector): n(s) = error records in epoch second s; S(s) = n(s−W+1) + … + n(s), summed
 * afresh for every second s from the first timed record's second to the last one's; a spike is a maximal
 * run of seconds with S(s) ≥ T.
 */
export interface NaiveSpike {
  start: number;
  end: number;
  peak: number;
  errors: number;
}

export interface NaiveSpikes {
  spikes: NaiveSpike[];
  windowsAnalyzed: number;
}

export function naiveSpikes(
  records: readonly LogRecord[],
  windowSec: number,
  threshold: number,
  errorLevels: readonly Level[],
): NaiveSpikes {
  const W = windowSec;
  const isError = (r: LogRecord): boolean => r.level !== null && errorLevels.includes(r.level);
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    if (r.time === null) continue;
    const s = Math.floor(r.time / 1000);
    first = Math.min(first, s);
    last = Math.max(last, s);
  }
  if (first === Infinity) return { spikes: [], windowsAnalyzed: 0 };

  // n(s) for every second a window can reach: [first − W + 1, last]
  const base = first - W + 1;
  const n = new Array<number>(last - base + 1).fill(0);
  const errorSeconds: number[] = [];
  for (const r of records) {
    if (r.time === null || !isError(r)) continue;
    const s = Math.floor(r.time / 1000);
    n[s - base]!++;
    errorSeconds.push(s);
  }
  const S = (s: number): number => {
    let sum = 0;
    for (let u = s - W + 1; u <= s; u++) sum += n[u - base]!;
    return sum;
  };

  const spikes: NaiveSpike[] = [];
  let runFirst: number | null = null;
  let runLast = 0;
  let peak = 0;
  const close = (): void => {
    if (runFirst === null) return;
    const from = runFirst - W + 1;
    const to = runLast + 1;
    let errors = 0;
    for (const s of errorSeconds) if (s >= from && s < to) errors++;
    spikes.push({ start: runFirst * 1000, end: (runLast + 1) * 1000, peak, errors });
    runFirst = null;
  };
  for (let s = first; s <= last; s++) {
    const v = S(s);
    if (v >= threshold) {
      if (runFirst === null) {
        runFirst = s;
        peak = v;
      }
      peak = Math.max(peak, v);
      runLast = s;
    } else {
      close();
    }
  }
  close();
  return { spikes, windowsAnalyzed: last - first + 1 };
}
