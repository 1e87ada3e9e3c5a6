import type { LogRecord } from '../types.ts';
import type { LineFormat, ParseContext, RecordDraft } from '../formats/types.ts';
import type { LineInfo, LineSink } from './lines.ts';
import { RecordBuilder } from './records.ts';

/**
 * The fast read path of a view whose query requires a word (docs/performance.md, "Search"): no record is
 * built, parsed past its first line or mined unless one of its lines holds the word. The needle is searched
 * over whole pieces of bytes (TypedArray.indexOf on its rarest byte, then an ASCII case-insensitive compare);
 * a line without a hit costs a few stores. For a line with a hit, the record around it is rebuilt: back to the
 * last line that parses in the file's format (the record's start: every other line is a continuation of it),
 * then forward with a RecordBuilder of its own until the next record starts. Records come out exactly as the
 * whole read's builder makes them (line numbers, offsets, continuation text), and only those with a hit.
 *
 * A non-ASCII line always counts as a hit (Unicode case folding is left to the query's matcher), and a needle
 * that is not ASCII once lowercased can only be in such lines. Only for formats whose record text is the line's
 * own bytes (FAST_FORMATS), whose records never span lines but by continuation lines.
 */
export const FAST_FORMATS: ReadonlySet<string> = new Set(['iso-level-service']);

/** The needles: each word lowercased as the query's matcher does; `ascii`: those searchable on bytes. */
export class Needles {
  readonly ascii: Uint8Array[];
  /** every word is ASCII once lowercased: an ASCII line without a byte hit cannot match */
  constructor(words: readonly string[]) {
    this.ascii = [];
    for (const w of words) {
      const low = w.toLowerCase();
      if (![...low].some((c) => c.charCodeAt(0) > 127))
        this.ascii.push(Uint8Array.from(low, (c) => c.charCodeAt(0)));
    }
  }

  /** Start positions of every needle found in buf[from, to) (sorted), and their ends in `ends`. */
  findAll(buf: Uint8Array, from: number, to: number, starts: number[], ends: number[]): void {
    starts.length = 0;
    ends.length = 0;
    for (const w of this.ascii) findWord(buf, from, to, w, starts, ends);
    if (this.ascii.length > 1) {
      const order = starts.map((_, i) => i).sort((a, b) => starts[a]! - starts[b]!);
      const s = order.map((i) => starts[i]!);
      const e = order.map((i) => ends[i]!);
      starts.splice(0, starts.length, ...s);
      ends.splice(0, ends.length, ...e);
    }
  }
}

/** Whether a query's required words can be searched this way (no line break inside a word). */
export function fastWords(words: readonly string[] | null): string[] | null {
  if (words === null || words.length === 0) return null;
  for (const w of words) if (w === '' || /[\n\r]/.test(w)) return null;
  return [...words];
}

/** ASCII lowercase of every byte (others unchanged). */
const FOLD = Uint8Array.from({ length: 256 }, (_, c) => (c >= 65 && c <= 90 ? c | 32 : c));

/**
 * Every place of `w` (lowercase ASCII) in buf[from, to), ASCII case-insensitively: Horspool's search on folded
 * bytes (a shift table of the word's bytes; a window is skipped whole when its last byte is not in the word).
 */
function findWord(
  buf: Uint8Array,
  from: number,
  to: number,
  w: Uint8Array,
  starts: number[],
  ends: number[],
): void {
  const n = w.length;
  if (n === 0) return;
  const { skip, shift } = tables(w);
  let i = from + n - 1;
  while (i < to) {
    // the skip loop: a window whose last byte is not the word's last (either case) moves on by the raw table
    let d = skip[buf[i]!]!;
    while (d !== 0) {
      i += d;
      if (i >= to) return;
      d = skip[buf[i]!]!;
    }
    let k = n - 2;
    let j = i - 1;
    while (k >= 0 && FOLD[buf[j]!] === w[k]) {
      k--;
      j--;
    }
    if (k < 0) {
      starts.push(i - n + 1);
      ends.push(i + 1);
    }
    i += shift;
  }
}

const shifts = new WeakMap<Uint8Array, { skip: Int32Array; shift: number }>();
/** Horspool's table by raw byte (both cases of a letter), 0 for the word's last byte; and that byte's shift. */
function tables(w: Uint8Array): { skip: Int32Array; shift: number } {
  let t = shifts.get(w);
  if (t !== undefined) return t;
  const n = w.length;
  const skip = new Int32Array(256).fill(n);
  const set = (c: number, v: number): void => {
    skip[c] = v;
    if (c >= 97 && c <= 122) skip[c - 32] = v;
  };
  for (let k = 0; k < n - 1; k++) set(w[k]!, n - 1 - k);
  const shift = skip[w[n - 1]!]!;
  set(w[n - 1]!, 0);
  t = { skip, shift };
  shifts.set(w, t);
  return t;
}

const TRUNCATED = 1;
const ASCII = 2;
const SPILLED = 4;
const HIT = 8;
/** the line is known to start a record (it parses), or known not to */
const START = 16;
const NOT_START = 32;

function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** See the module's comment. Feed lines as a RecordBuilder would be fed; call piece() before each push. */
export class TextViewSink implements LineSink {
  // the lines held: from the last record start seen on, in file order
  private n = 0;
  private st = new Int32Array(1024);
  private en = new Int32Array(1024);
  private raw = new Float64Array(1024);
  private pad = new Int32Array(1024);
  private no = new Float64Array(1024);
  private off = new Float64Array(1024);
  private fl = new Uint8Array(1024);
  /** the piece being split, its hits, and a copy of the held lines that are not in it */
  private buf: Uint8Array | null = null;
  private hs: number[] = [];
  private he: number[] = [];
  private h = 0;
  private spill = new Uint8Array(64 * 1024);
  private spillLen = 0;
  private one: number[] = [];
  private oneEnd: number[] = [];
  private builder: RecordBuilder | null = null;
  private pendingHit = false;
  private emitted = false;
  private started: boolean;
  private drop: boolean;
  private lineBase = 0;
  private lastLine = 0;
  /** the slice reached its end: the rest of the input is the next slice's */
  stopped = false;
  private readonly draft: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
    badTime: null,
  };
  private readonly info: LineInfo = {
    offset: 0,
    rawLength: 0,
    padding: 0,
    lineNo: 0,
    truncated: false,
    ascii: false,
    text: null,
    textBase: 0,
  };

  constructor(
    private readonly format: LineFormat,
    private readonly ctx: ParseContext,
    private readonly file: string,
    private readonly fileIndex: number,
    private readonly needles: Needles,
    private readonly emit: (r: LogRecord) => void,
    /** a slice of a file: from its first record that starts at or after the slice's start, to `stopAt` */
    private readonly slice: { start: number; stopAt: number } | null = null,
  ) {
    this.started = false;
    this.waiting = slice !== null && slice.start > 0;
    this.drop = this.waiting;
    // the input's start: its lines before the first record are records of their own (or continuations), so
    // they all go through a builder until a line parses
    if (!this.waiting) this.builder = this.newBuilder();
  }
  /** a slice that starts inside the file: its lines before its first record are the slice before's */
  private readonly waiting: boolean;

  private newBuilder(): RecordBuilder {
    return new RecordBuilder(
      this.format,
      this.ctx,
      this.file,
      this.fileIndex,
      (r) => {
        this.emitted = true;
        if (this.pendingHit) this.emit(r);
        this.pendingHit = false;
      },
      false,
      true,
    );
  }

  /** The next bytes the splitter is given: searched for the needles at once. */
  piece(buf: Uint8Array): void {
    this.buf = buf;
    this.needles.findAll(buf, 0, buf.length, this.hs, this.he);
    this.h = 0;
  }

  private parses(b: Uint8Array, start: number, end: number, info: LineInfo): boolean {
    const d = this.draft;
    d.partial = false;
    d.badTime = null;
    this.ctx.messageAt = -1;
    return !isBlank(b, start, end) && this.format.parse(b, start, end, info, d, this.ctx);
  }

  line(buf: Uint8Array, start: number, end: number, info: LineInfo): void {
    if (this.stopped) return;
    if (this.drop) {
      this.drop = false;
      return;
    }
    let known = 0;
    if (!this.started) {
      if (this.parses(buf, start, end, info)) {
        this.started = true;
        known = START;
        if (this.waiting) this.lineBase = info.lineNo - 1;
      } else if (this.waiting) return;
      else known = NOT_START;
    }
    if (this.slice !== null && info.offset >= this.slice.stopAt) {
      if (known === START || this.parses(buf, start, end, info)) {
        this.stopped = true;
        return;
      }
      known = NOT_START;
    }
    this.lastLine = info.lineNo;
    let hit = false;
    if (!info.ascii) hit = true;
    else if (this.needles.ascii.length > 0) {
      if (buf === this.buf) {
        const hs = this.hs;
        let h = this.h;
        while (h < hs.length && hs[h]! < start) h++;
        this.h = h;
        for (let j = h; j < hs.length && hs[j]! < end; j++)
          if (this.he[j]! <= end) {
            hit = true;
            break;
          }
      } else {
        this.needles.findAll(buf, start, end, this.one, this.oneEnd);
        hit = this.one.length > 0;
      }
    }
    const k = this.hold(buf, start, end, info, known | (hit ? HIT : 0));
    if (this.builder !== null) {
      this.feed(k);
      // a new record began with a line without the word: the builder is not needed until the next hit
      if (this.emitted && !hit && this.started) {
        this.builder = null;
        this.pendingHit = false;
      }
    } else if (hit) {
      let j = k;
      while (j >= 0 && !this.isStart(j)) j--;
      if (j < 0) throw new Error('text view: no record start before a hit');
      this.builder = this.newBuilder();
      this.pendingHit = false;
      for (let i = j; i <= k; i++) this.feed(i);
    }
  }

  private bytesOf(i: number): Uint8Array {
    return this.fl[i]! & SPILLED ? this.spill : this.buf!;
  }

  private lineInfo(i: number): LineInfo {
    const info = this.info;
    const f = this.fl[i]!;
    info.offset = this.off[i]!;
    info.rawLength = this.raw[i]!;
    info.padding = this.pad[i]!;
    info.lineNo = this.no[i]! - this.lineBase;
    info.truncated = (f & TRUNCATED) !== 0;
    info.ascii = (f & ASCII) !== 0;
    return info;
  }

  private isStart(i: number): boolean {
    const f = this.fl[i]!;
    if (f & START) return true;
    if (f & NOT_START) return false;
    const yes = this.parses(this.bytesOf(i), this.st[i]!, this.en[i]!, this.lineInfo(i));
    this.fl[i] = f | (yes ? START : NOT_START);
    return yes;
  }

  private feed(i: number): void {
    this.emitted = false;
    this.builder!.line(this.bytesOf(i), this.st[i]!, this.en[i]!, this.lineInfo(i));
    if (this.fl[i]! & HIT) this.pendingHit = true;
  }

  private hold(buf: Uint8Array, start: number, end: number, info: LineInfo, flags: number): number {
    if (this.n === this.st.length) this.grow(this.n * 2);
    const k = this.n++;
    let f = flags | (info.truncated ? TRUNCATED : 0) | (info.ascii ? ASCII : 0);
    if (buf !== this.buf) {
      // a line carried over from an earlier piece, or replayed after detection: its bytes are copied
      const at = this.spillAppend(buf, start, end);
      this.st[k] = at;
      this.en[k] = at + end - start;
      f |= SPILLED;
    } else {
      this.st[k] = start;
      this.en[k] = end;
    }
    this.raw[k] = info.rawLength;
    this.pad[k] = info.padding;
    this.no[k] = info.lineNo;
    this.off[k] = info.offset;
    this.fl[k] = f;
    return k;
  }

  private spillAppend(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (this.spillLen + len > this.spill.length) {
      const grown = new Uint8Array(Math.max(this.spill.length * 2, this.spillLen + len));
      grown.set(this.spill.subarray(0, this.spillLen));
      this.spill = grown;
    }
    const at = this.spillLen;
    this.spill.set(buf.subarray(start, end), at);
    this.spillLen += len;
    return at;
  }

  private grow(size: number): void {
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a.subarray(0, Math.min(a.length, size)) as never);
      return b;
    };
    this.st = g(this.st, (n) => new Int32Array(n));
    this.en = g(this.en, (n) => new Int32Array(n));
    this.raw = g(this.raw, (n) => new Float64Array(n));
    this.pad = g(this.pad, (n) => new Int32Array(n));
    this.no = g(this.no, (n) => new Float64Array(n));
    this.off = g(this.off, (n) => new Float64Array(n));
    this.fl = g(this.fl, (n) => new Uint8Array(n));
  }

  /**
   * The piece given to piece() is split: only the lines from the last record start on are kept (their bytes
   * copied), for a hit in a continuation line of a later piece.
   */
  pieceDone(): void {
    let t = this.n - 1;
    while (t >= 0 && !this.isStart(t)) t--;
    if (t < 0) t = this.n; // no record start yet: the builder is open from the input's start, nothing to keep
    const spill = new Uint8Array(Math.max(64 * 1024, this.spillNeeded(t)));
    let len = 0;
    let m = 0;
    for (let i = t; i < this.n; i++, m++) {
      const src = this.bytesOf(i);
      const s = this.st[i]!;
      const e = this.en[i]!;
      spill.set(src.subarray(s, e), len);
      this.st[m] = len;
      this.en[m] = len + e - s;
      len += e - s;
      this.raw[m] = this.raw[i]!;
      this.pad[m] = this.pad[i]!;
      this.no[m] = this.no[i]!;
      this.off[m] = this.off[i]!;
      this.fl[m] = this.fl[i]! | SPILLED;
    }
    this.n = m;
    this.spill = spill;
    this.spillLen = len;
    this.buf = null;
    if (this.st.length > 4096 && m < 1024) this.grow(1024);
  }

  private spillNeeded(t: number): number {
    let s = 0;
    for (let i = t; i < this.n; i++) s += this.en[i]! - this.st[i]!;
    return s;
  }

  /**
   * The lines this input's records span, as a RecordBuilder fed the same lines counts them (`counts.lines`):
   * a slice's from its first record to the record it stops before. The merge of slices adds them up for the
   * line numbers of later slices.
   */
  get lines(): number {
    return this.lastLine === 0 ? 0 : this.lastLine - this.lineBase;
  }

  /** At the end of the input: the record being rebuilt. */
  finish(): void {
    this.builder?.finish();
    this.builder = null;
  }
}
