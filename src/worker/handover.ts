/**
 * The end of a sliced read, worker to worker: each later slice posts its analysis on its own MessagePort (a
 * MessageChannel the page made, one end given to each worker), and the first slice's worker receives them and
 * merges. The states never cross the page's main thread (there, decoding and encoding them again was an 80 ms
 * long task on 1 GB).
 */
import type { Analysis } from '../engine/analysis.ts';
import { applyWholeReads, mergedSnapshot, type WholeReads } from '../engine/analyze.ts';
import type { FileSummary, Snapshot } from '../engine/types.ts';

/**
 * A later slice's worker that sends nothing for this long is gone (terminated, crashed): the first one stops
 * waiting. It sends a beat with every progress snapshot while it reads (~5 a second); the page's watchdog
 * (15 s) normally speaks first.
 */
export const SILENT_MS = 20_000;

/** What a later slice sends on its port. `jobId` lets the first worker drop a cancelled job's messages. */
export type SliceMessage =
  | { jobId: number; beat: true }
  | { jobId: number; state: Analysis; file: FileSummary; lines: number }
  | { jobId: number; error: string };

/** A later slice's result, as the first slice's worker merges it. */
export interface SlicePart {
  state: Analysis;
  file: FileSummary;
  lines: number;
}

/** The later slice's side: its analysis and what the merge needs of its final snapshot. */
export function sendSlice(port: MessagePort, jobId: number, final: Snapshot, state: Analysis): void {
  port.postMessage({
    jobId,
    state,
    file: final.files[0]!,
    lines: linesRead(final),
  } satisfies SliceMessage);
}

export function sendBeat(port: MessagePort, jobId: number): void {
  port.postMessage({ jobId, beat: true } satisfies SliceMessage);
}

export function sendError(port: MessagePort, jobId: number, e: unknown): void {
  port.postMessage({ jobId, error: e instanceof Error ? e.message : String(e) } satisfies SliceMessage);
}

/**
 * The first slice's side: listens from the start (a state that comes while this worker still reads is kept),
 * and `all()` waits for one state per port, in slice order. It fails with a slice's own error message, when a
 * port closes before its state came, or when a port stays silent for `silentMs`.
 */
export class SliceReceiver {
  private readonly parts: (SlicePart | null)[];
  private readonly heard: number[];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly ports: readonly MessagePort[],
    jobId: number,
    private readonly silentMs = SILENT_MS,
  ) {
    this.parts = ports.map(() => null);
    this.heard = ports.map(() => performance.now());
    ports.forEach((port, i) => {
      port.onmessage = (e: MessageEvent<SliceMessage>) => {
        const m = e.data;
        if (m.jobId !== jobId) return; // a cancelled job's late message
        this.heard[i] = performance.now();
        if ('state' in m) this.parts[i] = { state: m.state, file: m.file, lines: m.lines };
        else if ('error' in m) this.failure ??= new Error(m.error);
        this.wake?.();
      };
      // where the browser tells (a port whose other end was closed or whose worker went)
      port.addEventListener('close', () => {
        if (this.parts[i] === null) this.failure ??= new Error(`slice ${i + 2} stopped before it finished`);
        this.wake?.();
      });
    });
  }

  async all(): Promise<SlicePart[]> {
    const start = performance.now();
    const timer = setInterval(() => this.wake?.(), Math.min(1000, this.silentMs));
    try {
      for (;;) {
        if (this.failure) throw this.failure;
        if (this.parts.every((p) => p !== null)) return this.parts as SlicePart[];
        const now = performance.now();
        const silent = this.parts.findIndex(
          (p, i) => p === null && now - Math.max(this.heard[i]!, start) >= this.silentMs,
        );
        if (silent !== -1)
          throw new Error(
            `slice ${silent + 2} sent nothing for ${Math.round(this.silentMs / 1000)} s: its worker is gone`,
          );
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      clearInterval(timer);
      this.wake = null;
      this.close();
    }
  }

  /** Stops listening (the job is done, failed or cancelled). */
  close(): void {
    for (const port of this.ports) {
      port.onmessage = null;
      port.close();
    }
  }
}

/** The lines a slice read: a view's totals count its matching records' lines only, `view.linesRead` all. */
function linesRead(final: Snapshot): number {
  return final.view?.linesRead ?? final.totals.lines;
}

/**
 * The whole file's snapshot: the later slices' analyses merged into the first's, in order (a slice's line
 * numbers count from its first line: the merge adds the lines before it). `whole`: the slices are a view read
 * on the fast path with that whole file's analysis (src/engine/ingest/text-view.ts): they share its template
 * miner (ids kept, no miner merged), and the read-level counts are the whole file's (applyWholeReads).
 */
export function mergeSlices(
  first: Analysis,
  firstFinal: Snapshot,
  parts: readonly SlicePart[],
  jobId: number,
  elapsedMs: number,
  whole: WholeReads | null = null,
): Snapshot {
  let lines = linesRead(firstFinal);
  for (const p of parts) {
    first.merge(p.state, lines, whole !== null);
    lines += p.lines;
  }
  const merged = mergedSnapshot(first, [firstFinal.files[0]!, ...parts.map((p) => p.file)], jobId, elapsedMs);
  if (whole !== null) applyWholeReads(merged, whole);
  return merged;
}
