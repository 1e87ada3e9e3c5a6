/**
 * The engine's worker entry: exposes the engine through Comlink. The page passes Files (not text) and a
 * proxied callback; only plain data from src/engine/types.ts and report.ts, and Blobs, come back.
 */
import * as Comlink from 'comlink';
import { analyze, mergedSnapshot } from '../engine/analyze.ts';
import { detectHead } from '../engine/detect-head.ts';
import { parseConfig, type Config } from '../engine/config.ts';
import { buildReport, type Report } from '../engine/report.ts';
import { generateSample, type SampleOptions } from '../engine/sample.ts';
import { exportRecords, templatesCsv, type RecordExportKind } from '../engine/export.ts';
import type { Analysis } from '../engine/analysis.ts';
import { linesAround, type LineAt } from '../engine/lines-around.ts';
import { orderRotated } from '../engine/ingest/rotation.ts';
import type { Progress, Snapshot } from '../engine/types.ts';
import { formatBytes } from '../engine/analyze.ts';
import { openBytes } from '../engine/ingest/source.ts';
import { HEAD_BYTES } from '../engine/slicing.ts';
import {
  PieceCutter,
  PieceParser,
  mergePieces,
  pipelinable,
  PIECE_BYTES,
  type Piece,
  type PieceResult,
} from '../engine/pipeline.ts';

/** Pieces handed to the parsing worker and not yet parsed; past this the inflating worker parses one itself. */
const CREDIT = 2;
/** The first piece is small: the inflating worker parses it itself, and the page's first charts come from it. */
const FIRST_PIECE = 4 * 1024 * 1024;

/** A message on the port between the inflating worker and a parsing one. */
type PortMessage =
  | { config: Config }
  | { piece: Piece }
  | { end: true }
  | { ack: number }
  | { runs: PieceResult[] }
  | { error: string };

export interface AnalysisResult {
  snapshot: Snapshot;
  report: Report;
}

/** The last analysis, kept for exports: its files, config and template miner. */
let last: { files: File[]; config: Config; analysis: Analysis } | null = null;

const api = {
  async analyze(
    jobId: number,
    files: File[],
    config: unknown,
    onSnapshot: (s: Snapshot) => void,
    onProgress?: (p: Progress) => void,
  ): Promise<AnalysisResult> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    last = null;
    let kept: Analysis | null = null;
    const snapshot = await analyze(files, parsed.config, {
      jobId,
      onSnapshot,
      intervalMs: 200,
      ...(onProgress ? { onProgress } : {}),
      keep: (a) => (kept = a),
    });
    if (kept !== null) last = { files, config: parsed.config, analysis: kept };
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
  ): Promise<AnalysisResult> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    const cfg = parsed.config;
    const t0 = performance.now();
    let raw = 0;
    let failed: ((e: Error) => void) | null = null;
    let gotRuns: ((r: PieceResult[]) => void) | null = null;
    let inFlight = 0;
    const remote = new Promise<PieceResult[]>((resolve, reject) => {
      gotRuns = resolve;
      failed = reject;
    });
    port.onmessage = (e: MessageEvent<PortMessage>) => {
      const m = e.data;
      if ('ack' in m) inFlight--;
      else if ('runs' in m) gotRuns!(m.runs);
      else if ('error' in m) failed!(new Error(m.error));
    };
    const oneRead = async (): Promise<AnalysisResult> => {
      port.postMessage({ end: true } satisfies PortMessage);
      return api.analyze(jobId, [file], config, onSnapshot, onProgress);
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
      return oneRead();
    }
    const forced: Config = { ...cfg, format: head.format };
    port.postMessage({ config: forced } satisfies PortMessage);
    // the first piece is small: parsed here, it makes the page's first snapshot soon
    const cutter = new PieceCutter(
      forced,
      head.format,
      file.name,
      file.lastModified,
      pieceBytes,
      FIRST_PIECE,
    );
    const parser = new PieceParser(forced, file.name, file.lastModified);
    const opts = {
      jobId,
      intervalMs: 200,
      onSnapshot: (s: Snapshot) =>
        onSnapshot({ ...s, progress: { ...s.progress, bytesRead: raw, totalBytes: file.size } }),
    };
    let ticked = 0;
    const tick = (): void => {
      const now = performance.now();
      if (now - ticked < 200) return;
      ticked = now;
      const d = parser.done;
      onProgress({
        bytesRead: raw,
        totalBytes: file.size,
        records: d?.totals.records ?? 0,
        elapsedMs: now - t0,
        fileIndex: 0,
        done: false,
      });
    };
    const dispatch = async (p: Piece): Promise<void> => {
      if (p.index === 0 || inFlight >= CREDIT) await parser.parse(p, opts);
      else {
        inFlight++;
        port.postMessage({ piece: p } satisfies PortMessage, [p.bytes.buffer]);
      }
      tick();
    };
    const cut = cutter;
    let warning: string | null = null;
    const feed = async (chunk: Uint8Array): Promise<void> => {
      for (const p of cut.push(chunk)) await dispatch(p);
    };
    for (const c of headParts) await feed(c);
    try {
      while (!cut.overflow) {
        const r = await it.next();
        if (r.done) break;
        await feed(r.value);
      }
    } catch (e) {
      warning = gzipWarning(e, cut.total);
    }
    if (cut.overflow) {
      const held = cut.held();
      let sent = false;
      await parser.read(
        held.index,
        held.start,
        Number.MAX_SAFE_INTEGER,
        () =>
          new ReadableStream<Uint8Array>({
            pull: async (c) => {
              if (!sent) {
                sent = true;
                c.enqueue(held.bytes);
                return;
              }
              try {
                const r = await it.next();
                if (r.done) c.close();
                else {
                  held.total += r.value.length;
                  c.enqueue(r.value);
                }
              } catch (e) {
                warning = gzipWarning(e, held.total);
                c.close();
              }
            },
          }),
        opts,
      );
    } else {
      const lastPiece = cut.end();
      if (lastPiece) await dispatch(lastPiece);
    }
    port.postMessage({ end: true } satisfies PortMessage);
    const runs = [...parser.runs, ...(await remote)];
    const snapshot = mergePieces(runs, file.size, warning, jobId, performance.now() - t0);
    last = { files: [file], config: forced, analysis: parser.runs.find((r) => r.first === 0)!.analysis };
    return { snapshot, report: buildReport(snapshot, cfg) };
  },

  /** The other side of analyzeGzip: parses the pieces that arrive on `port`, in turn, and sends its runs back. */
  parsePieces(
    jobId: number,
    name: string,
    lastModified: number,
    port: MessagePort,
    onSnapshot: (s: Snapshot) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      let parser: PieceParser | null = null;
      const queue: Piece[] = [];
      let ending = false;
      let busy = false;
      const run = async (): Promise<void> => {
        if (busy) return;
        busy = true;
        try {
          while (queue.length > 0) {
            const p = queue.shift()!;
            await parser!.parse(p, { jobId, intervalMs: 200, onSnapshot });
            port.postMessage({ ack: p.index } satisfies PortMessage);
          }
          if (ending) {
            port.postMessage({ runs: parser?.runs ?? [] } satisfies PortMessage);
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
        if ('config' in m) parser = new PieceParser(m.config, name, lastModified);
        else if ('piece' in m) queue.push(m.piece);
        else if ('end' in m) ending = true;
        void run();
      };
    });
  },

  /** The format detected on the file's first MiB (for slices read in parallel, which must agree on it). */
  async detect(file: File, config: unknown): Promise<{ format: string; gzip: boolean }> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    return detectHead(file, parsed.config);
  },

  /**
   * One slice of a file, for parallel analysis (see analyze()'s `range`). The slice's analysis is kept, for
   * `takeState` (the other workers) or `mergeSlices` (the first worker).
   */
  async analyzeSlice(
    jobId: number,
    file: File,
    config: unknown,
    range: { start: number; end: number },
    onSnapshot: (s: Snapshot) => void,
    lightProgress = false,
  ): Promise<Snapshot> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    let kept: Analysis | null = null;
    const snapshot = await analyze([file], parsed.config, {
      jobId,
      onSnapshot,
      intervalMs: 200,
      range,
      lightProgress,
      keep: (a) => (kept = a),
    });
    last = kept === null ? null : { files: [file], config: parsed.config, analysis: kept };
    return snapshot;
  },

  /** This worker's slice analysis, to be merged by another worker (structured clone: data only). */
  takeState(): Analysis {
    if (last === null) throw new Error('no slice analyzed');
    return last.analysis;
  },

  /**
   * Merges the later slices' analyses into this worker's (the first slice), in order, and returns the whole
   * file's snapshot and report. `userConfig` is what the report shows (the slices ran with the format forced).
   */
  mergeSlices(
    jobId: number,
    states: Analysis[],
    slices: Snapshot[],
    userConfig: unknown,
    elapsedMs: number,
  ): AnalysisResult {
    if (last === null) throw new Error('no slice analyzed');
    let lines = slices[0]!.totals.lines;
    states.forEach((s, i) => {
      last!.analysis.merge(s, lines);
      lines += slices[i + 1]!.totals.lines;
    });
    const snapshot = mergedSnapshot(
      last.analysis,
      slices.map((s) => s.files[0]!),
      jobId,
      elapsedMs,
    );
    const parsed = parseConfig(userConfig);
    return { snapshot, report: buildReport(snapshot, parsed.ok ? parsed.config : last.config) };
  },

  /**
   * Every record of the last analysis as CSV or JSON Lines, read again from the files and written in 1 MiB
   * parts: each part becomes a Blob at once (the browser may keep it on disk), so no giant string is built.
   */
  async exportRecords(kind: RecordExportKind): Promise<Blob> {
    if (last === null) throw new Error('Nothing to export: analyze a file first.');
    const parts: Blob[] = [];
    await exportRecords(last.files, last.config, kind, last.analysis.templates, (chunk) =>
      parts.push(new Blob([chunk])),
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
  async linesIn(files: File[], fileIndex: number, offset: number, length: number): Promise<LineAt[]> {
    const file = orderRotated(files)[fileIndex];
    if (file === undefined) throw new Error('That file is not part of this analysis any more.');
    return linesAround(file, offset, length);
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

function gzipWarning(e: unknown, decompressed: number): string {
  const message = e instanceof Error ? e.message : String(e);
  return `The gzip data is truncated or corrupt (${message}); the ${formatBytes(decompressed)} decompressed before that were analyzed.`;
}

export type EngineApi = typeof api;

Comlink.expose(api);
