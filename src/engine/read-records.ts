/**
 * The log view's reader: records read again from the files on demand, from the analysis' record index
 * (src/engine/analyzers/record-index.ts). It seeks to the checkpoint at or before the record asked for and
 * parses forward with the file's detected format, as the analysis did: a plain file by Blob.slice (at most a
 * step of the index, plus the page, is parsed); a gzip file is inflated from its start (there is no other way
 * into a gzip stream), but the inflating stream is kept where a page stopped (GzipCursor), so paging on through
 * a .gz inflates it once, not once per page; only a jump back starts it again.
 */
import type { Config } from './config.ts';
import type { Level, LogRecord } from './types.ts';
import type { RecordIndexFile, RecordIndexSnapshot } from './analyzers/record-index.ts';
import { FORMATS, ParseContext, type LineFormat } from './formats/index.ts';
import { customFormat } from './formats/custom.ts';
import { inferFromHead } from './formats/infer.ts';
import { DETECT_MAX_BYTES } from './ingest/detect.ts';
import { Interner } from './ingest/interner.ts';
import { LineSplitter } from './ingest/lines.ts';
import { RecordBuilder } from './ingest/records.ts';
import { inflatedOnly, openBytes, type ByteInput } from './ingest/source.ts';
import { IsoTimeParser } from './time/iso.ts';
import { ZoneResolver } from './time/zone.ts';

/** One record as the log view shows it: plain data. */
export interface RecordRow {
  /** 0-based record number in the analysis (files in analysis order) */
  n: number;
  file: string;
  fileIndex: number;
  /** 1-based line of the record's first line in its file, and of its last */
  line: number;
  lineEnd: number;
  time: number | null;
  level: Level | null;
  service: string | null;
  message: string;
  /** the joined lines (a stack trace), capped at CONTINUATION_CHARS, or null */
  continuation: string | null;
  offset: number;
  length: number;
}

export interface ReadRecordsOptions {
  /** the first record number to look at */
  fromRecord: number;
  /** rows wanted */
  count: number;
  /** keep only the records this predicate accepts (a compiled query) */
  match?: (r: LogRecord) => boolean;
  /** with `match`: records looked at, at most, before the page is returned (short) with `next` */
  scanLimit?: number;
}

export interface RecordsPage {
  rows: RecordRow[];
  /** the record number to continue from (the next page), or null at the end of the analysis */
  next: number | null;
  /** records looked at */
  scanned: number;
}

/** What the reader needs of the analysis: its files' detected formats and the config it ran with. */
export interface ReadContext {
  index: RecordIndexSnapshot;
  /** per input (analysis order): the detected format's id ('unknown': none) */
  formats: readonly string[];
  config: Config;
}

export const CONTINUATION_CHARS = 16 * 1024;
const SCAN_LIMIT = 200_000;
/** bytes asked of a plain file at a time: small first (a page is a few KiB), then more */
const FIRST_READ = 64 * 1024;
const MAX_READ = 1024 * 1024;

/** The total records the index covers. */
export function indexedRecords(index: RecordIndexSnapshot): number {
  return index.files.reduce((s, f) => s + f.records, 0);
}

export async function readRecords(
  inputs: readonly (ByteInput & Partial<Blob>)[],
  ctx: ReadContext,
  opts: ReadRecordsOptions,
): Promise<RecordsPage> {
  const files = [...ctx.index.files].sort((a, b) => a.fileIndex - b.fileIndex);
  const bases: number[] = [];
  let total = 0;
  for (const f of files) {
    bases.push(total);
    total += f.records;
  }
  const rows: RecordRow[] = [];
  const limit = opts.match ? (opts.scanLimit ?? SCAN_LIMIT) : Infinity;
  let n = Math.max(0, Math.floor(opts.fromRecord));
  let scanned = 0;
  while (rows.length < opts.count && n < total && scanned < limit) {
    let fi = files.length - 1;
    while (fi > 0 && bases[fi]! > n) fi--;
    const f = files[fi]!;
    const base = bases[fi]!;
    if (f.records === 0 || n >= base + f.records) {
      n = base + f.records;
      continue;
    }
    const input = inputs[f.fileIndex];
    if (input === undefined) throw new Error(`file ${f.fileIndex} of the analysis is not given`);
    const cp = checkpointAt(f, n - base);
    let at = n;
    await scanFrom(input, await formatOf(ctx, f.fileIndex, input), ctx.config, f, cp, (r, k) => {
      // a followed file grows past its index (docs/live.md): what the analysis has not read yet is not listed
      if (k >= f.records) return false;
      const num = base + k;
      if (num < n) return true;
      at = num + 1;
      scanned++;
      if (!opts.match || opts.match(r)) rows.push(toRow(r, num));
      return rows.length < opts.count && scanned < limit;
    });
    // a file shorter than its index says (changed since): go on with the next one
    n = at > n ? at : base + f.records;
  }
  return { rows, next: n < total ? n : null, scanned };
}

export async function formatOf(
  ctx: ReadContext,
  fileIndex: number,
  input: ByteInput,
): Promise<LineFormat | null> {
  const id = ctx.formats[fileIndex] ?? 'unknown';
  if (id === 'unknown') return null;
  if (id === 'inferred') return inferredOf(input);
  return [...ctx.config.customFormats.map(customFormat), ...FORMATS].find((x) => x.id === id) ?? null;
}

/** The index of the last checkpoint at or before the file's record `k`. */
export function checkpointAt(f: RecordIndexFile, k: number): number {
  let lo = 0;
  let hi = f.record.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (f.record[mid]! <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function toRow(r: LogRecord, n: number): RecordRow {
  const c = r.continuation;
  return {
    n,
    file: r.file,
    fileIndex: r.fileIndex,
    line: r.line,
    lineEnd: r.lineEnd,
    time: r.time,
    level: r.level,
    service: r.service,
    message: r.message,
    continuation: c !== null && c.length > CONTINUATION_CHARS ? c.slice(0, CONTINUATION_CHARS) + ' …' : c,
    offset: r.offset,
    length: r.length,
  };
}

/**
 * Parses the file forward from checkpoint `cp`; `visit` gets each record (its line numbers the file's) and its
 * record number in the file, and returns false to stop. (Also what-changed.ts's reader.)
 */
export async function scanFrom(
  input: ByteInput & Partial<Blob>,
  format: LineFormat | null,
  config: Config,
  f: RecordIndexFile,
  cp: number,
  visit: (r: LogRecord, k: number) => boolean,
): Promise<void> {
  const offset = f.offset[cp]!;
  const lineShift = f.line[cp]! - 1;
  let k = f.record[cp]!;
  let stop = false;
  const pctx = new ParseContext(
    new IsoTimeParser(new ZoneResolver(config.timeZone)),
    new Interner(),
    input.lastModified ?? Date.now(),
  );
  const builder = new RecordBuilder(format, pctx, input.name, f.fileIndex, (r) => {
    if (stop) return;
    const rec: LogRecord =
      lineShift === 0 ? r : { ...r, line: r.line + lineShift, lineEnd: r.lineEnd + lineShift };
    if (!visit(rec, k++)) stop = true;
  });
  const splitter = new LineSplitter(builder, config.maxLineBytes);
  if (offset > 0) splitter.skip(offset); // offsets stay the file's
  if (!(await inflatedOnly(input)) && input.slice) {
    // a plain file: read from the checkpoint in growing slices until the visitor has enough
    let pos = offset;
    let size = FIRST_READ;
    while (!stop && pos < input.size) {
      const bytes = new Uint8Array(await input.slice(pos, pos + size).arrayBuffer());
      if (bytes.length === 0) break;
      splitter.push(bytes);
      pos += bytes.length;
      size = Math.min(MAX_READ, size * 2);
    }
  } else {
    // gzip (or a bare stream): inflate from the start — or from where the last page stopped, when that is at or
    // before the checkpoint — and parse from the checkpoint on
    const key = keyOf(input);
    let cur = takeCursor(key, offset);
    if (cur === null) {
      const opened = await openBytes(input, () => undefined);
      cur = { key, it: opened.chunks[Symbol.asyncIterator](), pos: 0, chunk: null };
    }
    try {
      for (;;) {
        let chunk = cur.chunk;
        if (chunk === null) {
          const r = await cur.it.next();
          if (r.done) break;
          chunk = cur.chunk = r.value;
        }
        const end = cur.pos + chunk.length;
        if (end > offset) splitter.push(cur.pos >= offset ? chunk : chunk.subarray(offset - cur.pos));
        if (stop) break; // the chunk stays the cursor's: the next page may start inside it
        cur.pos = end;
        cur.chunk = null;
      }
    } catch (e) {
      void cur.it.return?.();
      throw e;
    }
    if (stop) {
      keepCursor(cur);
      return;
    }
  }
  if (stop) return;
  splitter.end();
  builder.finish();
}

/**
 * A gzip file's inflating stream, kept where a page stopped: `chunk` (not yet fully parsed, or null) starts at
 * decompressed offset `pos`, and `it` goes on after it. One is kept (the log view reads one file at a time); a
 * read that runs meanwhile (another page asked at once) opens its own stream.
 */
interface GzipCursor {
  key: string;
  it: AsyncIterator<Uint8Array>;
  pos: number;
  chunk: Uint8Array | null;
}

let kept: GzipCursor | null = null;

/** A file as the page gives it again (a new File object per call, through the worker boundary). */
function keyOf(input: ByteInput & Partial<Blob>): string {
  return `${input.name}\0${input.size ?? ''}\0${input.lastModified ?? ''}`;
}

/** The kept cursor when it is of this file and at or before `offset` (taken: no other read shares it). */
function takeCursor(key: string, offset: number): GzipCursor | null {
  const c = kept;
  if (c === null || c.key !== key || c.pos > offset) return null;
  kept = null;
  return c;
}

function keepCursor(c: GzipCursor): void {
  if (kept !== null && kept !== c) void kept.it.return?.();
  kept = c;
}

/** Forgets the kept cursor (tests; a new analysis). */
export function dropGzipCursor(): void {
  if (kept !== null) void kept.it.return?.();
  kept = null;
}

/** A file's inferred format, inferred again from its head as the analysis did (kept per input). */
const inferred = new WeakMap<object, LineFormat | null>();
async function inferredOf(input: ByteInput): Promise<LineFormat | null> {
  if (inferred.has(input)) return inferred.get(input)!;
  const opened = await openBytes(input, () => undefined);
  const parts: Uint8Array[] = [];
  let got = 0;
  for await (const c of opened.chunks) {
    parts.push(c);
    got += c.length;
    if (got >= DETECT_MAX_BYTES) break;
  }
  const head = new Uint8Array(got);
  let at = 0;
  for (const p of parts) {
    head.set(p, at);
    at += p.length;
  }
  const f = inferFromHead(head.subarray(0, DETECT_MAX_BYTES), input.name);
  inferred.set(input, f);
  return f;
}
