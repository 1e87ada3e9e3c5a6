/**
 * The engine's worker entry: exposes the engine through Comlink. The page passes Files (not text) and a
 * proxied callback; only plain data from src/engine/types.ts and report.ts, and Blobs, come back.
 */
import * as Comlink from 'comlink';
import { analyze } from '../engine/analyze.ts';
import { parseConfig, type Config } from '../engine/config.ts';
import { buildReport, type Report } from '../engine/report.ts';
import { generateSample, type SampleOptions } from '../engine/sample.ts';
import { exportRecords, templatesCsv, type RecordExportKind } from '../engine/export.ts';
import type { Analysis } from '../engine/analysis.ts';
import type { Snapshot } from '../engine/types.ts';

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
  ): Promise<AnalysisResult> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    last = null;
    let kept: Analysis | null = null;
    const snapshot = await analyze(files, parsed.config, {
      jobId,
      onSnapshot,
      intervalMs: 200,
      keep: (a) => (kept = a),
    });
    if (kept !== null) last = { files, config: parsed.config, analysis: kept };
    return { snapshot, report: buildReport(snapshot, parsed.config) };
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
