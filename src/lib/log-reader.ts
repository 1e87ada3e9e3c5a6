/**
 * The log view's own engine worker: it reads pages of records from the Files through the analysis' record
 * index (src/worker/engine.worker.ts readRecords), apart from the analysis' workers (which a new analysis
 * terminates). Made on first use, ended with dispose().
 */
import * as Comlink from 'comlink';
import type { EngineApi } from '../worker/engine.worker.ts';
import type { Config } from '../engine/config.ts';
import type { RecordIndexSnapshot } from '../engine/analyzers/record-index.ts';
import type { RecordsPage } from '../engine/read-records.ts';
import type { LineAt } from '../engine/lines-around.ts';

export interface RecordSource {
  files: File[];
  index: RecordIndexSnapshot;
  formats: string[];
  config: Config;
}

export class LogReader {
  private worker: Worker | null = null;
  private api: Comlink.Remote<EngineApi> | null = null;
  /** the source the worker holds (sent with the first page asked of it) */
  private sent: RecordSource | null = null;

  private remote(): Comlink.Remote<EngineApi> {
    if (this.api === null) {
      this.worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' });
      this.api = Comlink.wrap<EngineApi>(this.worker);
    }
    return this.api;
  }

  /** Loads the worker ahead of the first page. */
  warm(): void {
    this.remote();
  }

  read(source: RecordSource, fromRecord: number, count: number, where?: string): Promise<RecordsPage> {
    const send = this.sent !== source;
    this.sent = source;
    const opts = where ? { fromRecord, count, where } : { fromRecord, count };
    return this.remote().readRecords(
      source.files,
      opts,
      send ? { index: source.index, formats: source.formats, config: plainCopy(source.config) } : undefined,
    );
  }

  lines(files: File[], fileIndex: number, offset: number, length: number): Promise<LineAt[]> {
    return this.remote().linesIn(files, fileIndex, offset, length);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.sent = null;
  }
}

/** A plain copy of a config (a Svelte state proxy cannot be structured-cloned). */
function plainCopy(config: Config): unknown {
  return JSON.parse(JSON.stringify(config)) as unknown;
}
