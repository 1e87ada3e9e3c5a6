/**
 * The engine's worker entry: exposes the engine through Comlink. The page passes Files (not text) and a
 * proxied callback; only plain data from src/engine/types.ts and report.ts comes back.
 */
import * as Comlink from 'comlink';
import { analyze } from '../engine/analyze.ts';
import { parseConfig } from '../engine/config.ts';
import { buildReport, type Report } from '../engine/report.ts';
import { generateSample, type SampleOptions } from '../engine/sample.ts';
import type { Snapshot } from '../engine/types.ts';

export interface AnalysisResult {
  snapshot: Snapshot;
  report: Report;
}

const api = {
  async analyze(
    jobId: number,
    files: File[],
    config: unknown,
    onSnapshot: (s: Snapshot) => void,
  ): Promise<AnalysisResult> {
    const parsed = parseConfig(config);
    if (!parsed.ok) throw new Error(`The settings are not valid: ${parsed.errors.join('; ')}`);
    const snapshot = await analyze(files, parsed.config, { jobId, onSnapshot, intervalMs: 200 });
    return { snapshot, report: buildReport(snapshot, parsed.config) };
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
