/**
 * `--threads N`: the files read on N threads (this one and N − 1 worker threads), as the page reads a big file
 * with several workers. The plan (src/engine/slicing.ts) cuts each big plain file of a known format in slices and
 * keeps the others whole; every piece's Analysis comes back by structured clone and is merged in file order with
 * its line offset: equal to one pass (tests/unit/parallel.test.ts for the engine, tests/unit/cli-threads.test.ts
 * for the command line) as long as no cap is reached — past the services or templates cap each piece fills its
 * own cap before the merge, so what lands beyond it can differ (main.ts says so when it happens).
 */
import { Worker } from 'node:worker_threads';
import type { Analysis } from '../engine/analysis.ts';
import { analyze, mergedFileSummary } from '../engine/analyze.ts';
import type { Config } from '../engine/config.ts';
import { orderRotated } from '../engine/ingest/rotation.ts';
import { SLICE_MIN_BYTES, mayBeSliced, planPieces, type Piece } from '../engine/slicing.ts';
import { detectHead } from '../engine/detect-head.ts';
import type { FileSummary, LogRecord, Snapshot } from '../engine/types.ts';
import type { DiskInput } from './node-input.ts';

/** What every worker thread is started with. */
export interface WorkerSetup {
  config: Config;
  /** a query's text (docs/query.md): every piece is analyzed as that view */
  where: string;
  /** post progress while reading (only when someone shows it) */
  progress: boolean;
}
export interface ToWorker {
  index: number;
  piece: Piece;
  file: { path: string; size: number; lastModified: number };
}
export type FromWorker =
  | { kind: 'progress'; index: number; bytes: number; records: number }
  | { kind: 'done'; index: number; snapshot: Snapshot; analysis: Analysis }
  | { kind: 'failed'; index: number; message: string };

/**
 * From this much input the command line reads on several threads: more than the page's SLICE_MIN_BYTES,
 * because each worker thread first compiles the engine (through tsx: ~0.5 s), which a smaller file does not
 * repay (200 MB: 0.95× on 2 threads; 1 GB: 1.41×).
 */
export const CLI_SLICE_MIN_BYTES = Math.max(SLICE_MIN_BYTES, 256 * 1024 * 1024);

/**
 * The size from which a file is sliced. LOGLENS_SLICE_MIN_BYTES lowers it for tests only
 * (tests/unit/cli-threads.test.ts), so that a few-MB file takes the parallel path; it is not a user setting.
 */
export function sliceMinBytes(): number {
  const n = Number(process.env['LOGLENS_SLICE_MIN_BYTES']);
  return Number.isInteger(n) && n > 0 ? n : CLI_SLICE_MIN_BYTES;
}

export interface ThreadedOptions {
  threads: number;
  /** the bytes read and records made so far, of all pieces */
  onProgress?: (bytesRead: number, totalBytes: number, records: number) => void;
  keep?: (analysis: Analysis) => void;
  /** told how the files are shared out, when more than one thread reads them */
  onPlan?: (plan: string) => void;
  /** a query's text: the analysis of the records it matches (analyze()'s `where`) */
  where?: string;
  /** every matching record, in file order (one thread only: threads > 1 is refused) */
  onRecord?: (r: LogRecord) => void;
}

/**
 * The analysis of `given` on up to `threads` threads; the single-threaded analyze() when there is nothing to
 * share (one thread, less than a slice's worth of bytes, or a single piece).
 */
export async function analyzeThreaded(
  given: readonly DiskInput[],
  config: Config,
  opts: ThreadedOptions,
): Promise<Snapshot> {
  const started = performance.now();
  const minBytes = sliceMinBytes();
  const inputs = orderRotated(given);
  const sizes = inputs.map((f) => f.size);
  const total = sizes.reduce((s, n) => s + n, 0);
  const heads = [];
  for (const f of inputs)
    heads.push(mayBeSliced(f.size, opts.threads, minBytes) ? await detectHead(f, config) : null);
  const pieces = planPieces(sizes, heads, opts.threads, config.format, minBytes);
  const onProgress = opts.onProgress;
  if (opts.onRecord && opts.threads > 1) throw new Error('records are handed out on one thread only');
  if (opts.threads < 2 || total < minBytes || pieces.length < 2) {
    return analyze(given, config, {
      ...(opts.keep ? { keep: opts.keep } : {}),
      ...(opts.where ? { where: opts.where } : {}),
      ...(opts.onRecord ? { onRecord: opts.onRecord } : {}),
      ...(onProgress
        ? { onSnapshot: (s) => onProgress(s.progress.bytesRead, s.progress.totalBytes, s.progress.records) }
        : {}),
    });
  }

  opts.onPlan?.(describePlan(pieces, inputs, opts.threads));
  const bytes = pieces.map(() => 0);
  const records = pieces.map(() => 0);
  const progress = (index: number, b: number, r: number): void => {
    bytes[index] = b;
    records[index] = r;
    onProgress?.(
      bytes.reduce((s, x) => s + x, 0),
      total,
      records.reduce((s, x) => s + x, 0),
    );
  };
  const where = opts.where ?? '';
  const results = await runPieces(pieces, inputs, config, where, opts.threads, onProgress ? progress : null);

  // merged in file order: a later slice's line numbers count from its own first line (all its lines: a view's
  // totals count the lines of its records only)
  const linesOf = (s: Snapshot): number => s.view?.linesRead ?? s.totals.lines;
  const base = results[0]!.analysis;
  let lineOffset = linesOf(results[0]!.snapshot);
  for (let i = 1; i < pieces.length; i++) {
    const sameFile = pieces[i]!.file === pieces[i - 1]!.file;
    if (!sameFile) lineOffset = 0;
    base.merge(results[i]!.analysis, lineOffset);
    lineOffset += linesOf(results[i]!.snapshot);
  }
  const files = inputs.map((_, file) => fileSummary(results.filter((_, i) => pieces[i]!.file === file)));
  opts.keep?.(base);
  const state = base.snapshot(Infinity);
  return {
    jobId: 0,
    progress: {
      bytesRead: total,
      totalBytes: total,
      records: state.totals.records,
      elapsedMs: performance.now() - started,
      fileIndex: Math.max(0, inputs.length - 1),
      done: true,
    },
    files,
    ...state,
    error: null,
  };
}

/** "read on 2 threads: x.log in 2 slices, y.log.1 whole" */
function describePlan(pieces: readonly Piece[], inputs: readonly DiskInput[], threads: number): string {
  const used = Math.min(threads, pieces.length);
  const each = inputs.map((f, i) => {
    const n = pieces.filter((p) => p.file === i).length;
    return `${f.name} ${n > 1 ? `in ${n} slices` : 'whole'}`;
  });
  return `read on ${used} threads: ${each.join(', ')}`;
}

/** A file's summary: its one piece's, or its slices' joined. */
function fileSummary(parts: readonly { snapshot: Snapshot }[]): FileSummary {
  if (parts.length === 1) return parts[0]!.snapshot.files[0]!;
  const sum = (k: 'truncatedLines' | 'invalidUtf8'): number =>
    parts.reduce((s, p) => s + p.snapshot.totals[k], 0);
  return mergedFileSummary(
    parts.map((p) => p.snapshot.files[0]!),
    { truncatedLines: sum('truncatedLines'), invalidUtf8: sum('invalidUtf8') },
  );
}

interface Done {
  snapshot: Snapshot;
  analysis: Analysis;
}

/**
 * Every piece analyzed: this thread reads the first (its Analysis is a real one, the base of the merge) and then
 * takes pieces from the queue like the worker threads do.
 */
async function runPieces(
  pieces: readonly Piece[],
  inputs: readonly DiskInput[],
  config: Config,
  where: string,
  threads: number,
  progress: ((index: number, bytes: number, records: number) => void) | null,
): Promise<Done[]> {
  const results: Done[] = [];
  let next = 0;
  const take = (): number | null => (next < pieces.length ? next++ : null);
  const message = (index: number): ToWorker => {
    const f = inputs[pieces[index]!.file]!;
    return {
      index,
      piece: pieces[index]!,
      file: { path: f.path, size: f.size, lastModified: f.lastModified },
    };
  };
  const here = async (): Promise<void> => {
    for (let i = take(); i !== null; i = take()) {
      const piece = pieces[i]!;
      const index = i;
      let kept: Analysis | null = null;
      const snapshot = await analyze(
        [inputs[piece.file]!],
        piece.range ? { ...config, format: piece.format } : config,
        {
          fileIndex: piece.file,
          ...(piece.range ? { range: piece.range } : {}),
          lightProgress: true,
          where,
          keep: (a) => (kept = a),
          ...(progress
            ? { onSnapshot: (s) => progress(index, s.progress.bytesRead, s.progress.records) }
            : {}),
        },
      );
      results[i] = { snapshot, analysis: kept! };
    }
  };
  const workers = Array.from({ length: Math.min(threads, pieces.length) - 1 }, () =>
    startWorker({ config, where, progress: progress !== null }),
  );
  const there = (w: Worker): Promise<void> =>
    new Promise((done, fail) => {
      const send = (): void => {
        const i = take();
        if (i === null) done();
        else w.postMessage(message(i));
      };
      w.on('message', (m: FromWorker) => {
        if (m.kind === 'progress') progress?.(m.index, m.bytes, m.records);
        else if (m.kind === 'failed') fail(new Error(`worker thread: ${m.message}`));
        else {
          results[m.index] = { snapshot: m.snapshot, analysis: m.analysis };
          send();
        }
      });
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`a worker thread stopped (exit code ${code})`)));
      send();
    });
  try {
    // this thread takes the first piece before any worker can
    await Promise.all([here(), ...workers.map(there)]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * A worker thread running worker.ts. Under tsx (`npm run analyze`) the loader registered in this thread does
 * not reach worker threads (Node 20), so the worker registers tsx's API itself before importing its entry.
 */
function startWorker(setup: WorkerSetup): Worker {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData: setup });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const code = `import(${tsx}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData: setup });
}
