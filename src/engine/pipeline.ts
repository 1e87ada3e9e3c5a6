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
import { analyze, formatBytes, mergedFileSummary, mergedSnapshot, type AnalyzeOptions } from './analyze.ts';
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

/**
 * Decompressed bytes of the file from `start` to `end`, as the decompressor handed them out (not copied: their
 * buffers can be transferred to another worker); `parts` begin one byte early (a '\n') when start > 0.
 */
export interface Piece {
  index: number;
  start: number;
  end: number;
  parts: Uint8Array<ArrayBuffer>[];
}

/** The buffers to transfer with a piece; a part that is a view into a bigger buffer is copied first. */
export function transferable(piece: Piece): ArrayBuffer[] {
  piece.parts = piece.parts.map((p) =>
    p.byteOffset === 0 && p.byteLength === p.buffer.byteLength ? p : p.slice(),
  );
  return [...new Set(piece.parts.map((p) => p.buffer))];
}

/** The formats a pipelined read may force: a known one (not inferred), and not CRI (a partial line completed across a cut). */
export function pipelinable(format: string): boolean {
  return format !== 'unknown' && format !== 'inferred' && format !== 'k8s-cri';
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

  /** the pieces cut so far (with end() or held(): all of them) */
  get pieces(): number {
    return this.index;
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
    // the parts past the cut begin the next piece: copied, as the piece's buffers may be transferred
    let over = this.start + this.len - cut;
    const next: Uint8Array[] = [];
    while (over > 0) {
      const last = this.parts.pop()!;
      if (last.length <= over) {
        next.unshift(last.slice());
        over -= last.length;
      } else {
        next.unshift(last.slice(last.length - over));
        this.parts.push(last.subarray(0, last.length - over));
        over = 0;
      }
    }
    out.push({ index: this.index++, start: this.start, end: cut, parts: this.pieceParts() });
    this.len = 0;
    this.start = cut;
    for (const c of next) this.take(c, out);
  }

  private add(b: Uint8Array): void {
    this.parts.push(b);
    this.len += b.length;
  }

  /** The held parts, taken: the '\n' before them first when the piece does not start the file. */
  private pieceParts(): Uint8Array<ArrayBuffer>[] {
    const parts = (
      this.start > 0 ? [new Uint8Array([10]), ...this.parts] : this.parts
    ) as Uint8Array<ArrayBuffer>[];
    this.parts = [];
    return parts;
  }

  /** The last piece (what is held at the end of the stream), or null when nothing is held. */
  end(): Piece | null {
    if (this.len === 0 && this.index > 0) return null;
    return { index: this.index++, start: this.start, end: this.start + this.len, parts: this.pieceParts() };
  }

  /** After an overflow: the index and start of the piece held, and its parts (the '\n' before them first). */
  held(): { index: number; start: number; parts: Uint8Array[]; total: number } {
    const total = this.total;
    return { index: this.index++, start: this.start, parts: this.pieceParts(), total };
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

function ofParts(parts: readonly Uint8Array[]): () => ReadableStream<Uint8Array> {
  return () =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) if (p.length > 0) c.enqueue(p);
        c.close();
      },
    });
}

/** One piece's analysis and what the merge needs of it (cloned between workers). */
export interface PieceResult {
  index: number;
  analysis: Analysis;
  lines: number;
  file: FileSummary;
}

/** Parses pieces; each piece's result goes to `done` (the merger, or the port to the merging worker). */
export class PieceParser {
  constructor(
    private readonly config: Config,
    private readonly name: string,
    private readonly lastModified: number | undefined,
    private readonly done: (r: PieceResult) => void,
  ) {}

  /** Parses a piece held whole. */
  parse(piece: Piece, opts: AnalyzeOptions = {}): Promise<void> {
    return this.read(piece.index, piece.start, piece.end, ofParts(piece.parts), opts);
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
    const snap = await analyze([input], this.config, {
      ...opts,
      range: { start, end },
      keep: (a) => (kept = a),
    });
    this.done({ index, analysis: kept!, lines: snap.totals.lines, file: snap.files[0]! });
  }
}

/**
 * Merges pieces' analyses in file order as they come, in any order: the prefix read so far is one analysis
 * (the first piece's, which must be a live Analysis: parsed in this worker), later pieces wait for the ones before.
 */
export class PieceMerger {
  private prefix: Analysis | null = null;
  private lines = 0;
  private readonly files: FileSummary[] = [];
  private readonly waiting = new Map<number, PieceResult>();
  /** pieces merged so far */
  merged = 0;
  /** called after each merge */
  onMerge: (() => void) | null = null;

  add(r: PieceResult): void {
    this.waiting.set(r.index, r);
    for (let next = this.waiting.get(this.merged); next; next = this.waiting.get(this.merged)) {
      this.waiting.delete(this.merged);
      if (this.prefix === null) {
        if (!(next.analysis instanceof Analysis))
          throw new Error('the first piece must be parsed by the merger');
        this.prefix = next.analysis;
      } else this.prefix.merge(next.analysis, this.lines);
      this.lines += next.lines;
      this.files.push(next.file);
      this.merged++;
    }
    this.onMerge?.();
  }

  /** The analysis of every piece merged (for exports). */
  get analysis(): Analysis {
    if (this.prefix === null) throw new Error('no piece merged');
    return this.prefix;
  }

  /** A snapshot of everything merged. */
  snapshot(jobId: number, elapsedMs: number): Snapshot {
    return mergedSnapshot(this.analysis, this.files, jobId, elapsedMs);
  }

  /** A progress snapshot of what is merged so far, its lists cut as a one-pass read's progress is. */
  progress(jobId: number, elapsedMs: number, services = 100): Snapshot {
    const state = this.analysis.snapshot(services);
    const file = mergedFileSummary(this.files, state.totals);
    const progress = {
      bytesRead: file.bytes,
      totalBytes: file.bytes,
      records: state.totals.records,
      elapsedMs,
      fileIndex: 0,
      done: false,
    };
    return { jobId, progress, files: [file], ...state, error: null };
  }

  /**
   * The whole file's snapshot, as a one-pass read of the .gz reports it: its stored size, gzip, and `warning`
   * (a truncated stream) first.
   */
  finish(size: number, warning: string | null, jobId: number, elapsedMs: number): Snapshot {
    if (this.waiting.size > 0) throw new Error('a piece is missing');
    const snap = this.snapshot(jobId, elapsedMs);
    const file = snap.files[0]!;
    file.bytes = size;
    file.gzip = true;
    if (warning !== null) file.warnings.unshift(warning);
    snap.progress.bytesRead = snap.progress.totalBytes = size;
    return snap;
  }
}

/**
 * Cuts a decompressed stream (`first`, then the rest of `chunks`) into pieces handed to `dispatch` in order. The
 * last piece, or everything from the piece held at an overflow on, is read by `parser` (the caller's own).
 * Returns the note for a truncated or corrupt stream (what was decompressed before is analyzed), or null.
 */
export async function pump(
  chunks: AsyncIterator<Uint8Array>,
  first: readonly Uint8Array[],
  cutter: PieceCutter,
  parser: PieceParser,
  opts: AnalyzeOptions,
  dispatch: (p: Piece) => Promise<void>,
): Promise<string | null> {
  let warning: string | null = null;
  const feed = async (chunk: Uint8Array): Promise<void> => {
    for (const p of cutter.push(chunk)) await dispatch(p);
  };
  try {
    for (const c of first) await feed(c);
    while (!cutter.overflow) {
      const r = await chunks.next();
      if (r.done) break;
      await feed(r.value);
    }
  } catch (e) {
    warning = gzipWarning(e, cutter.total);
  }
  if (!cutter.overflow) {
    const last = cutter.end();
    if (last) await parser.parse(last, opts);
    return warning;
  }
  const held = cutter.held();
  let total = held.total;
  let sent = false;
  const rest = (): ReadableStream<Uint8Array> =>
    new ReadableStream<Uint8Array>({
      pull: async (c) => {
        if (!sent) {
          sent = true;
          for (const p of held.parts) if (p.length > 0) c.enqueue(p);
          return;
        }
        try {
          const r = await chunks.next();
          if (r.done) c.close();
          else {
            total += r.value.length;
            c.enqueue(r.value);
          }
        } catch (e) {
          warning = gzipWarning(e, total);
          c.close();
        }
      },
    });
  await parser.read(held.index, held.start, Number.MAX_SAFE_INTEGER, rest, opts);
  return warning;
}

/** The one-pass read's note for a gzip stream that ends in error. */
export function gzipWarning(e: unknown, decompressed: number): string {
  const message = e instanceof Error ? e.message : String(e);
  return `The gzip data is truncated or corrupt (${message}); the ${formatBytes(decompressed)} decompressed before that were analyzed.`;
}
