import type { Config } from './config.ts';
import type { FileSummary, LogRecord, Progress, Snapshot } from './types.ts';
import { Analysis } from './analysis.ts';
import { FORMATS, ParseContext, type LineFormat } from './formats/index.ts';
import { customFormat } from './formats/custom.ts';
import { orderRotated } from './ingest/rotation.ts';
import { DetectingSink, detectFormat } from './ingest/detect.ts';
import { Interner } from './ingest/interner.ts';
import { LineSplitter } from './ingest/lines.ts';
import { RecordBuilder } from './ingest/records.ts';
import { alternatesFor, mergeShares } from './ingest/mixed.ts';
import { openBytes, type ByteInput } from './ingest/source.ts';
import { NotTextError, TextGate } from './ingest/text-check.ts';
import { ingestFacts, ingestNotes, isIngestNote, mergeIngestFacts } from './ingest/notes.ts';
import { IsoTimeParser } from './time/iso.ts';
import type { LineInfo, LineSink } from './ingest/lines.ts';
import { conjunctWords, parseQuery, requiredWords } from './query/index.ts';
import { NeedleScan, textSearchWords } from './query/needle.ts';
import { ZoneResolver } from './time/zone.ts';
import { FAST_FORMATS, fastWords, Needles, TextViewSink } from './ingest/text-view.ts';
import type { TemplateMiner } from './analyzers/templates.ts';
import { queryAst, type Query } from './query/index.ts';
import { inferWhenUnknown, type InferredFormat } from './formats/infer.ts';

export type { ByteInput } from './ingest/source.ts';

export interface AnalyzeOptions {
  /** echoed in every snapshot, so a caller can drop results of a job it has replaced */
  jobId?: number;
  /** called about every `intervalMs` while reading, with a progress snapshot */
  onSnapshot?: (s: Snapshot) => void;
  intervalMs?: number;
  /**
   * called about every `heartbeatMs` (default 1 s) with the bare progress, whenever the reader waits for bytes:
   * proof of life between snapshots (a slow drive, a long gzip member) for a watchdog
   */
  onProgress?: (p: Progress) => void;
  heartbeatMs?: number;
  /** called with every record, after the analyzers (exports, tests) */
  onRecord?: (r: LogRecord) => void;
  /** services listed in progress snapshots */
  progressServices?: number;
  /** false: leave the detectors (spikes, anomalies, sequences) out, to measure what they cost */
  detectors?: boolean;
  /** false: leave template mining out (an export pass reuses the analysis' miner) */
  templates?: boolean;
  /**
   * Reads only a slice of the one input (a Blob), for parallel analysis: from the first record that starts at
   * or after `start` to the first record that starts at or after `end` (excluded). Slices that meet this way
   * share no record, and together cover the file: merged, they give the whole file's analysis (line numbers
   * of a slice count from its first line; the merge adds the lines before it).
   */
  range?: { start: number; end: number };
  /**
   * The one input's place in a whole analysis' file order, when a set of files is read apart (the command line's
   * threads): records carry it, so merged examples and sequence steps point at the right file.
   */
  fileIndex?: number;
  /** progress snapshots carry counts only (a slice whose charts nobody shows) */
  lightProgress?: boolean;
  /**
   * With lightProgress: a full snapshot all the same at first and then about this often (the pace the page's
   * dashboard redraws at), given to onSnapshot; the light ones in between go to onCounts.
   */
  fullEveryMs?: number;
  onCounts?: (s: Snapshot) => void;
  /** receives the analysis at the end (its template miner serves exports afterwards) */
  keep?: (analysis: Analysis) => void;
  /**
   * A query's text (docs/query.md): the analysis of the records it matches (a view). Every record is still
   * read, counted (`view.recordsRead`) and mined, so template ids are the whole read's; `onRecord` sees the
   * matching records only. Throws when the query does not parse (check it with parseQuery first).
   */
  where?: string;
  /** true: the text-search fast path (a byte prefilter; off by default: it measured no faster; results are the same) */
  textSearch?: boolean;
  /**
   * The whole input's finished analysis (the same inputs, config and slicing), for the fast read path of a view
   * whose query requires a word (src/engine/ingest/text-view.ts): its miner gives the template ids, its final
   * snapshot the read-level counts (records, lines and bytes read, file summaries, line notes). Used when the
   * query allows it (fastTextView); otherwise ignored.
   */
  wholeFile?: WholeFile;
  /**
   * The input is live (a followed file, standard input, a stream from `loglens serve`; src/engine/live.ts): an
   * empty chunk from it means the source has nothing more for now. What is held back for more bytes then goes
   * through (the text check, format detection on the lines so far, the last record, which a continuation line
   * could still have joined) and a snapshot is sent at once when anything changed since the last.
   */
  live?: boolean;
}

export interface WholeFile {
  miner: TemplateMiner;
  /** the whole analysis' final snapshot, or just the parts the fast path reads (the page's worker keeps those) */
  snapshot: WholeReads;
}

/** What a fast view takes from the whole file's final snapshot: its file summaries and totals. */
export type WholeReads = Pick<Snapshot, 'files' | 'totals'>;

/**
 * The words a view's fast read path searches for, or null when the view must take the slow one: the query
 * requires a word (requiredWords) with no line break, has no `template:` term (ids of the fast path are the
 * whole file's final ones), and every file is of a format whose record text is its lines' bytes.
 */
export function fastTextView(query: Query, whole: WholeReads | null): string[] | null {
  const words = fastWords(requiredWords(query));
  if (words === null || whole === null) return null;
  if (whole.files.length === 0 || whole.files.some((f) => !FAST_FORMATS.has(f.format) || f.error !== null))
    return null;
  let templateTerm = false;
  const visit = (n: ReturnType<typeof queryAst>): void => {
    if (n === null) return;
    if (n.type === 'field' && n.name.toLowerCase() === 'template') templateTerm = true;
    if (n.type === 'and' || n.type === 'or') n.children.forEach(visit);
    if (n.type === 'not') visit(n.child);
  };
  visit(queryAst(query));
  return templateTerm ? null : words;
}

/** A fast view's read-level counts, from the whole file's analysis (equal to what the slow path counts). */
export function applyWholeReads(s: Snapshot, whole: WholeReads): void {
  const w = whole.totals;
  s.files = whole.files.map((f) => ({ ...f, warnings: f.warnings.slice() }));
  s.totals = {
    ...s.totals,
    emptyLines: w.emptyLines,
    invalidUtf8: w.invalidUtf8,
    truncatedLines: w.truncatedLines,
    invalidTimes: w.invalidTimes,
    nulBytesSkipped: w.nulBytesSkipped,
  };
  if (s.view) s.view = { ...s.view, recordsRead: w.records, linesRead: w.lines, bytesRead: w.bytes };
}

/**
 * The text-search fast path (docs/query.md): in front of the record builder, notes the lines that may hold one
 * of the words a query requires; a record none of whose lines may is only counted and mined, never decoded
 * into the analyzers or matched. A line "may" when its bytes hold a word (ASCII, case-insensitive), or when
 * the bytes cannot tell: a non-ASCII line (Unicode case folding), or a record's first line whose message is
 * not its verbatim tail (a format that decodes or rebuilds it: JSON escapes, logfmt quotes).
 */
class TextSearch implements LineSink {
  /** the last byte's offset of each line that may hold a word, in file order, from `head` on */
  private hits: number[] = [];
  private head = 0;
  private readonly scan: NeedleScan;

  constructor(
    private readonly builder: RecordBuilder,
    private readonly ctx: ParseContext,
    words: readonly string[],
  ) {
    this.scan = new NeedleScan(words);
  }

  line(buf: Uint8Array, start: number, end: number, info: LineInfo): void {
    const hit = !info.ascii || this.scan.has(buf, start, end);
    const joined = this.builder.counts.continuationLines;
    this.builder.line(buf, start, end, info);
    // a continuation line's text is kept verbatim; a record's first line, when the format says so (messageAt)
    const verbatim = this.builder.counts.continuationLines !== joined || this.ctx.messageAt >= 0;
    if (hit || !verbatim) this.hits.push(info.offset + info.rawLength - 1);
  }

  /** Whether the record at [offset, offset + length) may match (records come in file order). */
  maybe(offset: number, length: number): boolean {
    const hits = this.hits;
    let h = this.head;
    while (h < hits.length && hits[h]! < offset) h++;
    if (h > 4096 && h * 2 > hits.length) {
      this.hits = hits.slice(h);
      h = 0;
    }
    this.head = h;
    return h < this.hits.length && this.hits[h]! < offset + length;
  }
}

/** The most bytes split into lines between two looks at the clock (for progress snapshots). */
const PUSH_BYTES = 1024 * 1024;
const NO_LINES = {
  lines: 0,
  continuationLines: 0,
  emptyLines: 0,
  invalidUtf8: 0,
  truncatedLines: 0,
  invalidTimes: 0,
  nulBytes: 0,
};

/**
 * The pipeline: for each input, bytes → (gunzip) → lines → format detection → records → analyzers.
 * Runs unchanged in a Web Worker, in Node and under Vitest. Returns the final snapshot.
 */
export async function analyze(
  given: readonly ByteInput[],
  config: Config,
  opts: AnalyzeOptions = {},
): Promise<Snapshot> {
  // rotated sets read together, oldest first (app.log.2.gz, app.log.1, app.log)
  const range = opts.range;
  if (range && (given.length !== 1 || !('slice' in given[0]!)))
    throw new Error('a range needs exactly one Blob input');
  // A slice from the byte before `start`: its first line (partial, or empty when `start` begins a line) is dropped.
  const from = range ? Math.max(0, range.start - 1) : 0;
  const inputs = range
    ? [sliceInput(given[0] as ByteInput & Blob, from, range.end - range.start)]
    : orderRotated(given);
  const started = performance.now();
  const jobId = opts.jobId ?? 0;
  const baseInterval = opts.intervalMs ?? 200;
  let interval = baseInterval;
  const analysis = new Analysis(config, opts.detectors ?? true, opts.templates ?? true, opts.where ?? '');
  // a live analysis is one pass, followed for hours: the sequence matcher drops the events it has replayed
  if (opts.live === true) analysis.sequences.live();
  if (opts.live === true) analysis.indexAll = true;
  /** live: the source has been read to the end of what was there (an idle tick came) */
  let caughtUp = false;
  const files = inputs.map((f) => unreadSummary(f.name, Number.isFinite(f.size) ? f.size : 0));
  const totalBytes = files.reduce((s, f) => s + f.bytes, 0);
  // the user's formats first: at specificity 100 they win any tie
  const formats: LineFormat[] = [...config.customFormats.map(customFormat), ...FORMATS];
  let rawRead = 0;
  // the first snapshot is due after half an interval: the page's first dashboard waits for it
  let lastSnap = started - baseInterval / 2;
  let lastFull = -Infinity;
  let fileIndex = 0;
  const onRecord = opts.onRecord;
  const firstFile = opts.fileIndex ?? 0;
  if (firstFile !== 0 && inputs.length !== 1) throw new Error('a fileIndex needs exactly one input');
  // the text-search fast path: the words every matching record holds, when they can be looked for on bytes
  const parsedWhere = opts.where ? parseQuery(opts.where) : null;
  const words =
    // the byte prefilter is off unless asked for (textSearch: true): it measured no faster, and a view of a bare
    // word once hung in a clean clone's e2e run (not yet explained) — the full matcher gives the same answer
    opts.textSearch !== true || parsedWhere === null || !parsedWhere.ok
      ? null
      : textSearchWords(requiredWords(parsedWhere.query));
  let search: TextSearch | null = null;
  const whole = opts.wholeFile ?? null;
  const fastWordsList =
    whole !== null && parsedWhere !== null && parsedWhere.ok && !parsedWhere.query.empty
      ? fastTextView(parsedWhere.query, whole.snapshot)
      : null;
  const needles = fastWordsList === null ? null : new Needles(fastWordsList);
  if (needles !== null) analysis.useMiner(whole!.miner);
  // records handed out (onRecord) keep all their text; a view's analyzers read none of it but the query's
  const decideWords =
    needles !== null && onRecord === undefined && parsedWhere?.ok === true
      ? conjunctWords(parsedWhere.query)
      : null;
  let fast: TextViewSink | null = null;
  const emitFast = (r: LogRecord): void => {
    if (analysis.pushMatched(r) && onRecord) onRecord(r);
  };
  const emit = (r: LogRecord, shape: number): void => {
    files[fileIndex]!.records++;
    if (analysis.push(r, shape, search === null || search.maybe(r.offset, r.length)) && onRecord) onRecord(r);
  };

  // The file being read: its line counts join the totals when it ends, and progress snapshots add them.
  let current: { builder: RecordBuilder | null; bytes: number } | null = null;
  const snapshot = (done: boolean, light = !done && opts.lightProgress === true): Snapshot => {
    const state = light
      ? analysis.countsOnly()
      : analysis.snapshot(done ? Infinity : (opts.progressServices ?? 100));
    const totals = { ...state.totals };
    const view = state.view ? { ...state.view } : undefined;
    if (current !== null) {
      const c = current.builder?.counts;
      // a view's totals count its records' lines and bytes; what was read in all is in `view`
      if (view) view.bytesRead += current.bytes;
      else totals.bytes += current.bytes;
      if (c) {
        if (view) view.linesRead += c.lines;
        else {
          totals.lines += c.lines;
          totals.continuationLines += c.continuationLines;
        }
        totals.emptyLines += c.emptyLines;
        totals.invalidUtf8 += c.invalidUtf8;
        totals.truncatedLines += c.truncatedLines;
        totals.invalidTimes += c.invalidTimes;
        totals.nulBytesSkipped += c.nulBytes;
      }
    }
    return {
      jobId,
      progress: {
        bytesRead: rawRead,
        totalBytes: Math.max(totalBytes, rawRead),
        records: state.totals.records,
        elapsedMs: performance.now() - started,
        fileIndex,
        done,
        ...(opts.live === true ? { caughtUp } : {}),
      },
      files: files.map((f) => ({ ...f, warnings: f.warnings.slice() })),
      ...state,
      // a live analysis' log view reads what was read so far: its full snapshots carry the record index
      ...(opts.live === true && !light && state.recordIndex === undefined
        ? { recordIndex: analysis.recordIndex.snapshot() }
        : {}),
      totals,
      ...(view ? { view } : {}),
      error: null,
    };
  };

  const onProgress = opts.onProgress;
  const heartbeat = onProgress
    ? setInterval(
        () =>
          onProgress({
            bytesRead: rawRead,
            totalBytes: Math.max(totalBytes, rawRead),
            records: analysis.totals.t.records,
            elapsedMs: performance.now() - started,
            fileIndex,
            done: false,
          }),
        opts.heartbeatMs ?? 1000,
      )
    : null;

  try {
    for (fileIndex = 0; fileIndex < inputs.length; fileIndex++) {
      const input = inputs[fileIndex]!;
      const summary = files[fileIndex]!;
      const ctx = new ParseContext(
        new IsoTimeParser(new ZoneResolver(config.timeZone)),
        new Interner(),
        input.lastModified ?? Date.now(),
      );
      let builder: RecordBuilder | null = null;
      search = null;
      fast = null;
      const detecting = new DetectingSink((held) => {
        const forced = config.format === 'auto' ? null : formats.find((f) => f.id === config.format);
        const detection = detectFormat(held, forced ? [forced] : formats, ctx);
        if (forced)
          detection.format = forced; // the user's word, even where it parses nothing
        else inferWhenUnknown(detection, held, input.name, ctx);
        if (needles !== null) {
          const format = detection.format;
          if (format === null || !FAST_FORMATS.has(format.id))
            throw new Error('the fast text view met a file of another format than the whole analysis');
          fast = new TextViewSink(
            format,
            ctx,
            input.name,
            firstFile + fileIndex,
            needles,
            emitFast,
            range ? { start: range.start, stopAt: range.end } : null,
            config.maxLineBytes,
            decideWords,
          );
          // the lines no record with a hit spans are passed over by the splitter
          splitter.skipper = fast;
          return { detection, sink: fast };
        }
        const made = new RecordBuilder(
          detection.format,
          ctx,
          input.name,
          firstFile + fileIndex,
          emit,
          opts.templates ?? true,
          // the continuation lines' text: for whoever reads records, and for a query's words and regexes
          onRecord !== undefined || (parsedWhere?.ok === true && !parsedWhere.query.empty),
        );
        builder = made;
        // a line another known format parses is that format's record, not a continuation (ingest/mixed.ts)
        if (detection.format !== null) made.mixWith(alternatesFor(detection.format, formats));
        if (range) {
          if (range.start > 0) {
            made.dropLines = 1;
            made.waitForRecord = true;
          }
          made.stopAt = range.end;
        }
        // CRI joins partial lines into one message (a word may straddle two lines) and sets records aside
        search =
          words !== null && detection.format?.id !== 'k8s-cri' ? new TextSearch(made, ctx, words) : null;
        return { detection, sink: search ?? made };
      });
      const splitter = new LineSplitter(detecting, config.maxLineBytes, needles === null);
      const stopped = (): boolean =>
        (builder as RecordBuilder | null)?.stopped === true ||
        (fast as TextViewSink | null)?.stopped === true;
      if (from > 0) splitter.skip(from); // offsets stay the file's
      // the file's own start decides whether it is text; a later slice does not judge the file
      const gate = from === 0 ? new TextGate() : null;
      current = {
        get builder() {
          return builder;
        },
        // bytes read: the ones held until the file is judged text too
        get bytes() {
          return splitter.bytes + (gate?.heldBytes ?? 0);
        },
      };
      let bom = 0;
      let first = true;
      const reading = current;
      /** A progress snapshot when one is due; one that is slow to make (many templates) is made less often. */
      const progress = (): void => {
        const now = performance.now();
        if (!opts.onSnapshot || now - lastSnap < interval) return;
        summary.bytesRead = reading.bytes;
        const light =
          opts.lightProgress === true &&
          (opts.fullEveryMs === undefined || now - lastFull < opts.fullEveryMs);
        if (!light) lastFull = now;
        (light && opts.onCounts ? opts.onCounts : opts.onSnapshot)(snapshot(false, light));
        lastSnap = performance.now();
        const cost = lastSnap - now;
        // at most a fifth of the time goes to snapshots (an interval of 0 asks for every chunk, and gets it)
        interval = baseInterval > 0 && cost > 25 ? Math.max(baseInterval, 4 * cost) : baseInterval;
      };
      let shown = -1;
      /** The source is idle (live): let through what waits for more bytes, and show it. */
      const idle = (): void => {
        if (gate !== null && gate.heldBytes > 0) for (const c of gate.end()) splitter.push(c);
        if (detecting.holding > 0) detecting.finish();
        (builder as RecordBuilder | null)?.flush();
        const d = detecting.detection;
        if (d !== null) {
          // the page names the format while it follows
          summary.format = d.format?.id ?? 'unknown';
          summary.formatName = d.format?.name ?? 'not detected';
          summary.formatConfidence = d.confidence;
        }
        const seen = reading.bytes + analysis.totals.t.records;
        const behind = !caughtUp;
        caughtUp = true;
        if (!opts.onSnapshot || (seen === shown && !behind)) return;
        shown = seen;
        summary.bytesRead = reading.bytes;
        opts.onSnapshot(snapshot(false, false));
        lastSnap = lastFull = performance.now();
      };
      try {
        const opened = await openBytes(input, (n) => (rawRead += n));
        summary.gzip = opened.gzip;
        for await (let chunk of opened.chunks) {
          if (chunk.length === 0) {
            if (opts.live === true) idle();
            continue;
          }
          if (first && from === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
            chunk = chunk.subarray(3); // a UTF-8 byte order mark: counted, not part of the first line
            splitter.skip(3);
            bom = 3;
          }
          first = false;
          // pushed in bounded pieces, so a huge chunk (a decompressor may hand out hundreds of MB) still lets
          // progress out on time; the gate holds the file's start back until it is judged to be text
          for (const piece of gate === null ? [chunk] : gate.push(chunk)) {
            for (let at = 0; at < piece.length; at += PUSH_BYTES) {
              const last = at + PUSH_BYTES >= piece.length;
              const bytes = at === 0 && last ? piece : piece.subarray(at, at + PUSH_BYTES);
              (fast as TextViewSink | null)?.piece(bytes, splitter.bytes);
              splitter.push(bytes);
              (fast as TextViewSink | null)?.pieceDone();
              if (stopped()) break;
              if (!last) progress();
            }
            if (stopped()) break;
          }
          progress();
          if (stopped()) break; // the rest is the next slice's
        }
        if (gate !== null) for (const c of gate.end()) splitter.push(c);
      } catch (caught) {
        const e =
          gate === null || caught instanceof NotTextError ? caught : flushGate(gate, splitter, caught);
        if (e instanceof NotTextError) {
          summary.error = e.message;
          summary.bytesRead = splitter.bytes;
          analysis.totals.addLines(NO_LINES, splitter.bytes);
          current = null;
          continue;
        }
        const message = e instanceof Error ? e.message : String(e);
        if (summary.gzip) {
          summary.warnings.push(
            `The gzip data is truncated or corrupt (${message}); the ${formatBytes(splitter.bytes)} decompressed before that were analyzed.`,
          );
        } else {
          summary.error = `Reading stopped: ${message}; the ${formatBytes(splitter.bytes)} read before that were analyzed.`;
        }
      }
      splitter.end();
      detecting.finish();
      (builder as RecordBuilder | null)?.finish();
      (fast as TextViewSink | null)?.finish();
      const done = builder as RecordBuilder | null;
      // a slice counts the bytes of its own lines; a whole file, every byte read (a BOM included)
      const bytes = range ? (done?.countedBytes ?? 0) + bom : splitter.bytes;
      describeFile(
        summary,
        detecting.detection?.format ?? null,
        detecting.detection?.confidence ?? 0,
        done,
        bytes,
      );
      if (done !== null) {
        Object.assign(summary, ingestFacts(done.counts, done.firstInvalidTime));
        summary.warnings.push(...ingestNotes(summary));
      }
      const fastDone = fast as TextViewSink | null;
      if (done !== null) analysis.totals.addLines(done.counts, bytes);
      // a fast view counts its lines (their numbers: a slice's, for the merge), not their kinds
      else if (fastDone !== null) analysis.totals.addLines({ ...NO_LINES, lines: fastDone.lines }, bytes);
      else analysis.totals.addLines(NO_LINES, bytes);
      current = null;
    }
  } finally {
    // also when something throws past the per-file handling: a live timer would keep reporting
    if (heartbeat !== null) clearInterval(heartbeat);
  }
  fileIndex = Math.max(0, inputs.length - 1);
  opts.keep?.(analysis);
  caughtUp = true; // a live source read to its end
  const final = snapshot(true);
  // a slice's read counts stay its own (its lines are what the merge of slices numbers later slices' lines
  // from); the merge applies the whole file's (mergeSlices)
  if (needles !== null && !range) applyWholeReads(final, whole!.snapshot);
  final.progress.bytesRead = final.progress.totalBytes = Math.max(totalBytes, rawRead);
  return final;
}

function describeFile(
  summary: FileSummary,
  format: LineFormat | null,
  confidence: number,
  builder: RecordBuilder | null,
  bytes: number,
): void {
  summary.bytesRead = bytes;
  summary.format = format?.id ?? 'unknown';
  summary.relativeTime = format?.relative ?? false;
  summary.formatName = format?.name ?? 'not detected';
  summary.formatConfidence = confidence;
  const mix = builder?.formatMix() ?? null;
  if (mix !== null) summary.formats = mix;
  else delete summary.formats;
  if (format !== null && 'custom' in format) summary.inferredFormat = (format as InferredFormat).custom;
  const c = builder?.counts;
  summary.lines = c?.lines ?? 0;
  if (summary.error !== null) return;
  if (bytes === 0) {
    summary.warnings.push('The file is empty: there is nothing to analyze.');
    return;
  }
  if (c === undefined) return;
  if (format === null && c.lines > c.emptyLines) {
    summary.warnings.push(
      'No known log format was recognized: every line was kept as an unparsed record (no times or levels).',
    );
  }
  if (c.truncatedLines > 0) {
    summary.warnings.push(`${c.truncatedLines} line(s) longer than the line-length cap were cut at the cap.`);
  }
  if (c.invalidUtf8 > 0) {
    summary.warnings.push(`${c.invalidUtf8} line(s) held invalid UTF-8, shown with U+FFFD (�).`);
  }
}

/**
 * After a read failed (a truncated gzip): what the text gate still held was read before the failure, and is
 * analyzed like the rest. Returns the error to report: the failure, or NotTextError when that start is binary.
 */
function flushGate(gate: TextGate, splitter: LineSplitter, failure: unknown): unknown {
  try {
    for (const c of gate.end()) splitter.push(c);
    return failure;
  } catch (e) {
    return e;
  }
}

/** A file's summary before any of it is read (and for a file that could not be opened at all). */
export function unreadSummary(name: string, bytes: number, error: string | null = null): FileSummary {
  return {
    name,
    bytes,
    bytesRead: 0,
    gzip: false,
    format: 'unknown',
    formatName: 'not detected',
    formatConfidence: 0,
    records: 0,
    lines: 0,
    error,
    warnings: [],
    relativeTime: false,
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** A slice of a Blob as an input: the same name and date, its own size and stream. */
function sliceInput(blob: ByteInput & Blob, from: number, size: number): ByteInput {
  const part = blob.slice(from);
  return {
    name: blob.name,
    size,
    lastModified: blob.lastModified,
    streamBytes: part.size,
    stream: () => part.stream(),
    streamFrom: (at) => part.slice(at).stream(),
  };
}

/**
 * The final snapshot of an analysis merged from slices read in parallel: the slices' file summaries are joined
 * (the first slice's detection stands for the file).
 */
export function mergedSnapshot(
  analysis: Analysis,
  parts: readonly FileSummary[],
  jobId: number,
  elapsedMs: number,
): Snapshot {
  const state = analysis.snapshot(Infinity);
  const file = mergedFileSummary(parts, state.totals);
  return {
    jobId,
    progress: {
      bytesRead: file.bytes,
      totalBytes: file.bytes,
      records: state.totals.records,
      elapsedMs,
      fileIndex: 0,
      done: true,
    },
    files: [file],
    ...state,
    error: null,
  };
}

/**
 * One file's summary joined from its slices' (the first slice's detection stands for the file). `totals`: the
 * file's line counts, summed over its slices, which rewrite the line-count notes.
 */
export function mergedFileSummary(
  parts: readonly FileSummary[],
  totals: { truncatedLines: number; invalidUtf8: number },
): FileSummary {
  const first = parts[0]!;
  const file: FileSummary = {
    ...first,
    bytes: parts.reduce((s, p) => s + p.bytes, 0),
    bytesRead: parts.reduce((s, p) => s + p.bytesRead, 0),
    records: parts.reduce((s, p) => s + p.records, 0),
    lines: parts.reduce((s, p) => s + p.lines, 0),
    error: parts.find((p) => p.error !== null)?.error ?? null,
    // line counts are rewritten from the merged totals; other notes are kept once
    warnings: [
      ...new Set(
        parts
          .flatMap((p) => p.warnings)
          .filter(
            (w) =>
              !w.startsWith('The file is empty') &&
              !/^\d+ line\(s\) (longer than|held invalid)/.test(w) &&
              !isIngestNote(w),
          ),
      ),
    ],
  };
  const facts = mergeIngestFacts(parts);
  const mix = mergeShares(parts.map((p) => p.formats));
  if (mix === null) delete file.formats;
  else file.formats = mix;
  delete file.nulPadding;
  delete file.invalidTimes;
  Object.assign(file, facts);
  if (totals.truncatedLines > 0) {
    file.warnings.push(
      `${totals.truncatedLines} line(s) longer than the line-length cap were cut at the cap.`,
    );
  }
  if (totals.invalidUtf8 > 0) {
    file.warnings.push(`${totals.invalidUtf8} line(s) held invalid UTF-8, shown with U+FFFD (�).`);
  }
  file.warnings.push(...ingestNotes(facts));
  return file;
}
