import type { LogRecord } from '../types.ts';
import type { LineFormat, ParseContext, RecordDraft } from '../formats/types.ts';
import { newLineInfo, utf8Boundary, type LineInfo, type LineSink, type SkippingSink } from './lines.ts';
import { asciiText, hasHighBytes, nextHighByte } from './utf8.ts';
import { RecordBuilder } from './records.ts';

/**
 * The fast read path of a view whose query requires a word (docs/performance.md, "Search"): no record is
 * built, parsed past its first line or mined unless one of its lines holds the word. The needle is searched
 * over whole pieces of bytes (Horspool's search on ASCII-folded bytes: nextWord); a line without a hit costs a
 * few stores. For a line with a hit, the record around it is rebuilt: back to the
 * last line that parses in the file's format (the record's start: every other line is a continuation of it),
 * then forward with a RecordBuilder of its own until the next record starts. Records come out exactly as the
 * whole read's builder makes them (line numbers, offsets, continuation text), and only those with a hit. When
 * no one reads the records but the view's analyzers and the query is a conjunction of words and terms that
 * read no text, a record's text is built only until all its words are found in it (`words`): the rest of a
 * stack trace is joined and counted, not decoded.
 *
 * A non-ASCII line always counts as a hit (Unicode case folding is left to the query's matcher), and a needle
 * that is not ASCII once lowercased can only be in such lines. Only for formats whose record text is the line's
 * own bytes (FAST_FORMATS), whose records never span lines but by continuation lines.
 */
export const FAST_FORMATS: ReadonlySet<string> = new Set(['iso-level-service']);

/** The needles: each word lowercased as the query's matcher does; `ascii`: those searchable on bytes. */
export class Needles {
  readonly ascii: Uint8Array[];
  /**
   * every word is ASCII once lowercased: then a line can only match where its bytes hold a word, ASCII
   * case-insensitively, or hold one of the two characters whose lowercase is ASCII (U+0130 İ → "i̇", U+212A
   * Kelvin sign → "k": the only ones, checked over every code point by a unit test), which are searched for too
   */
  readonly allAscii: boolean;
  constructor(words: readonly string[]) {
    this.ascii = [];
    let all = words.length > 0;
    for (const w of words) {
      const bytes = asciiWord(w);
      if (bytes !== null) this.ascii.push(bytes);
      else all = false;
    }
    this.allAscii = all;
    if (all) this.ascii.push(...LOWERS_TO_ASCII);
  }

  /** Start positions of every needle found in buf[from, to) (sorted), and their ends in `ends`. */
  findAll(buf: Uint8Array, from: number, to: number, starts: number[], ends: number[]): void {
    starts.length = 0;
    ends.length = 0;
    let runs = 0;
    for (const w of this.ascii) {
      const before = starts.length;
      if (w[0]! >= 0x80) findBytes(buf, from, to, w, starts, ends);
      else findWord(buf, from, to, w, starts, ends);
      if (starts.length > before) runs++;
    }
    if (runs > 1) {
      const order = starts.map((_, i) => i).sort((a, b) => starts[a]! - starts[b]!);
      const s = order.map((i) => starts[i]!);
      const e = order.map((i) => ends[i]!);
      starts.splice(0, starts.length, ...s);
      ends.splice(0, ends.length, ...e);
    }
  }
}

/** A word lowercased as the query's matcher does, as bytes, when that is all ASCII; else null. */
function asciiWord(w: string): Uint8Array | null {
  const low = w.toLowerCase();
  return [...low].some((c) => c.charCodeAt(0) > 127) ? null : Uint8Array.from(low, (c) => c.charCodeAt(0));
}

/**
 * Every place of the byte sequence `w` (its first byte not ASCII) in buf[from, to): only high bytes are looked
 * at, found four bytes at a time (nextHighByte); logs are mostly ASCII.
 */
function findBytes(
  buf: Uint8Array,
  from: number,
  to: number,
  w: Uint8Array,
  starts: number[],
  ends: number[],
): void {
  const n = w.length;
  const b0 = w[0]!;
  const whole = to === buf.length;
  let i = whole ? nextHighByte(buf, from) : from;
  while (i + n <= to) {
    if (buf[i] === b0) {
      let k = 1;
      while (k < n && buf[i + k] === w[k]) k++;
      if (k === n) {
        starts.push(i);
        ends.push(i + n);
      }
    }
    i++;
    // past a run of high bytes, on to the next (a line's few bytes are looked at one by one)
    if (whole && i < to && buf[i]! < 0x80) i = nextHighByte(buf, i);
  }
}

/** The UTF-8 bytes of the characters outside ASCII whose lowercase holds ASCII letters: İ and K. */
export const LOWERS_TO_ASCII: readonly Uint8Array[] = [
  Uint8Array.of(0xc4, 0xb0),
  Uint8Array.of(0xe2, 0x84, 0xaa),
];

/** Whether a query's required words can be searched this way (no line break inside a word). */
export function fastWords(words: readonly string[] | null): string[] | null {
  if (words === null || words.length === 0) return null;
  for (const w of words) if (w === '' || /[\n\r]/.test(w)) return null;
  return [...words];
}

/** ASCII lowercase of every byte (others unchanged). */
const FOLD = Uint8Array.from({ length: 256 }, (_, c) => (c >= 65 && c <= 90 ? c | 32 : c));

/** Every place of `w` (lowercase ASCII) in buf[from, to), ASCII case-insensitively (nextWord). */
function findWord(
  buf: Uint8Array,
  from: number,
  to: number,
  w: Uint8Array,
  starts: number[],
  ends: number[],
): void {
  for (let at = nextWord(buf, from, to, w); at >= 0; at = nextWord(buf, at + 1, to, w)) {
    starts.push(at);
    ends.push(at + w.length);
  }
}

/**
 * The first place of `w` (lowercase ASCII) in buf[from, to), ASCII case-insensitively, or -1: Horspool's search
 * on folded bytes (a shift table of the word's bytes; a window is skipped whole when its last byte is not in
 * the word).
 */
export function nextWord(buf: Uint8Array, from: number, to: number, w: Uint8Array): number {
  const n = w.length;
  if (n === 0) return -1;
  const { skip, shift } = tables(w);
  let i = from + n - 1;
  while (i < to) {
    // the skip loop: a window whose last byte is not the word's last (either case) moves on by the raw table
    let d = skip[buf[i]!]!;
    while (d !== 0) {
      i += d;
      if (i >= to) return -1;
      d = skip[buf[i]!]!;
    }
    let k = n - 2;
    let j = i - 1;
    while (k >= 0 && FOLD[buf[j]!] === w[k]) {
      k--;
      j--;
    }
    if (k < 0) return i - n + 1;
    i += shift;
  }
  return -1;
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

/** the bytes of a piece decoded at once for the lines of hits' records that follow */
const WINDOW_BYTES = 64 * 1024;

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
export class TextViewSink implements LineSink, SkippingSink {
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
  /** the stream offset of the piece's first byte; whether lines of it may be passed over (skipTo) */
  private base = 0;
  private sparse = false;
  /** the piece's last record start (-1: none after where it was looked for; NaN: not looked for yet) */
  private tail = NaN;
  /** the hit whose record start was found last, and that start (or -1: none after where it was looked for) */
  private hitAt = -1;
  private hitStart = -1;
  /** the next line is known to start a record (a skip ended on it) */
  private nextStart = false;
  /** the offset (in the stream) of the line a text window's end was found to start a record, or -1 */
  private startAhead = -1;
  /** bytes [winStart, winEnd) of winBuf decoded one byte a character (withText) */
  private win = '';
  private winBuf: Uint8Array | null = null;
  private winStart = 0;
  private winEnd = 0;
  private readonly draft: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
    badTime: null,
  };
  private readonly probeInfo: LineInfo = newLineInfo();
  private readonly info: LineInfo = newLineInfo();
  /**
   * The query's words when it is a conjunction of words and terms that read no text (conjunctWords), lowercase
   * bytes, or null. Once all are found on the bytes of a record's text (its message, the continuation lines
   * whose text the builder keeps), no more of that text can change the query's answer: the builder is told to
   * build no more of it (dropContinuationText), and its lines are fed undecoded. Found on bytes means in the
   * text: an ASCII match, case folded, is one in the lowercased text (the other way round is not needed).
   */
  private readonly words: Uint8Array[] | null;
  /** every word is a needle: a line without a hit holds none */
  private readonly wordsAreNeedles: boolean;
  /** the words found in the text of the record being built (bits), and whether all are */
  private found = 0;
  private decided = false;
  /** the builder's `begun` when `found` was last reset */
  private begun = -1;

  constructor(
    private readonly format: LineFormat,
    private readonly ctx: ParseContext,
    private readonly file: string,
    private readonly fileIndex: number,
    private readonly needles: Needles,
    private readonly emit: (r: LogRecord) => void,
    /** a slice of a file: from its first record that starts at or after the slice's start, to `stopAt` */
    private readonly slice: { start: number; stopAt: number } | null,
    /** the splitter's line cap (config.maxLineBytes): a line parsed here is cut as the splitter cuts it */
    private readonly maxLineBytes: number,
    /** the query's words when they decide its text terms (conjunctWords); null when the records' text is read */
    words: readonly string[] | null = null,
  ) {
    const bytes = (words ?? []).map(asciiWord);
    const usable = bytes.length > 0 && bytes.length <= 30 && bytes.every((b) => b !== null && b.length > 0);
    this.words = usable ? (bytes as Uint8Array[]) : null;
    const same = (a: Uint8Array, b: Uint8Array): boolean =>
      a.length === b.length && a.every((x, i) => x === b[i]);
    this.wordsAreNeedles = usable && this.words!.every((w) => needles.ascii.some((n) => same(n, w)));
    this.started = false;
    this.waiting = slice !== null && slice.start > 0;
    this.drop = this.waiting;
    // the input's start: its lines before the first record are records of their own (or continuations), so
    // they all go through a builder until a line parses
    if (!this.waiting) this.builder = this.newBuilder();
  }
  /** a slice that starts inside the file: its lines before its first record are the slice before's */
  private readonly waiting: boolean;

  /**
   * The builder of the records around hits: one for the whole input (a new one per hit record cost more than
   * the record, measured in Chromium). Whatever it holds when a new hit begins is dropped, not emitted.
   */
  private newBuilder(): RecordBuilder {
    this.pendingHit = false;
    this.decided = false;
    return (this.spare ??= this.makeBuilder());
  }
  private spare: RecordBuilder | null = null;

  private makeBuilder(): RecordBuilder {
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

  /**
   * The next bytes the splitter is given (`base`: the stream offset of their first byte): searched for the
   * needles at once. Lines of it that no record with a hit spans may be passed over (skipTo), once the input's
   * first record is known and when the piece ends before a slice's end.
   */
  piece(buf: Uint8Array, base: number): void {
    this.buf = buf;
    this.base = base;
    this.needles.findAll(buf, 0, buf.length, this.hs, this.he);
    this.h = 0;
    this.tail = NaN;
    this.hitAt = -1;
    this.sparse =
      this.needles.allAscii &&
      this.started &&
      !this.stopped &&
      (this.slice === null || base + buf.length < this.slice.stopAt);
  }

  /**
   * Where the splitter may go on from `p` (a line start of the piece) without a line the view needs: the start
   * of the record around the next hit, or, past the last hit, the piece's last record start (its lines are held
   * for a hit in a continuation line of the next piece). Nothing is passed over while a record is being built.
   */
  skipTo(chunk: Uint8Array, p: number): number {
    if (!this.sparse || chunk !== this.buf || this.builder !== null) return p;
    const hs = this.hs;
    let h = this.h;
    while (h < hs.length && hs[h]! < p) h++;
    this.h = h;
    if (h < hs.length) {
      const at = hs[h]!;
      if (at !== this.hitAt) {
        this.hitAt = at;
        this.hitStart = this.recordStartBefore(chunk, this.lineStartOf(chunk, at), p);
      }
      return Math.max(this.hitStart, p);
    }
    if (Number.isNaN(this.tail)) {
      const nl = chunk.lastIndexOf(10);
      this.tail = nl < p ? -1 : this.recordStartBefore(chunk, this.lineStartOf(chunk, nl), p);
    }
    return Math.max(this.tail, p);
  }

  skipped(lineNo: number): void {
    // the lines held are all before a record start: no hit can need them
    this.n = 0;
    this.spillLen = 0;
    this.lastLine = lineNo;
    this.nextStart = true;
  }

  /** The start of the line holding byte `at` of the piece. */
  private lineStartOf(chunk: Uint8Array, at: number): number {
    return at > 0 ? chunk.lastIndexOf(10, at - 1) + 1 : 0;
  }

  /** The first line start at or before `ls` and after `p` that starts a record, or -1 (none, or unknown). */
  private recordStartBefore(chunk: Uint8Array, ls: number, p: number): number {
    while (ls > p) {
      if (this.startsAt(chunk, ls)) return ls;
      ls = this.lineStartOf(chunk, ls - 1);
    }
    return -1;
  }

  /** Whether the whole line starting at `ls` in the piece parses, with the splitter's view of it. */
  private startsAt(chunk: Uint8Array, ls: number): boolean {
    let q = ls;
    while (q < chunk.length && chunk[q] === 0) q++;
    const nl = chunk.indexOf(10, q);
    if (nl === -1) return false; // the line goes on in the next piece: not known here
    let end = nl;
    if (end > q && chunk[end - 1] === 13) end--;
    // not this.info: a probe ahead (recordEnd) runs while the line being fed holds it
    const info = this.probeInfo;
    info.offset = this.base + ls;
    info.rawLength = nl + 1 - ls;
    info.padding = q - ls;
    info.lineNo = 0;
    info.truncated = end - q > this.maxLineBytes;
    if (info.truncated) end = utf8Boundary(chunk, q, q + this.maxLineBytes);
    info.ascii = !hasHighBytes(chunk, q, nl);
    // no text window: most lines looked at here are a stack trace's, which the format rejects on their bytes
    info.text = null;
    info.textBase = 0;
    return this.parses(chunk, q, end, info);
  }

  /** Whether a line parses (starts a record): nothing of it is decoded (ctx.probing). */
  private parses(b: Uint8Array, start: number, end: number, info: LineInfo): boolean {
    const d = this.draft;
    d.partial = false;
    d.badTime = null;
    const ctx = this.ctx;
    ctx.messageAt = -1;
    if (isBlank(b, start, end)) return false;
    ctx.probing = true;
    try {
      return this.format.parse(b, start, end, info, d, ctx);
    } finally {
      ctx.probing = false;
    }
  }

  line(buf: Uint8Array, start: number, end: number, info: LineInfo): void {
    if (this.stopped) return;
    if (this.drop) {
      this.drop = false;
      return;
    }
    let known = 0;
    if (this.nextStart) {
      this.nextStart = false;
      known = START;
    }
    if (info.offset === this.startAhead) {
      this.startAhead = -1;
      known = START;
    }
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
    if (!info.ascii && !this.needles.allAscii) hit = true;
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
      // a line without the word that starts a record ends the hit record being built, and its own record is
      // dropped with the builder: its text is never read, so none is decoded
      this.feed(k, !(known === START && !hit && this.pendingHit && this.started));
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

  /** `text`: a text window for the line (it is fed to the builder); else the parser decodes what it needs */
  private lineInfo(i: number, text = true): LineInfo {
    const info = this.info;
    const f = this.fl[i]!;
    info.offset = this.off[i]!;
    info.rawLength = this.raw[i]!;
    info.padding = this.pad[i]!;
    info.lineNo = this.no[i]! - this.lineBase;
    info.truncated = (f & TRUNCATED) !== 0;
    info.ascii = (f & ASCII) !== 0;
    if (text) this.withText(this.bytesOf(i), this.st[i]!, this.en[i]!, info);
    else {
      info.text = null;
      info.textBase = 0;
    }
    return info;
  }

  /**
   * An ASCII line of the piece gets its text from a window of the piece decoded at once, one byte a character
   * (a TextDecoder call per line costs microseconds in a browser's worker: most of a view's time, measured);
   * other lines are decoded alone by the parser (info.text null).
   */
  private withText(buf: Uint8Array, start: number, end: number, info: LineInfo): void {
    info.text = null;
    info.textBase = 0;
    if (!info.ascii || buf !== this.buf) return;
    if (this.words !== null) {
      // the line alone: its record's words are most often found in its first line, and the rest then not read
      info.text = asciiText(buf, start, end);
      info.textBase = start;
      return;
    }
    if (this.winBuf !== buf || start < this.winStart || end > this.winEnd) {
      // the piece's ASCII stretch from this line to the end of its record (the next line that starts one), up
      // to a window's size: the record's lines are read from the same string (a TextDecoder call costs
      // microseconds in a browser's worker, whatever its size), and no byte past the record is decoded (the
      // records between hits are most of a file: decoding them was most of a view's time, measured)
      // (the record's end first: a high byte looked for up to a window's size ahead cost more than the decoding)
      const limit = this.recordEnd(buf, end, Math.min(buf.length, Math.max(end, start + WINDOW_BYTES)));
      const stop = nextHighByte(buf, end, limit);
      this.win = asciiText(buf, start, stop);
      this.winBuf = buf;
      this.winStart = start;
      this.winEnd = stop;
    }
    info.text = this.win;
    info.textBase = this.winStart;
  }

  /**
   * Where the record of the line ending at `end` (its newline, or the piece's end) ends, at most `limit`: the
   * start of the next line of the piece that starts a record, which is remembered (startAhead) so that line is
   * not decoded for nothing when it is fed.
   */
  private recordEnd(buf: Uint8Array, end: number, limit: number): number {
    let q = buf.indexOf(10, end) + 1;
    while (q > 0 && q < limit) {
      if (this.startsAt(buf, q)) {
        this.startAhead = this.base + q;
        return q;
      }
      q = buf.indexOf(10, q) + 1;
    }
    return limit;
  }

  private isStart(i: number): boolean {
    const f = this.fl[i]!;
    if (f & START) return true;
    if (f & NOT_START) return false;
    const info = this.lineInfo(i, false);
    const yes = this.parses(this.bytesOf(i), this.st[i]!, this.en[i]!, info);
    this.fl[i] = f | (yes ? START : NOT_START);
    return yes;
  }

  /** `text`: false for a line whose text is never read (ctx.probing: the parser decodes nothing) */
  private feed(i: number, text = true): void {
    this.emitted = false;
    const b = this.builder!;
    // the record's words are all found: only a line with a hit that starts the next record needs its text
    if (text && this.decided && !((this.fl[i]! & HIT) !== 0 && this.isStart(i))) text = false;
    if (text) b.line(this.bytesOf(i), this.st[i]!, this.en[i]!, this.lineInfo(i));
    else {
      this.ctx.probing = true;
      try {
        b.line(this.bytesOf(i), this.st[i]!, this.en[i]!, this.lineInfo(i, false));
      } finally {
        this.ctx.probing = false;
      }
    }
    if (this.words !== null) this.track(i, b);
    if (this.fl[i]! & HIT) this.pendingHit = true;
  }

  /** After line i was fed: the words found in the text it gave its record (see `words`). */
  private track(i: number, b: RecordBuilder): void {
    if (b.begun !== this.begun) {
      this.begun = b.begun;
      this.found = 0;
      this.decided = false;
    }
    const from = b.textFrom;
    if (this.decided || from < 0 || (this.wordsAreNeedles && (this.fl[i]! & HIT) === 0)) return;
    const words = this.words!;
    const buf = this.bytesOf(i);
    const end = this.en[i]!;
    let found = this.found;
    for (let w = 0; w < words.length; w++)
      if ((found & (1 << w)) === 0 && nextWord(buf, from, end, words[w]!) >= 0) found |= 1 << w;
    this.found = found;
    if (found === (1 << words.length) - 1) {
      this.decided = true;
      b.dropContinuationText();
    }
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
    // arrays grown for a piece's many held lines shrink back only when they grew large
    if (this.st.length > 65536 && m < 1024) this.grow(1024);
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
