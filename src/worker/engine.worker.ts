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

export type EngineApi = typeof api;

Comlink.expose(api);
