/**
 * Live analysis (docs/live.md): the same pipeline as a finished file (analyze() with `live: true`) fed a stream
 * that does not end — a followed file, standard input, `loglens serve`'s /live. What this file adds: idle ticks
 * (an empty chunk when the source is quiet, so what is held back for more bytes is shown) and the incidents'
 * open and close events, read off successive snapshots.
 */
import type { Incident, Snapshot } from './types.ts';
import type { Config } from './config.ts';
import type { RecordIndexSnapshot } from './analyzers/record-index.ts';
import type { ByteInput } from './ingest/source.ts';

/** How long a source may stay quiet before an idle tick: the last record is shown after about this. */
export const IDLE_MS = 300;

/**
 * The stream's chunks, and an empty chunk whenever it stays quiet for `idleMs` (again every `idleMs` while it
 * stays so): what analyze({ live: true }) takes as "nothing more for now". Closing `stop` ends it cleanly.
 */
export function withIdleTicks(
  source: ReadableStream<Uint8Array>,
  idleMs = IDLE_MS,
  stop?: Promise<void>,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ended = false;
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  const clear = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      void stop?.then(() => {
        if (ended) return;
        ended = true;
        clear();
        controller.close();
        void reader.cancel().catch(() => undefined);
      });
    },
    async pull(controller) {
      if (ended) return;
      pending ??= reader.read();
      const tick = new Promise<'idle'>((resolve) => {
        timer = setTimeout(() => resolve('idle'), idleMs);
      });
      const r = await Promise.race([pending, tick]);
      clear();
      if (ended) return;
      if (r === 'idle') {
        controller.enqueue(new Uint8Array(0));
        return;
      }
      pending = null;
      if (r.done) {
        ended = true;
        controller.close();
      } else controller.enqueue(r.value);
    },
    async cancel() {
      ended = true;
      clear();
      await reader.cancel().catch(() => undefined);
    },
  });
}

/** An incident opening or closing, as the command line's `--json` prints it and the page notifies. */
export interface IncidentEvent {
  type: 'incident';
  state: 'open' | 'closed';
  id: string;
  kind: Incident['kind'];
  title: string;
  /** ISO times of its first and last bucket */
  start: string;
  end: string;
  severity: number;
  records: number;
  errors: number;
}

interface Tracked {
  incident: Incident;
  /** the latest log time seen when its end last grew */
  grewAt: number;
}

/**
 * What `loglens serve` keeps of a stream unless `--keep` says otherwise, for a page that connects late (or
 * reloads) and for its log view's reads: past this, a new page starts from later bytes, and the log view lists
 * the later records only. (The page says it when the server's /live/info does not.)
 */
export const SERVE_KEEP = 256 * 1024 * 1024;

/** How long an incident may stop growing before it is closed: the longer of a spike window and a bucket. */
export function incidentWindowMs(config: Pick<Config, 'spikes' | 'anomalies'>): number {
  return Math.max(config.spikes.windowSec, config.anomalies.bucketSec) * 1000;
}

/**
 * Reads incidents' open and close events off successive snapshots of a live analysis. "Now" is the log's own
 * clock (the latest record time), so replaying a file gives the same events as watching it grow:
 * - open: an incident in a snapshot whose end is within `windowMs` of now (one long past is history);
 * - closed: an open incident that stopped growing for `windowMs` of log time, or that left the list;
 * - open again: a closed incident that grows again (a new finding at most one quiet bucket after it is the same
 *   incident: detectors' MERGE_GAP_BUCKETS), announced open once more, with its id.
 * An incident's id follows its start, which can move as it grows: an incident overlapping a new id is the same
 * incident.
 */
export class IncidentTracker {
  private readonly open = new Map<string, Tracked>();
  /**
   * incidents announced and closed since, by id: their span when closed. One that grows past that end opens
   * again; one that does not is not announced twice. Forgotten once their end is a window behind now (seen
   * then, unchanged, it is history; grown, it is news), so hours of following keep few.
   */
  private readonly closed = new Map<string, { start: number; end: number }>();

  constructor(private readonly windowMs: number) {
    if (!(windowMs > 0)) throw new Error('the window must be positive');
  }

  /** The incidents open now. */
  get openCount(): number {
    return this.open.size;
  }

  /**
   * The events since the last snapshot: closes first, then opens. A live analysis' snapshots made while its
   * backlog is read (`progress.caughtUp` false: the file's history, read at full speed) announce nothing, as
   * "now" is not yet the log's now there; from the first snapshot caught up, an incident over by then is history.
   */
  update(s: Snapshot): IncidentEvent[] {
    if (s.progress.caughtUp === false) return [];
    const now = s.timeRange?.end ?? null;
    if (now === null) return [];
    const closed: IncidentEvent[] = [];
    const opened: IncidentEvent[] = [];
    const current = s.detectors.incidents;
    const matched = new Set<string>();
    for (const inc of current) {
      const same =
        this.open.get(inc.id) ??
        [...this.open.values()].find((t) => t.incident.start < inc.end && inc.start < t.incident.end);
      if (same !== undefined) {
        this.open.delete(same.incident.id);
        if (inc.end > same.incident.end) same.grewAt = now;
        same.incident = inc;
        this.open.set(inc.id, same);
        matched.add(inc.id);
        continue;
      }
      if (inc.end < now - this.windowMs) continue; // history, or closed and not grown since
      const was = this.closed.get(inc.id) !== undefined ? inc.id : this.closedOverlapping(inc);
      if (was !== null) {
        if (inc.end <= this.closed.get(was)!.end) continue; // closed, and not grown since
        this.closed.delete(was);
      }
      this.open.set(inc.id, { incident: inc, grewAt: now });
      matched.add(inc.id);
      opened.push(incidentEvent(inc, 'open'));
    }
    for (const [id, t] of this.open) {
      if (matched.has(id) && now - t.grewAt < this.windowMs) continue;
      this.open.delete(id);
      this.closed.set(id, { start: t.incident.start, end: t.incident.end });
      closed.push(incidentEvent(t.incident, 'closed'));
    }
    for (const [id, c] of this.closed) if (c.end < now - this.windowMs) this.closed.delete(id);
    return [...closed, ...opened];
  }

  /** The id of a closed incident that overlaps `inc` in time, or null. */
  private closedOverlapping(inc: Incident): string | null {
    for (const [id, c] of this.closed) if (c.start < inc.end && inc.start < c.end) return id;
    return null;
  }

  /** At the end of a live analysis: every incident still open, as closed events. */
  closeAll(): IncidentEvent[] {
    const out = [...this.open.values()].map((t) => incidentEvent(t.incident, 'closed'));
    this.open.clear();
    return out;
  }
}

export function incidentEvent(i: Incident, state: IncidentEvent['state']): IncidentEvent {
  return {
    type: 'incident',
    state,
    id: i.id,
    kind: i.kind,
    title: i.title,
    start: new Date(i.start).toISOString(),
    end: new Date(i.end).toISOString(),
    severity: i.severity,
    records: i.records,
    errors: i.errors,
  };
}

/** The status of a live analysis: what the command line's status line and `--json` status events say. */
export interface LiveStatus {
  type: 'status';
  records: number;
  errors: number;
  /** records a second over the last few seconds of wall time */
  rate: number;
  openIncidents: number;
}

/** Records per second over a sliding few seconds of wall time. */
export class RateMeter {
  private readonly points: { at: number; records: number }[] = [];

  constructor(private readonly spanMs = 5000) {}

  add(at: number, records: number): number {
    this.points.push({ at, records });
    while (this.points.length > 2 && at - this.points[0]!.at > this.spanMs) this.points.shift();
    const first = this.points[0]!;
    const ms = at - first.at;
    return ms > 0 ? ((records - first.records) * 1000) / ms : 0;
  }
}

/** Errors in a snapshot: records at ERROR or FATAL. */
export function errorCount(s: Snapshot): number {
  return (s.levels[4] ?? 0) + (s.levels[5] ?? 0); // LEVELS order: … ERROR, FATAL
}

/** The first bytes of a followed file compared at each poll, to tell a replaced file from a grown one. */
export const HEAD_CHECK_BYTES = 256;

async function startsWith(file: Blob, head: Uint8Array): Promise<boolean> {
  const now = new Uint8Array(await file.slice(0, head.length).arrayBuffer());
  if (now.length !== head.length) return false;
  for (let i = 0; i < head.length; i++) if (now[i] !== head[i]) return false;
  return true;
}

/** Why a followed file's stream ended: asked to stop, or the file shrank (truncated or replaced). */
export type FollowEnd = 'stopped' | 'truncated';

/** A followed file of the page (a FileSystemFileHandle gives a fresh File of what is there now). */
export interface FollowedFile {
  readonly stream: ReadableStream<Uint8Array>;
  /** why it ended; null while it goes on */
  readonly ended: FollowEnd | null;
  stop(): void;
}

/**
 * The page's `tail -F` (the command line's is src/cli/follow.ts): `getFile()` every `pollMs`, and the bytes
 * past what was read, or an idle tick (an empty chunk) when there are none. A file smaller than what was read,
 * or whose first bytes (up to HEAD_CHECK_BYTES) are no longer those read, was truncated or replaced: the stream ends with `ended` saying so, and the caller follows it anew. The first
 * read takes the whole file in slices of `sliceBytes`, so a big file streams as File.stream() would.
 */
export function followBlob(
  getFile: () => Promise<Blob>,
  pollMs = 1000,
  sliceBytes = 4 * 1024 * 1024,
): FollowedFile {
  let ended: FollowEnd | null = null;
  let stopping = false;
  let position = 0;
  let caughtUp = false;
  let wake: (() => void) | null = null;
  /** the file's first bytes as read (up to HEAD_CHECK_BYTES): a file replaced by one as large differs there */
  let head = new Uint8Array(0);
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stopping) {
        ended ??= 'stopped';
        controller.close();
        return;
      }
      const file = await getFile();
      if (file.size < position || (head.length > 0 && !(await startsWith(file, head)))) {
        // smaller than what was read, or its first bytes differ: truncated, or replaced by another file
        ended = 'truncated';
        controller.close();
        return;
      }
      if (file.size > position) {
        const end = Math.min(file.size, position + sliceBytes);
        const bytes = new Uint8Array(await file.slice(position, end).arrayBuffer());
        if (head.length < HEAD_CHECK_BYTES) {
          const more = bytes.subarray(0, HEAD_CHECK_BYTES - head.length);
          const grown = new Uint8Array(head.length + more.length);
          grown.set(head);
          grown.set(more, head.length);
          head = grown;
        }
        position = end;
        controller.enqueue(bytes);
        caughtUp = false;
        return;
      }
      if (!caughtUp) {
        // caught up with the file: an idle tick at once, so what was just read is shown now, not a poll later
        caughtUp = true;
        controller.enqueue(new Uint8Array(0));
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
      controller.enqueue(new Uint8Array(0));
    },
  });
  return {
    stream,
    get ended() {
      return ended;
    },
    stop() {
      stopping = true;
      (wake as (() => void) | null)?.();
    },
  };
}

/**
 * Whether a snapshot's new alerts and incidents are news, for the page's notifications: always for an analysis
 * of files; for a live one (its snapshots say `progress.caughtUp`), not while its backlog is read, nor at the
 * first snapshot caught up (following has just started: the dashboard shows what was already there), and from
 * then on yes. A new job (a file followed anew) starts over.
 */
export class LiveNews {
  private job = -1;
  private started = false;

  news(s: Snapshot): boolean {
    const caughtUp = s.progress.caughtUp;
    if (caughtUp === undefined) return true;
    if (s.jobId !== this.job) {
      this.job = s.jobId;
      this.started = false;
    }
    if (!caughtUp) return false;
    if (!this.started) {
      this.started = true;
      return false;
    }
    return true;
  }
}

/**
 * Bytes of `loglens serve`'s stream that the server still keeps (docs/live.md): `url` (its /live/bytes with the
 * generation) answers `&start=A&end=B` with those bytes, or 416 once they are gone. `start`: the stream offset of
 * the first byte read through it, `size`: how many bytes from there.
 */
export interface RemoteBytes {
  readonly name: string;
  readonly url: string;
  readonly start: number;
  readonly size: number;
  /** the stream is gzip (as the analysis found): the log view's reads need not fetch its magic bytes */
  readonly gzip?: boolean;
}

/**
 * The log view's input for a stream: read by range from the server (the page keeps none of the stream). Slices
 * as a Blob's (offsets from `start`), and stream() for a reader that inflates from the start.
 */
export function remoteInput(r: RemoteBytes): ByteInput & Partial<Blob> {
  const get = async (a: number, b: number): Promise<Response> => {
    const clamp = (x: number): number => r.start + Math.max(0, Math.min(x, r.size));
    const res = await fetch(`${r.url}&start=${clamp(a)}&end=${clamp(b)}`, { cache: 'no-store' });
    if (!res.ok || res.body === null) {
      // a body never read keeps the request alive in Chromium (its loader and buffers, about 16 KB each: a log
      // view following a stream whose start the server drops asks such ranges every few seconds)
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`${r.name}: loglens serve no longer keeps those bytes of the stream (${res.status})`);
    }
    return res;
  };
  const input = {
    name: r.name,
    ...(r.gzip !== undefined ? { gzip: r.gzip } : {}),
    size: r.size,
    streamBytes: r.size,
    slice: (a = 0, b = r.size) => ({ arrayBuffer: async () => (await get(a, b)).arrayBuffer() }),
    stream: (): ReadableStream<Uint8Array> => {
      let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
      return new ReadableStream<Uint8Array>({
        async pull(c) {
          reader ??= (await get(0, r.size)).body!.getReader();
          const x = await reader.read();
          if (x.done) c.close();
          else c.enqueue(x.value);
        },
        async cancel() {
          await reader?.cancel();
        },
      });
    },
  };
  return input as unknown as ByteInput & Partial<Blob>;
}

/**
 * A record index of a stream (one input) for the bytes kept from stream offset `from` on (by the server): the
 * checkpoints at or after `from`, their offsets, records and record numbers made relative to the first of them
 * (line numbers stay the stream's). `skip`: where that first checkpoint is in the kept bytes (the kept file is
 * read from there); `first`: its record number in the whole stream. Null when no checkpoint is kept.
 */
export function keptIndex(
  index: RecordIndexSnapshot,
  from: number,
): { index: RecordIndexSnapshot; skip: number; first: number } | null {
  if (from === 0) return { index, skip: 0, first: 0 };
  const f = index.files[0];
  if (f === undefined || index.files.length !== 1) return null;
  const i = f.offset.findIndex((o) => o >= from);
  if (i < 0) return null;
  const o = f.offset[i]!;
  const r = f.record[i]!;
  return {
    index: {
      files: [
        {
          ...f,
          records: f.records - r,
          offset: f.offset.slice(i).map((x) => x - o),
          line: f.line.slice(i),
          record: f.record.slice(i).map((x) => x - r),
          time: f.time.slice(i),
        },
      ],
    },
    skip: o - from,
    first: r,
  };
}
