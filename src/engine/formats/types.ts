import type { FieldValue, Level } from '../types.ts';
import type { LineInfo } from '../ingest/lines.ts';
import type { IsoTimeParser } from '../time/iso.ts';
import type { Interner } from '../ingest/interner.ts';
import { decodeUtf8 } from '../ingest/utf8.ts';
import { compileTimePattern, type TimeFn } from '../time/pattern.ts';

/** What a format's parser fills in for one line; reused across lines, copied into the immutable record. */
export interface RecordDraft {
  time: number | null;
  level: Level | null;
  service: string | null;
  message: string;
  fields: Record<string, FieldValue> | null;
  /** the record goes on in the next line (Kubernetes CRI "P" lines); formats that never split leave it false */
  partial: boolean;
  /** set by a format that refused the line because it continues a record (PostgreSQL DETAIL:, HINT: …) */
  continues?: boolean;
  /**
   * set by a format to the text of a time that has the format's shape but impossible values (2025-02-30,
   * month 13, hour 25): the line is still the format's record, with time null; counted and shown in the file's
   * notes. Like `continues`, the caller resets it before each parse.
   */
  badTime?: string | null;
}

/**
 * Fields keyed by names from log text: an object without a prototype, so that "__proto__", "constructor" or
 * "toString" is a key like any other (on a plain object, `fields.__proto__ = v` would set its prototype).
 */
export function newFields(): Record<string, FieldValue> {
  return Object.create(null) as Record<string, FieldValue>;
}

/** Longest text of an impossible time kept for the file's notes. */
export const MAX_BAD_TIME_CHARS = 64;

/** Per-file parsing state shared by formats: the time parser's day cache, the name interner. */
export class ParseContext {
  /**
   * Set by a format whose message is the line's bytes from here to the line's end, verbatim: template mining
   * can then hash the message from the bytes. The record builder resets it to -1 before each parse.
   */
  messageAt = -1;
  /**
   * Set while only whether a line parses matters (the fast text view's look for record starts): text() then
   * gives '' without decoding. Only for formats that decide on bytes (text-view.ts FAST_FORMATS).
   */
  probing = false;
  /** compiled time patterns of this file (each holds its own day cache) */
  private readonly timeFns = new Map<string, TimeFn>();

  constructor(
    readonly iso: IsoTimeParser,
    readonly names: Interner,
    /** the file's last-modified time, to infer years that timestamps leave out */
    readonly refTime: number = Date.now(),
  ) {}

  /** A time pattern compiled once for this file (it holds the file's day cache and year reference). */
  timeFn(pattern: string): TimeFn {
    let fn = this.timeFns.get(pattern);
    if (fn === undefined) {
      fn = compileTimePattern(pattern, { zone: this.iso.zone, iso: this.iso, refTime: this.refTime });
      this.timeFns.set(pattern, fn);
    }
    return fn;
  }

  /** The text of bytes [start, end) of the current line. */
  text(buf: Uint8Array, start: number, end: number, info: LineInfo): string {
    if (this.probing) return '';
    const t = info.text;
    if (t !== null) return t.slice(start - info.textBase, end - info.textBase);
    return decodeUtf8(buf, start, end);
  }
}

/**
 * A log format: data (id, name, real sample lines) plus a parser for one line's bytes. `specificity` breaks
 * ties in detection: a format that demands more of a line ranks above one that accepts more.
 */
export interface LineFormat {
  readonly id: string;
  readonly name: string;
  readonly specificity: number;
  /** real-looking lines that this format, and no more specific one, must parse (checked by a test) */
  readonly samples: readonly string[];
  /** times are relative to boot (dmesg), not to the epoch */
  readonly relative?: boolean;
  /**
   * a line this format does not parse joins the record before only when it looks like a continuation (a stack
   * trace); any other such line is a record of its own (inferred formats whose records are one line each)
   */
  readonly ownLines?: boolean;
  parse(
    buf: Uint8Array,
    start: number,
    end: number,
    info: LineInfo,
    out: RecordDraft,
    ctx: ParseContext,
  ): boolean;
}

/** Index of the first non-space, non-tab byte at or after p (or end). */
export function skipSpaces(b: Uint8Array, p: number, end: number): number {
  while (p < end && (b[p] === 32 || b[p] === 9)) p++;
  return p;
}

/** Index of the first space or tab at or after p (or end). */
export function nextSpace(b: Uint8Array, p: number, end: number): number {
  while (p < end && b[p] !== 32 && b[p] !== 9) p++;
  return p;
}
