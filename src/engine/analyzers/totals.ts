import type { IngestTotals, LogRecord } from '../types.ts';
import type { Analyzer } from './analyzer.ts';

export function emptyTotals(): IngestTotals {
  return {
    bytes: 0,
    lines: 0,
    emptyLines: 0,
    records: 0,
    unparsed: 0,
    continuationLines: 0,
    invalidUtf8: 0,
    truncatedLines: 0,
    untimed: 0,
    invalidTimes: 0,
    nulBytesSkipped: 0,
  };
}

/**
 * Totals: records are counted from what is pushed; line-level facts (bytes, continuation, empty, truncated,
 * invalid UTF-8) are counted by the ingest stage, which sees lines that never become records.
 */
export class Totals implements Analyzer<IngestTotals> {
  readonly t: IngestTotals = emptyTotals();

  push(r: LogRecord): void {
    const t = this.t;
    t.records++;
    if (!r.parsed) t.unparsed++;
    if (r.time === null) t.untimed++;
  }

  /** Adds what the ingest stage counted for a file (or part of one). */
  addLines(
    c: {
      lines: number;
      continuationLines: number;
      emptyLines: number;
      invalidUtf8: number;
      truncatedLines: number;
      invalidTimes: number;
      nulBytes: number;
    },
    bytes: number,
  ): void {
    const t = this.t;
    t.bytes += bytes;
    t.lines += c.lines;
    t.continuationLines += c.continuationLines;
    t.emptyLines += c.emptyLines;
    t.invalidUtf8 += c.invalidUtf8;
    t.truncatedLines += c.truncatedLines;
    t.invalidTimes += c.invalidTimes;
    t.nulBytesSkipped += c.nulBytes;
  }

  snapshot(): IngestTotals {
    return { ...this.t };
  }

  merge(other: Totals): void {
    const t = this.t as unknown as Record<string, number>;
    const o = other.t as unknown as Record<string, number>;
    for (const k of Object.keys(t)) t[k]! += o[k]!;
  }
}
