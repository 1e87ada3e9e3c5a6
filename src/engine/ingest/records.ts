import type { FieldValue, FormatShare, Level, LogRecord } from '../types.ts';
import type { LineFormat, RecordDraft } from '../formats/types.ts';
import { type ParseContext } from '../formats/types.ts';
import type { LineInfo, LineSink } from './lines.ts';
import { hasHighBytes, isValidUtf8 } from './utf8.ts';
import { isContinuation } from './continuation.ts';
import { maskHashBytes } from '../analyzers/templates.ts';
import { looksLikeRecordStart, sortShares } from './mixed.ts';

/** Line-level counts kept by the builder (records themselves are counted by the analyzers). */
export interface LineCounts {
  lines: number;
  /** lines joined to the record before them */
  continuationLines: number;
  emptyLines: number;
  invalidUtf8: number;
  truncatedLines: number;
  /** records whose time had the format's shape but impossible values (kept, with time null) */
  invalidTimes: number;
  /** NUL bytes of padding skipped at line starts (copytruncate), of which `nulAtStart` at the file's start */
  nulBytes: number;
  nulAtStart: number;
  /** lines after the file's first that began with NUL padding */
  nulLines: number;
}

/** Caps the text kept from joined continuation lines, so one 100,000-line trace stays bounded. */
const MAX_CONTINUATION_CHARS = 64 * 1024;

/**
 * Turns lines into records: parses each line with the file's format; a line that does not parse but looks
 * like a continuation (a stack trace) joins the record before it; any other line becomes an unparsed record
 * (time and level null, message = the line). Nothing is dropped: blank lines are counted.
 */
export class RecordBuilder implements LineSink {
  readonly counts: LineCounts = {
    lines: 0,
    continuationLines: 0,
    emptyLines: 0,
    invalidUtf8: 0,
    truncatedLines: 0,
    invalidTimes: 0,
    nulBytes: 0,
    nulAtStart: 0,
    nulLines: 0,
  };
  /** the first record with an impossible time: its line and the time's text, for the file's notes */
  firstInvalidTime: { line: number; time: string } | null = null;
  private readonly draft: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
    badTime: null,
  };
  // The record being assembled: it is emitted when the next record starts, or at the end.
  private has = false;
  private pTime: number | null = null;
  private pLevel: Level | null = null;
  private pService: string | null = null;
  private pMessage = '';
  private pFields: Readonly<Record<string, FieldValue>> | null = null;
  private pParsed = false;
  private pLine = 0;
  private pLineEnd = 0;
  private pOffset = 0;
  private pLength = 0;
  private pCont: string | null = null;
  private pPartial = false;
  /** the message's template shape hash (maskHashBytes), NaN when not hashed from bytes */
  private pShape = NaN;
  /** the rest of the pending record's continuation lines are joined and counted, their text not kept */
  private pContOff = false;
  /**
   * Where the text the last line gave its record starts in the line's bytes (the message of a line that began
   * a record and whose format says where it is, or the whole line; a continuation line whose text was kept),
   * else -1; and the records begun so far. For the fast text view, which finds a query's words on bytes.
   */
  textFrom = -1;
  begun = 0;
  /** CRI partial records of one stream waiting for their completing line while the other stream's pass */
  private stashed: Map<FieldValue, Pending> | null = null;
  // For a slice of a file read in parallel (see analyze()'s `range`): lines to drop (the partial first line),
  // whether to wait for the first record, the offset from which a record start ends the slice.
  dropLines = 0;
  waitForRecord = false;
  stopAt = Infinity;
  /** the slice reached its end: the rest of the input is the next slice's */
  stopped = false;
  /** bytes of the lines counted (their terminators included) */
  countedBytes = 0;
  /** lines before the slice's first record (not its own): subtracted from line numbers */
  private lineBase = 0;
  /** the service of records that name none: the file's name, without rotation suffixes */
  private readonly fileService: string;
  /**
   * Mixed files (ingest/mixed.ts): the formats tried, in order, on a line that the file's format does not parse
   * and that looks like a record's start; such a line parsed by one of them is a record of that format.
   */
  private alternates: readonly LineFormat[] = [];
  /** records per format: [0] the file's format, [i + 1] alternates[i] (records without a format: none) */
  private formatRecords: number[] = [0];
  /** the pending record's format: its index in formatRecords, or -1 when unparsed */
  private pFormat = -1;

  constructor(
    private readonly format: LineFormat | null,
    private readonly ctx: ParseContext,
    private readonly file: string,
    private readonly fileIndex: number,
    private readonly emit: (r: LogRecord, shape: number) => void,
    /** hash each message's template shape from its bytes (template mining is on) */
    private readonly shapes = false,
    /**
     * keep the text of continuation lines in `continuation`; false when no one reads the records themselves
     * (no analyzer reads it): the lines are still joined and counted, their text is not built
     */
    private readonly keepContinuation = true,
  ) {
    this.fileService = serviceFromFileName(file);
  }

  line(buf: Uint8Array, start: number, end: number, info: LineInfo): void {
    if (this.stopped) return;
    if (this.dropLines > 0) {
      this.dropLines--;
      return;
    }
    const c = this.counts;
    this.textFrom = -1;
    const blank = isBlank(buf, start, end);
    const d = this.draft;
    d.partial = false;
    d.badTime = null;
    d.continues = false;
    this.ctx.messageAt = -1;
    let parses = !blank && this.format !== null && this.format.parse(buf, start, end, info, d, this.ctx);
    let which = 0;
    if (
      !parses &&
      !blank &&
      this.alternates.length > 0 &&
      !d.continues &&
      looksLikeRecordStart(buf, start, end)
    ) {
      which = this.alternate(buf, start, end, info);
      parses = which > 0;
    }
    if (this.waitForRecord) {
      // a slice read in parallel begins at its first record: the lines before belong to the slice before
      if (!parses) return;
      this.waitForRecord = false;
      this.lineBase = info.lineNo - 1; // the slice's lines count from its first record
    }
    if (parses && info.offset >= this.stopAt) {
      // … and ends before the first record that starts past its end (the next slice begins there)
      this.stopped = true;
      return;
    }
    c.lines++;
    this.countedBytes += info.rawLength;
    if (info.truncated) c.truncatedLines++;
    if (info.padding > 0) {
      c.nulBytes += info.padding;
      if (info.offset === 0) c.nulAtStart += info.padding;
      else c.nulLines++;
    }
    if (!info.ascii && hasHighBytes(buf, start, end) && !isValidUtf8(buf, start, end)) c.invalidUtf8++;
    if (blank) {
      c.emptyLines++;
      return;
    }
    if (parses) {
      const stream = d.fields?.stream ?? null;
      const stashed = this.stashed?.get(stream);
      if (stashed !== undefined && !(this.has && this.pPartial && sameStream(this.pFields, d.fields))) {
        // the completing line of a partial record set aside while the other stream's lines went by
        this.flush();
        this.stashed!.delete(stream);
        this.restore(stashed);
      }
      if (this.has && this.pPartial && sameStream(this.pFields, d.fields)) {
        // the rest of a record split over lines (CRI "P" lines): one record, one message
        c.continuationLines++;
        this.pMessage += d.message;
        this.pShape = NaN;
        this.pLineEnd = info.lineNo - this.lineBase;
        this.pLength = info.offset + info.rawLength - this.pOffset;
        this.pPartial = d.partial;
        return;
      }
      if (this.has && this.pPartial) {
        // a partial record of another stream (stdout and stderr interleave): set it aside, don't end it
        (this.stashed ??= new Map()).set(this.pFields?.stream ?? null, this.save());
        this.has = false;
      }
      this.flush();
      this.begin(info, true);
      this.pFormat = which;
      if (d.badTime != null) {
        c.invalidTimes++;
        this.firstInvalidTime ??= { line: this.pLine, time: d.badTime };
      }
      this.pTime = d.time;
      this.pLevel = d.level;
      this.pService = d.service;
      this.pMessage = d.message;
      this.pFields = d.fields;
      this.pPartial = d.partial;
      // an ASCII line's bytes are its message's code units: mining reads no string
      const at = this.ctx.messageAt;
      this.textFrom = at;
      if (this.shapes && info.ascii && at >= 0) this.pShape = maskHashBytes(buf, at, end);
      return;
    }
    // A line that does not start a record in the file's format continues the record before it (a stack trace,
    // a wrapped message). Lines before the first record, and lines of a file of no known format, are records of
    // their own — unless they look like a stack trace.
    if (
      this.has &&
      ((this.format !== null && this.pParsed && this.format.ownLines !== true) ||
        isContinuation(buf, start, end))
    ) {
      c.continuationLines++;
      this.pLineEnd = info.lineNo - this.lineBase;
      this.pLength = info.offset + info.rawLength - this.pOffset;
      const prev = this.pCont;
      if (
        this.keepContinuation &&
        !this.pContOff &&
        (prev === null || prev.length < MAX_CONTINUATION_CHARS)
      ) {
        this.textFrom = start;
        const text = this.ctx.text(buf, start, end, info);
        this.pCont = prev === null ? text : prev + '\n' + text;
      }
      return;
    }
    this.flush();
    this.begin(info, false);
    this.textFrom = start;
    this.pMessage = this.ctx.text(buf, start, end, info);
    if (this.shapes && info.ascii) this.pShape = maskHashBytes(buf, start, end);
  }

  /** Reads lines the file's format does not parse with these formats too, in this order (a mixed file). */
  mixWith(alternates: readonly LineFormat[]): void {
    this.alternates = alternates;
    this.formatRecords = new Array<number>(alternates.length + 1).fill(0);
  }

  /** The index + 1 of the first alternate format that parses the line (the draft is then its), or 0. */
  private alternate(buf: Uint8Array, start: number, end: number, info: LineInfo): number {
    const d = this.draft;
    const alts = this.alternates;
    for (let i = 0; i < alts.length; i++) {
      d.partial = false;
      d.badTime = null;
      d.continues = false;
      this.ctx.messageAt = -1;
      if (alts[i]!.parse(buf, start, end, info, d, this.ctx)) {
        return i + 1;
      }
    }
    d.badTime = null;
    this.ctx.messageAt = -1;
    return 0;
  }

  /**
   * Records per format, most first (ties by id): the file's own and any other that read some of its lines
   * (a mixed file); formats with no record are left out. Null for a file of no known format.
   */
  formatMix(): FormatShare[] | null {
    const main = this.format;
    if (main === null) return null;
    const mix: FormatShare[] = [];
    for (let i = 0; i < this.formatRecords.length; i++) {
      const f = i === 0 ? main : this.alternates[i - 1]!;
      const n = this.formatRecords[i]!;
      if (n > 0) mix.push({ id: f.id, name: f.name, records: n });
    }
    return sortShares(mix);
  }

  /**
   * The pending record's text is known to hold what its reader looks for (the fast text view, a query of words
   * that are all found): its further continuation lines are joined and counted, their text is not built.
   */
  dropContinuationText(): void {
    this.pContOff = true;
  }

  private begin(info: LineInfo, parsed: boolean): void {
    this.has = true;
    this.begun++;
    this.pContOff = false;
    this.pParsed = parsed;
    this.pLine = info.lineNo - this.lineBase;
    this.pLineEnd = info.lineNo - this.lineBase;
    // the record starts after its line's NUL padding
    this.pOffset = info.offset + info.padding;
    this.pLength = info.rawLength - info.padding;
    this.pCont = null;
    this.pTime = null;
    this.pLevel = null;
    this.pService = null;
    this.pFields = null;
    this.pPartial = false;
    this.pShape = NaN;
    this.pFormat = -1;
  }

  private save(): Pending {
    return {
      time: this.pTime,
      level: this.pLevel,
      service: this.pService,
      message: this.pMessage,
      fields: this.pFields,
      parsed: this.pParsed,
      line: this.pLine,
      lineEnd: this.pLineEnd,
      offset: this.pOffset,
      length: this.pLength,
      cont: this.pCont,
      partial: this.pPartial,
      shape: this.pShape,
      format: this.pFormat,
    };
  }

  private restore(s: Pending): void {
    this.has = true;
    this.begun++;
    this.pContOff = false;
    this.pTime = s.time;
    this.pLevel = s.level;
    this.pService = s.service;
    this.pMessage = s.message;
    this.pFields = s.fields;
    this.pParsed = s.parsed;
    this.pLine = s.line;
    this.pLineEnd = s.lineEnd;
    this.pOffset = s.offset;
    this.pLength = s.length;
    this.pCont = s.cont;
    this.pPartial = s.partial;
    this.pShape = s.shape;
    this.pFormat = s.format;
  }

  /** At the end of the input: the pending record and any partial records still set aside. */
  finish(): void {
    this.flush();
    if (this.stashed === null) return;
    for (const s of this.stashed.values()) {
      this.restore(s);
      this.flush();
    }
    this.stashed = null;
  }

  /** Emits the pending record, if any. Call once more at the end of the input. */
  flush(): void {
    if (!this.has) return;
    this.has = false;
    if (this.pFormat >= 0) this.formatRecords[this.pFormat]!++;
    this.emit(
      {
        time: this.pTime,
        level: this.pLevel,
        service: this.pService ?? this.fileService,
        message: this.pMessage,
        continuation: this.pCont,
        file: this.file,
        fileIndex: this.fileIndex,
        line: this.pLine,
        lineEnd: this.pLineEnd,
        offset: this.pOffset,
        length: this.pLength,
        parsed: this.pParsed,
        fields: this.pFields,
      },
      this.pShape,
    );
  }
}

function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * "app.log.2.gz" → "app.log": the name a rotated set shares. Strips .gz, then a numeric rotation suffix
 * (.1, .2), a date suffix (-20240115, .2024-01-15) — the ones logrotate and friends add.
 */
export function serviceFromFileName(name: string): string {
  let n = name.replace(/^.*[\\/]/, '');
  n = n.replace(/\.gz$/i, '');
  n = n.replace(/([.-]\d{8}|[.-]\d{4}-\d\d-\d\d|\.\d{1,3})$/, '');
  return n === '' ? name : n;
}

interface Pending {
  time: number | null;
  level: Level | null;
  service: string | null;
  message: string;
  fields: Readonly<Record<string, FieldValue>> | null;
  parsed: boolean;
  line: number;
  lineEnd: number;
  offset: number;
  length: number;
  cont: string | null;
  partial: boolean;
  shape: number;
  format: number;
}

/** CRI partial lines continue only lines of the same stream (stdout and stderr interleave). */
function sameStream(
  a: Readonly<Record<string, unknown>> | null,
  b: Readonly<Record<string, unknown>> | null,
): boolean {
  return (a?.stream ?? null) === (b?.stream ?? null);
}
