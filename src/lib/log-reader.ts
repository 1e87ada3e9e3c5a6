/**
 * The log view's engine worker: it reads pages of records from the Files through the analysis' record index
 * (src/worker/engine.worker.ts readRecords), apart from the analysis' workers (which a new analysis terminates).
 * One for the page, made while the page is idle after loading (as the session's spare worker is), so opening the
 * log view fetches nothing and starts no worker.
 */
import * as Comlink from 'comlink';
import type { EngineApi, RecordInput } from '../worker/engine.worker.ts';
import type { Config } from '../engine/config.ts';
import type { RecordIndexSnapshot } from '../engine/analyzers/record-index.ts';
import type { RecordsPage } from '../engine/read-records.ts';
import type { LineAt } from '../engine/lines-around.ts';

export interface RecordSource {
  /** Files, or a followed file's handle (docs/live.md) */
  files: RecordInput[];
  index: RecordIndexSnapshot;
  formats: string[];
  config: Config;
}

let api: Comlink.Remote<EngineApi> | null = null;
/** the source the worker holds (sent with the first page asked of it) */
let sent: RecordSource | null = null;

function remote(): Comlink.Remote<EngineApi> {
  if (api === null) {
    const worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' });
    api = Comlink.wrap<EngineApi>(worker);
  }
  return api;
}

/** Makes the worker when the page is idle (at the latest after `timeout` ms). */
export function prewarmLogReader(timeout = 1000): void {
  if (api !== null || typeof window === 'undefined') return;
  if ('requestIdleCallback' in window) requestIdleCallback(() => remote(), { timeout });
  else setTimeout(() => remote(), timeout);
}

export class LogReader {
  read(source: RecordSource, fromRecord: number, count: number, where?: string): Promise<RecordsPage> {
    const send = sent !== source;
    sent = source;
    const opts = where ? { fromRecord, count, where } : { fromRecord, count };
    return remote().readRecords(
      source.files,
      opts,
      send ? { index: source.index, formats: source.formats, config: plainCopy(source.config) } : undefined,
    );
  }

  lines(files: RecordInput[], fileIndex: number, offset: number, length: number): Promise<LineAt[]> {
    return remote().linesIn(files, fileIndex, offset, length);
  }
}

/** A plain copy of a config (a Svelte state proxy cannot be structured-cloned). */
function plainCopy(config: Config): unknown {
  return JSON.parse(JSON.stringify(config)) as unknown;
}

prewarmLogReader();
