/**
 * A worker thread of the command line (src/cli/threads.ts): analyzes the pieces it is sent — a whole file or a
 * slice of one — and posts back each piece's final snapshot and Analysis (a structured clone: merges read only
 * data), as the page's slice workers do.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Analysis } from '../engine/analysis.ts';
import { analyze } from '../engine/analyze.ts';
import { parseConfig, type Config } from '../engine/config.ts';
import { diskInput } from './node-input.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './threads.ts';

const port = parentPort!;
const setup = workerData as WorkerSetup;
/** the config as every piece of this format reads it (parsed once: it may hold user regexes) */
const configs = new Map<string, Config>();

function configFor(format: string): Config {
  let config = configs.get(format);
  if (config === undefined) {
    const parsed = parseConfig({ ...setup.config, format });
    if (!parsed.ok) throw new Error(`the config is not valid: ${parsed.errors.join('; ')}`);
    config = parsed.config;
    configs.set(format, config);
  }
  return config;
}

port.on('message', (m: ToWorker) => {
  void run(m).then(
    (reply) => port.postMessage(reply),
    (e: unknown) =>
      port.postMessage({
        kind: 'failed',
        index: m.index,
        message: e instanceof Error ? (e.stack ?? e.message) : String(e),
      } satisfies FromWorker),
  );
});

async function run(m: ToWorker): Promise<FromWorker> {
  const { piece, file } = m;
  let kept: Analysis | null = null;
  const snapshot = await analyze(
    [diskInput(file.path, file.size, file.lastModified)],
    configFor(piece.format),
    {
      fileIndex: piece.file,
      ...(piece.range ? { range: piece.range } : {}),
      lightProgress: true,
      where: setup.where,
      keep: (a) => (kept = a),
      ...(setup.progress
        ? {
            onSnapshot: (s) =>
              port.postMessage({
                kind: 'progress',
                index: m.index,
                bytes: s.progress.bytesRead,
                records: s.progress.records,
              } satisfies FromWorker),
          }
        : {}),
    },
  );
  return { kind: 'done', index: m.index, snapshot, analysis: kept! };
}
