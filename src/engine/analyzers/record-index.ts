import type { LogRecord } from '../types.ts';
import type { Analyzer } from './analyzer.ts';

/**
 * The log view's index: per file, checkpoints (byte offset, line, record number, time) of the first record
 * that starts in each `step`-byte stretch of the file — never the text. The step doubles when a file's list
 * passes `cap` entries, so the index stays bounded (1 GB: about 4,000 checkpoints 256 KiB apart) and reading
 * any record costs parsing at most one step of bytes from the checkpoint before it.
 *
 * Exact under any split: a record is a checkpoint at step S when a multiple of S lies in (previous record's
 * offset, its offset] — its own facts, whoever reads it. A part's first record (whose previous record another
 * part read) is held apart as `head` and judged when the parts merge; the step a file ends at is the smallest
 * base·2^k whose checkpoints fit the cap, for one pass and merged parts alike.
 */

export const INDEX_STEP = 64 * 1024;
export const INDEX_CAP = 4096;

/** One file's checkpoints; parallel arrays, in file order. The first entry is the file's first record. */
export interface RecordIndexFile {
  fileIndex: number;
  /** records of the file */
  records: number;
  /** bytes between checkpoints (at least) */
  step: number;
  /** byte offset of the record's first line in the (decompressed) file */
  offset: number[];
  /** 1-based line number of the record's first line in its file */
  line: number[];
  /** 0-based record number within the file */
  record: number[];
  /** the record's time (ms since epoch), or null */
  time: (number | null)[];
}

export interface RecordIndexSnapshot {
  files: RecordIndexFile[];
}

interface Point {
  offset: number;
  /** offset of the record before it in the file; -1 for the file's first record */
  prev: number;
  line: number;
  record: number;
  time: number | null;
}

interface FilePart {
  fileIndex: number;
  records: number;
  step: number;
  /** the first record this part read of the file; its `prev` is unknown (-2) until a merge tells */
  head: Point | null;
  points: Point[];
  /** offset of the last record read */
  last: number;
  /** the next multiple of step past `last`: a record starting at or past it is a checkpoint */
  next: number;
}

const UNKNOWN = -2;

export class RecordIndex implements Analyzer<RecordIndexSnapshot> {
  files: FilePart[] = [];
  private cur: FilePart | null = null;

  constructor(
    readonly baseStep = INDEX_STEP,
    readonly cap = INDEX_CAP,
  ) {}

  push(r: LogRecord): void {
    let f = this.cur;
    if (f === null || f.fileIndex !== r.fileIndex) f = this.open(r.fileIndex);
    if (f.head === null) {
      f.head = { offset: r.offset, prev: UNKNOWN, line: r.line, record: 0, time: r.time };
    } else if (r.offset >= f.next) {
      f.points.push({ offset: r.offset, prev: f.last, line: r.line, record: f.records, time: r.time });
      if (f.points.length > this.cap) fit(f, this.cap);
    }
    if (r.offset >= f.next) f.next = (Math.floor(r.offset / f.step) + 1) * f.step;
    f.last = r.offset;
    f.records++;
  }

  private open(fileIndex: number): FilePart {
    const f: FilePart = {
      fileIndex,
      records: 0,
      step: this.baseStep,
      head: null,
      points: [],
      last: -1,
      next: 0,
    };
    this.files.push(f);
    this.cur = f;
    return f;
  }

  /**
   * `other` read the part after this one (possibly a structured clone: fields only are read). `lineOffset`:
   * lines of this file read before `other`'s first line, when `other` continues this analysis' last file.
   */
  merge(other: RecordIndex, lineOffset = 0): void {
    for (const o of other.files) {
      const mine = this.files.length > 0 ? this.files[this.files.length - 1]! : null;
      if (mine === null || mine.fileIndex !== o.fileIndex) {
        // the file's first part: its head is the file's first record
        const copy: FilePart = {
          ...o,
          head: o.head && { ...o.head, prev: -1 },
          points: o.points.map((p) => ({ ...p })),
        };
        this.files.push(copy);
        continue;
      }
      const shift = (p: Point, prev = p.prev): Point => ({
        offset: p.offset,
        prev,
        line: p.line + lineOffset,
        record: p.record + mine.records,
        time: p.time,
      });
      if (o.head !== null) {
        if (mine.head === null) mine.head = shift(o.head);
        else mine.points.push(shift(o.head, mine.last));
      }
      for (const p of o.points) mine.points.push(shift(p));
      mine.step = Math.max(mine.step, o.step);
      if (o.head !== null) mine.last = o.last;
      mine.records += o.records;
      thin(mine);
      fit(mine, this.cap);
    }
    this.cur = this.files.length > 0 ? this.files[this.files.length - 1]! : null;
  }

  snapshot(): RecordIndexSnapshot {
    return {
      files: this.files.map((f) => {
        const all = f.head === null ? f.points : [f.head, ...f.points];
        return {
          fileIndex: f.fileIndex,
          records: f.records,
          step: f.step,
          offset: all.map((p) => p.offset),
          line: all.map((p) => p.line),
          record: all.map((p) => p.record),
          time: all.map((p) => p.time),
        };
      }),
    };
  }
}

/** A checkpoint at step S: a multiple of S lies in (prev, offset]. */
function keeps(p: Point, step: number): boolean {
  return Math.floor(p.offset / step) > Math.floor(p.prev / step);
}

/** Drops the points that are not checkpoints at the file's step. */
function thin(f: FilePart): void {
  f.points = f.points.filter((p) => keeps(p, f.step));
  f.next = (Math.floor(f.last / f.step) + 1) * f.step;
}

/** Doubles the step until the points fit the cap. */
function fit(f: FilePart, cap: number): void {
  while (f.points.length > cap) {
    f.step *= 2;
    thin(f);
  }
}
