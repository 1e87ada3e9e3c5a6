/**
 * gzip read by several workers: one inflates and cuts the decompressed bytes into pieces that begin at a record
 * start (a line the file's format parses, as RecordBuilder decides: a stack trace is never split from its
 * record), and the pieces are parsed apart (by the other workers, or the inflating one when they are busy) and
 * merged in file order, as the slices of a plain file are. A piece is read as analyze()'s `range` over the
 * decompressed stream, so its first and last records are the ones a one-pass read makes.
 */
import type { Config } from './config.ts';
import type { FileSummary, Snapshot } from './types.ts';
import { Analysis } from './analysis.ts';
import { analyze, mergedSnapshot, type AnalyzeOptions } from './analyze.ts';
import { FORMATS, ParseContext, type LineFormat } from './formats/index.ts';
import { customFormat } from './formats/custom.ts';
import { Interner } from './ingest/interner.ts';
import { LineSplitter } from './ingest/lines.ts';
import { RecordBuilder } from './ingest/records.ts';
import type { ByteInput } from './ingest/source.ts';
import { IsoTimeParser } from './time/iso.ts';
import { ZoneResolver } from './time/zone.ts';

/** Decompressed bytes per piece (the cut is the first record start from here on). */
export const PIECE_BYTES = 16 * 1024 * 1024;
/**
 * A piece that reaches this size with no record start to cut at (a stack trace of tens of MB) is not cut: the
 * inflating worker reads it and the rest of the stream itself, in one pass, so memory stays bounded.
 */
export const PIECE_MAX_FACTOR = 4;

/** Decompressed bytes of the file from `start` to `end`; `bytes` begins one byte early (the '\n') when start > 0. */
export interface Piece {
  index: number;
  start: number;
  end: number;
  bytes: Uint8Array<ArrayBuffer>;
}

/** The formats a pipelined read may force: a known one, and not CRI (a partial line completed across a cut). */
export function pipelinable(format: string): boolean {
  return format !== 'unknown' && format !== 'k8s-cri';
}

function formatOf(config: Config, id: string): LineFormat {
  const f = [...config.customFormats.map(customFormat), ...FORMATS].find((x) => x.id === id);
  if (!f) throw new Error(`unknown format ${id}`);
  return f;
}

/**
 * Cuts a decompressed stream into pieces at record starts. push() returns the pieces completed; end() the last.
 * `overflow` turns true when the piece being held grew past the cap with no record start: the caller then
 * reads `held()` and the rest of the stream in one pass.
 */
export class PieceCutter {
  private parts: Uint8Array[] = [];
  private len = 0;
  private start = 0;
  private index = 0;
  private probe: { splitter: LineSplitter; builder: RecordBuilder; at: number } | null = null;
  private readonly ctx: ParseContext;
  private readonly format: LineFormat;
  overflow = false;

  constructor(
    private readonly config: Config,
    format: string,
    private readonly name: string,
    lastModified: number,
    private readonly pieceBytes = PIECE_BYTES,
    /** the first piece's size (smaller: the first snapshot comes from it) */
    private readonly firstBytes = pieceBytes,
  ) {
    this.format = formatOf(config, format);
    this.ctx = new ParseContext(
      new IsoTimeParser(new ZoneResolver(config.timeZone)),
      new Interner(),
      lastModified,
    );
  }

  /** the decompressed bytes handed in so far */
  get total(): number {
    return this.start + this.len;
  }

  push(chunk: Uint8Array): Piece[] {
    const out: Piece[] = [];
    this.take(chunk, out);
    return out;
  }

  private take(chunk: Uint8Array, out: Piece[]): void {
    if (chunk.length === 0 || this.overflow) {
      if (chunk.length > 0) this.add(chunk);
      return;
    }
    let from = 0;
    if (this.probe === null) {
      const need = Math.min(this.pieceBytes, this.index === 0 ? this.firstBytes : Infinity) - this.len;
      if (chunk.length < need) return this.add(chunk);
      // the candidate: the first line that starts at or after pieceBytes into the piece
      const nl = chunk.indexOf(10, Math.max(0, need - 1));
      if (nl === -1) return this.add(chunk);
      from = nl + 1;
      this.add(chunk.subarray(0, from));
      const builder = new RecordBuilder(this.format, this.ctx, this.name, 0, () => undefined);
      const at = this.start + this.len;
      builder.stopAt = at; // stops at the first line from `at` on that starts a record
      const splitter = new LineSplitter(builder, this.config.maxLineBytes);
      splitter.skip(at);
      this.probe = { splitter, builder, at };
    }
    const rest = chunk.subarray(from);
    if (rest.length === 0) return;
    const probe = this.probe!;
    probe.splitter.push(rest);
    this.add(rest);
    if (!probe.builder.stopped) {
      if (this.len > this.pieceBytes * PIECE_MAX_FACTOR) {
        this.overflow = true;
        this.probe = null;
      }
      return;
    }
    this.probe = null;
    const cut = probe.at + probe.builder.countedBytes;
    const whole = this.joined();
    const head = this.start > 0 ? 1 : 0;
    const carry = whole.slice(head + cut - this.start); // a copy: the piece's buffer is transferred
    out.push({
      index: this.index++,
      start: this.start,
      end: cut,
      bytes: whole.subarray(0, head + cut - this.start),
    });
    this.parts = [];
    this.len = 0;
    this.start = cut;
    this.take(carry, out);
  }

  private add(b: Uint8Array): void {
    this.parts.push(b);
    this.len += b.length;
  }

  /** The held bytes as one buffer, the '\n' before them first when the piece does not start the file. */
  private joined(): Uint8Array<ArrayBuffer> {
    const head = this.start > 0 ? 1 : 0;
    const all = new Uint8Array(head + this.len);
    if (head) all[0] = 10;
    let at = head;
    for (const p of this.parts) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  }

  /** The last piece (what is held at the end of the stream), or null when nothing is held. */
  end(): Piece | null {
    if (this.len === 0 && this.index > 0) return null;
    const bytes = this.joined();
    this.parts = [];
    return { index: this.index++, start: this.start, end: this.start + this.len, bytes };
  }

  /** After an overflow: the index and start of the piece held, and its bytes (the '\n' before them first). */
  held(): { index: number; start: number; bytes: Uint8Array; total: number } {
    const bytes = this.joined();
    this.parts = [];
    return { index: this.index++, start: this.start, bytes, total: this.total };
  }
}

/** A piece's input for analyze()'s `range`: the file's name and date, its bytes as one stream. */
function pieceInput(
  name: string,
  lastModified: number | undefined,
  start: number,
  end: number,
  stream: () => ReadableStream<Uint8Array>,
): ByteInput & Blob {
  const from = start > 0 ? start - 1 : 0;
  const input = {
    name,
    size: end,
    lastModified,
    stream,
    slice(at: number) {
      if (at !== from) throw new Error('a piece is read from its start');
      return { stream };
    },
  };
  return input as unknown as ByteInput & Blob;
}

function oneChunk(bytes: Uint8Array): () => ReadableStream<Uint8Array> {
  return () =>
    new ReadableStream<Uint8Array>({
      start(c) {
        if (bytes.length > 0) c.enqueue(bytes);
        c.close();
      },
    });
}

/** What one piece's (or a run of consecutive pieces') analysis adds to the whole, cloned between workers. */
export interface PieceResult {
  first: number;
  last: number;
  analysis: Analysis;
  lines: number;
  files: FileSummary[];
}

/**
 * Parses pieces and keeps their analyses, consecutive pieces merged into one run; `counts` sums what the
 * finished pieces hold (for progress).
 */
export class PieceParser {
  readonly runs: PieceResult[] = [];
  done: { totals: Snapshot['totals']; levels: number[] } | null = null;

  constructor(
    private readonly config: Config,
    private readonly name: string,
    private readonly lastModified: number | undefined,
  ) {}

  /** Parses a piece held whole. */
  parse(piece: Piece, opts: AnalyzeOptions = {}): Promise<void> {
    return this.read(piece.index, piece.start, piece.end, oneChunk(piece.bytes), opts);
  }

  /**
   * Parses from `start` to the end of `stream` (which begins with the '\n' before `start` when start > 0):
   * the last piece after an overflow.
   */
  async read(
    index: number,
    start: number,
    end: number,
    stream: () => ReadableStream<Uint8Array>,
    opts: AnalyzeOptions = {},
  ): Promise<void> {
    let kept: Analysis | null = null;
    const input = pieceInput(this.name, this.lastModified, start, end, stream);
    const onSnapshot = opts.onSnapshot;
    const snap = await analyze([input], this.config, {
      ...opts,
      ...(onSnapshot ? { onSnapshot: (s: Snapshot) => onSnapshot(this.withDone(s)) } : {}),
      range: { start, end },
      keep: (a) => (kept = a),
    });
    const file = snap.files[0]!;
    this.done = addCounts(this.done, snap);
    const run = this.runs.find((r) => r.last === index - 1);
    if (run) {
      run.analysis.merge(kept!, run.lines);
      run.last = index;
      run.lines += snap.totals.lines;
      run.files.push(file);
    } else {
      this.runs.push({ first: index, last: index, analysis: kept!, lines: snap.totals.lines, files: [file] });
    }
  }

  /** A piece's progress snapshot with what the finished pieces counted added. */
  withDone(s: Snapshot): Snapshot {
    const d = this.done;
    if (d === null) return s;
    const totals = { ...s.totals };
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += d.totals[k];
    return {
      ...s,
      totals,
      levels: s.levels.map((n, i) => n + (d.levels[i] ?? 0)),
      progress: { ...s.progress, records: s.progress.records + d.totals.records },
    };
  }
}

function addCounts(
  d: { totals: Snapshot['totals']; levels: number[] } | null,
  s: Snapshot,
): { totals: Snapshot['totals']; levels: number[] } {
  if (d === null) return { totals: { ...s.totals }, levels: s.levels.slice() };
  for (const k of Object.keys(d.totals) as (keyof Snapshot['totals'])[]) d.totals[k] += s.totals[k];
  s.levels.forEach((n, i) => (d.levels[i] = (d.levels[i] ?? 0) + n));
  return d;
}

/**
 * The whole file's snapshot from every worker's runs, merged in file order, as a one-pass read of the .gz
 * reports it: its stored size, gzip, and `warning` (a truncated stream) first.
 */
export function mergePieces(
  runs: readonly PieceResult[],
  size: number,
  warning: string | null,
  jobId: number,
  elapsedMs: number,
): Snapshot {
  const ordered = [...runs].sort((a, b) => a.first - b.first);
  const base = ordered[0]!;
  const analysis = base.analysis instanceof Analysis ? base.analysis : null;
  if (analysis === null) throw new Error('the first run must be this worker’s');
  let lines = base.lines;
  for (const r of ordered.slice(1)) {
    analysis.merge(r.analysis, lines);
    lines += r.lines;
  }
  const snap = mergedSnapshot(
    analysis,
    ordered.flatMap((r) => r.files),
    jobId,
    elapsedMs,
  );
  const file = snap.files[0]!;
  file.bytes = size;
  file.gzip = true;
  if (warning !== null) file.warnings.unshift(warning);
  snap.progress.bytesRead = snap.progress.totalBytes = size;
  return snap;
}
