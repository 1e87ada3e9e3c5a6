/**
 * The engine's worker entry: exposes the engine through Comlink. The page passes Files (not text) and a
 * proxied callback; only plain data from src/engine/types.ts and report.ts, and Blobs, come back.
 */
import * as Comlink from 'comlink';
import { analyze, fastTextView, type WholeFile, type WholeReads } from '../engine/analyze.ts';
import { detectHead } from '../engine/detect-head.ts';
import { parseConfig, type Config } from '../engine/config.ts';
import { buildReport, type Report } from '../engine/report.ts';
import { generateSample, type SampleOptions } from '../engine/sample.ts';
import { exportRecords, templatesCsv, type RecordExportKind } from '../engine/export.ts';
import type { Analysis } from '../engine/analysis.ts';
import { linesAround, type LineAt } from '../engine/lines-around.ts';
import { readRecords, type RecordsPage } from '../engine/read-records.ts';
import { compileQuery, parseQuery } from '../engine/query/index.ts';
import { whatChangedIn, type WhatChanged, type WhatChangedOptions } from '../engine/what-changed.ts';
import type { RecordIndexSnapshot } from '../engine/analyzers/record-index.ts';
import { orderRotated } from '../engine/ingest/rotation.ts';
import type { Progress, Snapshot } from '../engine/types.ts';
import { openBytes, streamInput } from '../engine/ingest/source.ts';
import { HEAD_BYTES } from '../engine/slicing.ts';
import { SILENT_MS, SliceReceiver, mergeSlices, sendBeat, sendError, sendSlice } from './handover.ts';
import { TemplateMiner } from '../engine/analyzers/templates.ts';
import { followBlob, remoteInput, withIdleTicks, type FollowEnd, type RemoteBytes } from '../engine/live.ts';
import {
  PieceCutter,
  PieceParser,
  PieceMerger,
  pipelinable,
  PIECE_BYTES,
  transferable,
  pump,
  type Piece,
  type PieceResult,
} from '../engine/pipeline.ts';

/** Pieces handed to the parsing worker and not yet parsed; past this the inflating worker parses one itself. */
const CREDIT = 2;
/** The pipelined read's dashboard snapshots, at most this often (the page redraws about once a second). */
const SHOW_MS = 1000;
/** The first piece is small: the inflating worker parses it itself, and the page's first charts come from it. */
const FIRST_PIECE = 4 * 1024 * 1024;

/** A message on the port between the inflating worker and a parsing one. */
type PortMessage =
  | { config: Config; where: string }
  | { piece: Piece }
  | { end: true }
  | { done: PieceResult }
  | { error: string };

export interface AnalysisResult {
  snapshot: Snapshot;
  report: Report;
}

/**
 * `where` (every read path below): a query's text (src/engine/query); the analysis is then that subset's
 * (analyze()'s `where`). '' or absent: the whole file.
 */
function whereOpt(where: string | undefined): { where?: string } {
  return where ? { where } : {};
}

/** The last analysis, kept for exports: its files, config and template miner. */
let last: { files: File[]; config: Config; analysis: Analysis } | null = null;
/**
 * The whole file's finished analysis made in this worker (one worker, or the first slice's after the merge):
 * its template miner and read-level counts, for the fast read path of a later view of the same files and
 * settings (analyze()'s `wholeFile`). `settings`: the page's settings as JSON, compared with the view's.
 */
let whole: { files: File[]; settings: string; miner: WholeFile['miner']; reads: WholeReads } | null = null;

function keepWhole(files: File[], settings: unknown, analysis: Analysis, final: Snapshot): void {
  whole = {
    files,
    settings: JSON.stringify(settings),
    miner: analysis.templates,
    reads: { files: final.files, totals: final.totals },
  };
}

/** The whole analysis kept here, when `where` can be read on the fast path with it (same files and settings). */
function wholeFor(files: File[], settings: unknown, where: string): WholeFile | null {
  if (whole === null || where === '' || !sameFiles(whole.files, files)) return null;
  if (JSON.stringify(settings) !== whole.settings) return null;
  const q = parseQuery(where);
  if (!q.ok || q.query.empty || fastTextView(q.query, whole.reads) === null) return null;
  return { miner: whole.miner, snapshot: whole.reads };
}

/**
 * What a live analysis reads (docs/live.md): a file handle to follow (File System Access; the worker calls
 * getFile() itself, so only the handle crosses), or a same-origin URL streaming bytes (`loglens serve`'s /live).
 */
export type LiveSource =
  { handle: { name: string; getFile(): Promise<File> } } | { url: string; name: string };

export interface LiveResult extends AnalysisResult {
  /** 'truncated': the file shrank (truncated or replaced), the page follows it anew; 'ended': the stream ended */
  ended: FollowEnd | 'ended';
  /** what was read, as Files the page can analyze again (a view, exports), or null (a stream not kept whole) */
  files: File[] | null;
}

/** The live analysis running here: stopLive() ends its stream, and analyze() returns the final snapshot. */
let stopLive: (() => void) | null = null;
/** the followed file's handle (the page's log view reads it itself; exports, after, read the file as it is) */
let liveHandle: { getFile(): Promise<File> } | null = null;
/** the followed stream's /live URL (its bytes are read again from loglens serve's /live/bytes) */
let liveUrl: { url: string; name: string; from: number; generation: number } | null = null;

/**
 * What the log view reads: Files, a followed file's handle (it gives the file as it is now), or the bytes of
 * `loglens serve`'s stream that the server keeps (read by range).
 */
export type RecordInput = File | { readonly name: string; getFile(): Promise<File> } | RemoteBytes;

function current(inputs: readonly RecordInput[]): Promise<File[]> {
  return Promise.all(
    inputs.map((f) => ('getFile' in f ? f.getFile() : 'url' in f ? (remoteInput(f) as unknown as File) : f)),
  );
}

/** What readRecords reads through: the record index, formats and config the page sent last. */
let reading: { index: RecordIndexSnapshot; formats: string[]; config: Config } | null = null;

const api = {
  /** A live analysis (analyze() with `live`), until stopLive(), a truncation, or the stream's end. */
  async analyzeLive(
    jobId: number,
    source: LiveSource,
    config: unknown,
    onSnapshot: (s: Snapshot) => void,
    where = '',
  ): Promise<LiveResult> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    last = null;
    whole = null;
    liveUrl = null;
    let stream: ReadableStream<Uint8Array>;
    let ended: () => LiveResult['ended'];
    let name: string;
    liveHandle = null;
    if ('handle' in source) {
      const handle = source.handle;
      liveHandle = handle;
      const followed = followBlob(() => handle.getFile());
      stopLive = () => followed.stop();
      stream = followed.stream;
      ended = () => followed.ended ?? 'stopped';
      name = handle.name;
    } else {
      let stop: () => void = () => undefined;
      let stopped = false;
      const asked = new Promise<void>((resolve) => (stop = resolve));
      stopLive = () => {
        stopped = true;
        stop();
      };
      const response = await fetch(source.url, { cache: 'no-store' });
      if (!response.ok || response.body === null) throw new Error(`${source.url}: ${response.status}`);
      // the stream offset of the response's first byte: the analysis' offsets are from there
      const header = (k: string): number => Number(response.headers.get(k) ?? NaN);
      liveUrl = {
        url: source.url,
        name: source.name,
        from: header('X-Loglens-From'),
        generation: header('X-Loglens-Generation'),
      };
      stream = withIdleTicks(response.body, undefined, asked);
      ended = () => (stopped ? 'stopped' : 'ended');
      name = source.name;
    }
    let kept: Analysis | null = null;
    try {
      const snapshot = await analyze([streamInput(name, stream)], parsed.config, {
        jobId,
        onSnapshot,
        intervalMs: 500,
        live: true,
        ...whereOpt(where),
        keep: (a) => (kept = a),
      });
      // what was read stays a finished analysis: exports re-read the file (a handle: as it is now; a stream: its
      // bytes, when all of them are kept)
      const files = await api.liveFiles();
      if (kept !== null && files !== null) last = { files, config: parsed.config, analysis: kept };
      return { snapshot, report: buildReport(snapshot, parsed.config), ended: ended(), files };
    } finally {
      stopLive = null;
    }
  },

  /** The followed stream: where its analysis starts in it (`from`, a stream offset) and its generation. */
  liveStream(): { from: number; generation: number } | null {
    return liveUrl === null ? null : { from: liveUrl.from, generation: liveUrl.generation };
  },

  /**
   * The live analysis' input as Files: a handle's file as it is now; a stream's bytes, fetched once from the
   * server while it still keeps all of them (else null).
   */
  async liveFiles(): Promise<File[] | null> {
    if (liveHandle !== null) return [await liveHandle.getFile()];
    if (liveUrl === null) return null;
    try {
      const info = (await (await fetch(`${liveUrl.url}/info`, { cache: 'no-store' })).json()) as {
        generation: number;
        from: number;
        to: number;
      };
      if (info.from !== 0 || liveUrl.from !== 0 || info.generation !== liveUrl.generation) return null;
      const r = await fetch(`${liveUrl.url}/bytes?generation=${info.generation}&start=0&end=${info.to}`, {
        cache: 'no-store',
      });
      if (!r.ok) return null;
      return [new File([await r.blob()], liveUrl.name, { type: 'text/plain' })];
    } catch {
      return null;
    }
  },

  /** Ends the live analysis: what was read stays, as a finished analysis. */
  stopLive(): void {
    stopLive?.();
  },

  async analyze(
    jobId: number,
    files: File[],
    config: unknown,
    onSnapshot: (s: Snapshot) => void,
    onProgress?: (p: Progress) => void,
    where = '',
  ): Promise<AnalysisResult> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    last = null;
    const wholeFile = wholeFor(files, config, where);
    if (where === '') whole = null;
    let kept: Analysis | null = null;
    const snapshot = await analyze(files, parsed.config, {
      jobId,
      onSnapshot,
      intervalMs: 200,
      ...(onProgress ? { onProgress } : {}),
      ...whereOpt(where),
      ...(wholeFile ? { wholeFile } : {}),
      keep: (a) => (kept = a),
    });
    if (kept !== null) {
      last = { files, config: parsed.config, analysis: kept };
      if (where === '') keepWhole(files, config, kept, snapshot);
    }
    return { snapshot, report: buildReport(snapshot, parsed.config) };
  },

  /**
   * A .gz read in a pipeline (src/engine/pipeline.ts): this worker inflates, cuts pieces at record starts and
   * hands them over `port` to a worker running parsePieces, parsing a piece itself when that one is busy; at the
   * end the analyses are merged here in file order. A stream of no known format (or CRI, or under a MiB) is read
   * here in one pass, as analyze() does.
   */
  async analyzeGzip(
    jobId: number,
    file: File,
    config: unknown,
    port: MessagePort,
    onSnapshot: (s: Snapshot) => void,
    onProgress: (p: Progress) => void,
    pieceBytes = PIECE_BYTES,
    where = '',
  ): Promise<AnalysisResult> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    const cfg = parsed.config;
    if (where === '') whole = null;
    const t0 = performance.now();
    let raw = 0;
    let inFlight = 0;
    const merger = new PieceMerger();
    let failure: Error | null = null;
    let wake: (() => void) | null = null;
    port.onmessage = (e: MessageEvent<PortMessage>) => {
      const m = e.data;
      if ('done' in m) {
        inFlight--;
        merger.add(m.done);
      } else if ('error' in m) failure = new Error(m.error);
      wake?.();
    };
    const opened = await openBytes(file, (n) => (raw += n));
    const it = opened.chunks[Symbol.asyncIterator]();
    const headParts: Uint8Array[] = [];
    let headLen = 0;
    let short = !opened.gzip;
    try {
      while (!short && headLen < HEAD_BYTES) {
        const r = await it.next();
        if (r.done) short = true;
        else {
          headParts.push(r.value);
          headLen += r.value.length;
        }
      }
    } catch {
      short = true; // a stream broken this early: the one-pass read says so
    }
    const headBlob = new Blob(headParts as Uint8Array<ArrayBuffer>[]);
    const head = short
      ? null
      : await detectHead(
          {
            name: file.name,
            size: headLen,
            lastModified: file.lastModified,
            stream: () => headBlob.stream(),
          },
          cfg,
        );
    if (head === null || !pipelinable(head.format)) {
      await it.return?.();
      port.postMessage({ end: true } satisfies PortMessage);
      return api.analyze(jobId, [file], config, onSnapshot, onProgress, where);
    }
    const forced: Config = { ...cfg, format: head.format };
    port.postMessage({ config: forced, where } satisfies PortMessage);
    // the first piece is small: parsed here, it makes the page's first snapshot soon
    const cutter = new PieceCutter(
      forced,
      head.format,
      file.name,
      file.lastModified,
      pieceBytes,
      FIRST_PIECE,
    );
    const parser = new PieceParser(forced, file.name, file.lastModified, (r) => merger.add(r));
    // the dashboard: what is merged so far, about every DASHBOARD_MS; the progress bar and the watchdog: the
    // compressed bytes read, every 200 ms
    let shown = -Infinity;
    let ticked = 0;
    const tick = (): void => {
      const now = performance.now();
      if (merger.merged > 0 && now - shown >= SHOW_MS) {
        const s = merger.progress(jobId, now - t0);
        s.progress = { ...s.progress, bytesRead: raw, totalBytes: file.size, done: false };
        // the file as stored, as a one-pass read reports it (a report after Cancel compares bytes to it)
        s.files[0]!.gzip = true;
        s.files[0]!.bytes = file.size;
        onSnapshot(s);
        shown = ticked = performance.now();
        return;
      }
      if (now - ticked < 200) return;
      ticked = now;
      onProgress({
        bytesRead: raw,
        totalBytes: file.size,
        records: merger.merged > 0 ? merger.analysis.totals.t.records : 0,
        elapsedMs: now - t0,
        fileIndex: 0,
        done: false,
      });
    };
    merger.onMerge = tick;
    const opts = { jobId, intervalMs: 200, lightProgress: true, onSnapshot: tick, ...whereOpt(where) };
    const dispatch = async (p: Piece): Promise<void> => {
      // the other worker's answers are tasks: reading the stream runs on promises and would not let them in
      if (inFlight >= CREDIT) await nextTask();
      if (failure) throw failure;
      if (p.index === 0 || inFlight >= CREDIT) await parser.parse(p, opts);
      else {
        inFlight++;
        port.postMessage({ piece: p } satisfies PortMessage, transferable(p));
      }
      tick();
    };
    const warning = await pump(it, headParts, cutter, parser, opts, dispatch);
    port.postMessage({ end: true } satisfies PortMessage);
    while (merger.merged < cutter.pieces) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    const snapshot = merger.finish(file.size, warning, jobId, performance.now() - t0);
    last = { files: [file], config: forced, analysis: merger.analysis };
    return { snapshot, report: buildReport(snapshot, cfg) };
  },

  /** The other side of analyzeGzip: parses the pieces that arrive on `port`, in turn, and sends each one back. */
  parsePieces(jobId: number, name: string, lastModified: number, port: MessagePort): Promise<void> {
    return new Promise((resolve, reject) => {
      let parser: PieceParser | null = null;
      let where: { where?: string } = {};
      const queue: Piece[] = [];
      let ending = false;
      let busy = false;
      const run = async (): Promise<void> => {
        if (busy) return;
        busy = true;
        try {
          while (queue.length > 0) await parser!.parse(queue.shift()!, { jobId, ...where });
          if (ending) {
            port.close();
            resolve();
          }
        } catch (e) {
          port.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies PortMessage);
          reject(e instanceof Error ? e : new Error(String(e)));
        } finally {
          busy = false;
        }
      };
      port.onmessage = (e: MessageEvent<PortMessage>) => {
        const m = e.data;
        if ('config' in m) {
          where = whereOpt(m.where);
          parser = new PieceParser(m.config, name, lastModified, (r) =>
            port.postMessage({ done: r } satisfies PortMessage),
          );
        } else if ('piece' in m) queue.push(m.piece);
        else if ('end' in m) ending = true;
        void run();
      };
    });
  },

  /**
   * Whether this worker holds the whole analysis of `files` with these settings, and `where` can be read with
   * it on the fast path (src/engine/ingest/text-view.ts): the page then reads the view here, in one worker.
   */
  canReadFast(files: File[], config: unknown, where: string): boolean {
    return wholeFor(files, config, where) !== null;
  },

  /** The format detected on the file's first MiB (for slices read in parallel, which must agree on it). */
  async detect(file: File, config: unknown): Promise<{ format: string; gzip: boolean }> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    return detectHead(file, parsed.config);
  },

  /**
   * The first slice of a file read in parallel (see analyze()'s `range`): reads it, then receives the later
   * slices' analyses on `ports` (one each, in order: src/worker/handover.ts), merges them into its own and
   * returns the whole file's snapshot and report. `userConfig` is what the report shows (the slices run with
   * the format forced). While reading: a full snapshot at once and then about every `fullEveryMs` (the page
   * redraws its dashboard no more often), counts only in between.
   */
  async analyzeFirstSlice(
    jobId: number,
    file: File,
    config: unknown,
    userConfig: unknown,
    range: { start: number; end: number },
    ports: MessagePort[],
    elapsedBefore: number,
    fullEveryMs: number,
    onSnapshot: (s: Snapshot) => void,
    onCounts: (s: Snapshot) => void,
    where = '',
    fast = false,
  ): Promise<AnalysisResult> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    const t0 = performance.now() - elapsedBefore;
    // a fast view in slices (the page asked canReadFast): this worker's whole analysis is sent to the later
    // slices first (its miner gives every slice the same template ids), or null, and then they read slowly too
    const wholeFile = fast ? wholeFor([file], userConfig, where) : null;
    if (fast) {
      const message: WholeMessage = {
        jobId,
        whole: wholeFile === null ? null : { miner: wholeFile.miner, reads: wholeFile.snapshot },
      };
      for (const port of ports) port.postMessage(message);
    }
    last = null;
    if (where === '') whole = null;
    const receiver = new SliceReceiver(ports, jobId);
    let kept: Analysis | null = null;
    let own: Snapshot;
    try {
      own = await analyze([file], parsed.config, {
        jobId,
        onSnapshot,
        onCounts,
        intervalMs: 200,
        lightProgress: true,
        fullEveryMs,
        range,
        ...whereOpt(where),
        ...(wholeFile ? { wholeFile } : {}),
        keep: (a) => (kept = a),
      });
    } catch (e) {
      receiver.close();
      throw e;
    }
    const parts = await receiver.all();
    const analysis = kept! as Analysis;
    const snapshot = mergeSlices(
      analysis,
      own,
      parts,
      jobId,
      performance.now() - t0,
      wholeFile?.snapshot ?? null,
    );
    last = { files: [file], config: parsed.config, analysis };
    if (where === '') keepWhole([file], userConfig, analysis, snapshot);
    const user = parseConfig(userConfig);
    return { snapshot, report: buildReport(snapshot, user.ok ? user.config : parsed.config) };
  },

  /**
   * A later slice of a file read in parallel: its analysis goes to the first slice's worker on `port`, not back
   * to the page; the page gets counts-only progress.
   */
  async analyzeLaterSlice(
    jobId: number,
    file: File,
    config: unknown,
    range: { start: number; end: number },
    port: MessagePort,
    onSnapshot: (s: Snapshot) => void,
    where = '',
    fast = false,
  ): Promise<void> {
    try {
      const parsed = parseConfig(config);
      if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
      // a fast view: the first slice's worker sends its whole analysis (or null: read slowly) before reading
      const sent = fast ? await wholeFrom(port, jobId) : null;
      const wholeFile: WholeFile | null =
        sent === null ? null : { miner: TemplateMiner.revive(sent.miner), snapshot: sent.reads };
      let kept: Analysis | null = null;
      const final = await analyze([file], parsed.config, {
        jobId,
        onSnapshot: (s) => {
          onSnapshot(s);
          sendBeat(port, jobId);
        },
        intervalMs: 200,
        range,
        lightProgress: true,
        ...whereOpt(where),
        ...(wholeFile ? { wholeFile } : {}),
        keep: (a) => (kept = a),
      });
      // the first slice's worker holds the same miner: this one's copy is not sent back
      if (wholeFile !== null) (kept! as Analysis).dropMiner();
      sendSlice(port, jobId, final, kept!);
      last = null;
    } catch (e) {
      sendError(port, jobId, e);
      throw e;
    }
  },

  /**
   * Every record of the last analysis (a view: its records) as CSV or JSON Lines, read again from the files and written in 1 MiB
   * parts: each part becomes a Blob at once (the browser may keep it on disk), so no giant string is built.
   */
  async exportRecords(kind: RecordExportKind): Promise<Blob> {
    if (last === null) throw new Error('Nothing to export: analyze a file first.');
    const parts: Blob[] = [];
    // a view's records only (the query its analysis was made for)
    await exportRecords(
      last.files,
      last.config,
      kind,
      last.analysis.templates,
      (chunk) => parts.push(new Blob([chunk])),
      last.analysis.view?.query ?? '',
    );
    return new Blob(parts, { type: kind === 'csv' ? 'text/csv' : 'application/x-ndjson' });
  },

  /**
   * The raw lines of a record of the last analysis and a few around it, read again from its file by byte
   * range. `fileIndex` is the analysis' file order (rotated sets ordered), as records carry it.
   */
  async linesAround(fileIndex: number, offset: number, length: number): Promise<LineAt[]> {
    if (last === null) throw new Error('Nothing analyzed: open the file again.');
    const file = orderRotated(last.files)[fileIndex];
    if (file === undefined) throw new Error('That file is not part of this analysis any more.');
    return linesAround(file, offset, length);
  },

  /**
   * The same, from files given again: after Cancel the analysis' worker is gone, but the page still holds the
   * Files, and a fresh worker can read lines of records already seen.
   */
  async linesIn(inputs: RecordInput[], fileIndex: number, offset: number, length: number): Promise<LineAt[]> {
    const file = orderRotated(await current(inputs))[fileIndex];
    if (file === undefined) throw new Error('That file is not part of this analysis any more.');
    return linesAround(file, offset, length);
  },

  /**
   * The log view's page: `count` records from record number `fromRecord` on (with `where`, the matching ones, and
   * `next` to page on), read again from the files through the analysis' record index (src/engine/read-records.ts).
   * `source` (the index, the files' detected formats, the config) is sent once and kept for the next pages.
   */
  async readRecords(
    inputs: RecordInput[],
    opts: { fromRecord: number; count: number; where?: string },
    source?: { index: RecordIndexSnapshot; formats: string[]; config: unknown },
  ): Promise<RecordsPage> {
    if (source) {
      const parsed = parseConfig(source.config);
      if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
      reading = { index: source.index, formats: source.formats, config: parsed.config };
    }
    if (reading === null) throw new Error('Nothing analyzed: open the file again.');
    const files = await current(inputs);
    const where = opts.where?.trim() ?? '';
    if (where === '') return readRecords(orderRotated(files), reading, opts);
    const parsed = parseQuery(where);
    if (!parsed.ok) throw new Error(`The query does not parse: ${parsed.error.message}`);
    const matcher = compileQuery(parsed.query);
    // template ids come from this worker's analysis of the same files, if it made one (else template: matches none)
    const miner = last !== null && sameFiles(last.files, files) ? last.analysis.templates : null;
    return readRecords(orderRotated(files), reading, {
      fromRecord: opts.fromRecord,
      count: opts.count,
      match: (r) => matcher.matches(r, miner === null ? null : miner.match(r.message) || null),
    });
  },

  /**
   * What changed in a window against its baseline (src/engine/what-changed.ts), read from the files through the
   * record index in `source` (or the one readRecords was sent last). Templates are ranked when this worker made
   * the analysis of the same files (its miner names them); else they are left out (`templates: false`).
   */
  async whatChanged(
    files: File[],
    opts: WhatChangedOptions,
    source?: { index: RecordIndexSnapshot; formats: string[]; config: unknown },
  ): Promise<WhatChanged> {
    let ctx = reading;
    if (source) {
      const parsed = parseConfig(source.config);
      if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
      ctx = { index: source.index, formats: source.formats, config: parsed.config };
    }
    if (ctx === null) throw new Error('Nothing analyzed: open the file again.');
    const miner = last !== null && sameFiles(last.files, files) ? last.analysis.templates : null;
    return whatChangedIn(orderRotated(files), ctx, opts, miner);
  },

  exportTemplates(): Blob {
    if (last === null) throw new Error('Nothing to export: analyze a file first.');
    return new Blob([templatesCsv(last.analysis.templates.snapshot().templates)], { type: 'text/csv' });
  },

  /** Generates the sample log here, off the main thread, and hands it back as a File. */
  sample(opts: SampleOptions): File {
    const parts: string[] = [];
    const gen = generateSample(opts);
    for (let step = gen.next(); !step.done; step = gen.next()) parts.push(step.value);
    return new File(parts, 'loglens-sample.log', { type: 'text/plain', lastModified: Date.now() });
  },
};

/** The same files (as structured clones of them are: by name, size and date). */
function sameFiles(a: readonly File[], b: readonly File[]): boolean {
  return (
    a.length === b.length &&
    a.every((f, i) => f.name === b[i]!.name && f.size === b[i]!.size && f.lastModified === b[i]!.lastModified)
  );
}

/** What the first slice's worker sends each later one before a fast view in slices: its whole analysis. */
interface WholeMessage {
  jobId: number;
  whole: { miner: TemplateMiner; reads: WholeReads } | null;
}

/** The whole analysis the first slice's worker sends on `port` for this job (the first message of it). */
function wholeFrom(port: MessagePort, jobId: number): Promise<WholeMessage['whole']> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      port.onmessage = null;
      reject(new Error('the first slice sent no analysis to read this view with'));
    }, SILENT_MS);
    port.onmessage = (e: MessageEvent<WholeMessage>) => {
      if (e.data.jobId !== jobId || !('whole' in e.data)) return;
      clearTimeout(timer);
      port.onmessage = null;
      resolve(e.data.whole);
    };
  });
}

/** Resolves after the tasks queued before it (messages from other workers) have run. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

export type EngineApi = typeof api;

Comlink.expose(api);
