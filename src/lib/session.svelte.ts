import * as Comlink from 'comlink';
import { mayBeSliced, sliceCount, sliceRanges, PIPELINE_MIN_BYTES } from '../engine/slicing.ts';
import type {
  EngineApi,
  AnalysisResult,
  LiveResult,
  LiveSource,
  RecordInput,
} from '../worker/engine.worker.ts';
import { keptIndex, SERVE_KEEP } from '../engine/live.ts';
import { isGzipMagic } from '../engine/ingest/source.ts';
import type { Progress, Snapshot } from '../engine/types.ts';
import type { LineAt } from '../engine/lines-around.ts';
import type { RecordIndexSnapshot } from '../engine/analyzers/record-index.ts';
import type { RecordsPage } from '../engine/read-records.ts';
import type { TimeWindow, WhatChanged } from '../engine/what-changed.ts';
import { buildReport, type Report, type StoppedEarly } from '../engine/report.ts';
import type { Config } from '../engine/config.ts';
import { Watchdog, stallMessage } from './watchdog.ts';
import { binaryBytes, num } from './format.ts';

/**
 * An analysis that sends nothing for this long (or 3× its longest gap so far) is stuck: snapshots come every
 * 200 ms while it reads, heartbeats every second while it waits for bytes. 5 s stopped a 1 GB analysis at a
 * third of the file on a busy 2-core machine (load 8: two workers starved while their slices were read); a
 * worker really stuck stays silent for good, so waiting longer costs only the wait.
 */
export const STALL_MS = 15_000;
/** The watchdog's timer; a check later than CHECK_LATE_MS means the page's own thread was held (Watchdog). */
const CHECK_MS = 500;
const CHECK_LATE_MS = 2000;
/** Messages that still come, but with no byte read and no record made for this long: the read is stuck. */
export const IDLE_MS = 60_000;
/** Big files are read by several workers: one per core, at most this many (src/engine/slicing.ts decides). */
const MAX_SLICES = 4;
/**
 * While reading, the dashboard takes a new snapshot at most this often (the first at once); the progress bar
 * follows every one. Each dashboard update redraws charts and tables: on 2 busy cores, one was 50–200 ms.
 */
export const DASHBOARD_MS = 1000;
/**
 * The same for a view (a query applied to a file read before): it takes seconds, and on 2 cores each redraw is
 * taken from the workers reading it (a 1 GB view: 11–14 long tasks, 0.8–1.2 s of the page's thread in 5.7 s).
 */
export const VIEW_DASHBOARD_MS = 2500;

/** 'stored': a past report reopened from the Recent list, without its files */
export type Status = 'idle' | 'running' | 'done' | 'cancelled' | 'error' | 'stored';

/**
 * Owns the engine worker and the state of the current analysis. Only this class talks to the worker.
 * A new analysis terminates the previous worker (Comlink has no cancel), and a job id drops any result that
 * arrives from a job that has been replaced.
 */
export class AnalysisSession {
  status = $state<Status>('idle');
  /** the snapshot the dashboard shows, replaced whole (never mutated); while reading, at most every DASHBOARD_MS */
  snapshot = $state.raw<Snapshot | null>(null);
  /** the latest progress (every snapshot), for the progress bar */
  progress = $state.raw<Progress | null>(null);
  report = $state.raw<Report | null>(null);
  error = $state<string | null>(null);
  files = $state.raw<File[]>([]);
  /** 0 when idle; increases with each analysis */
  jobId = $state(0);
  /** an export in progress */
  exporting = $state<'csv' | 'jsonl' | null>(null);
  /**
   * The query whose view the dashboard shows (or is reading): '' for the whole file. A view is a new job that
   * re-analyzes the subset in the workers (analyze()'s `where`), on every read path.
   */
  query = $state('');
  /** the whole file's finished analysis, kept while a view is shown: clearing the query returns to it at once */
  whole = $state.raw<{ snapshot: Snapshot; report: Report } | null>(null);

  private worker: Worker | null = null;
  /**
   * The worker that made `whole` (it keeps the whole file's template miner): while it is still `worker`, a view
   * whose query requires a word is read there on the fast path (docs/performance.md, "Search"), not re-analyzed.
   */
  private wholeWorker: Worker | null = null;
  private api: Comlink.Remote<EngineApi> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private dog: Watchdog | null = null;
  /** the settings the current analysis runs with (for a partial report after Cancel) */
  private config: Config | null = null;
  /** the newest snapshot of the running job, shown or not: Cancel and the watchdog report from it */
  private latest: Snapshot | null = null;
  private shownAt = 0;
  /**
   * A live analysis (docs/live.md): what is followed, whether it still is, and what happened to it (a file
   * that shrank and is followed anew, a stream that ended). null: the analysis is of files.
   */
  /**
   * What is followed. `note`: what happened to it (followed anew, ended); `joined`: a stream this page joined
   * after loglens serve had dropped its start (what the dashboard counts from).
   */
  live = $state<{ name: string; following: boolean; note: string | null; joined?: string | null } | null>(
    null,
  );
  /**
   * What the log view reads while following, and after: the followed file's handle (the worker reads the file as
   * it is now) or the stream's bytes that loglens serve keeps (read by range), with the record index for
   * them; `first`: the stream's record number of the first record kept (0: all are). `note`: why there is none.
   */
  liveLog = $state.raw<{ files: RecordInput[]; index: RecordIndexSnapshot; first: number } | null>(null);
  liveLogNote = $state<string | null>(null);
  /** what is followed: a query applied while following follows it again with the query */
  private following: { source: LiveSource; name: string; config: Config } | null = null;
  private showTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Takes a progress snapshot: the progress bar at once, the dashboard at most every DASHBOARD_MS (a trailing
   * timer shows the last one), so charts and tables redraw about once a second however often snapshots come.
   */
  private offer(s: Snapshot): void {
    this.latest = s;
    this.progress = s.progress;
    if (this.showTimer !== null) return;
    // a live analysis sends a snapshot when bytes came (about once a second): shown at once
    const every = this.query === '' ? DASHBOARD_MS : VIEW_DASHBOARD_MS;
    const wait =
      this.snapshot === null || this.live?.following ? 0 : every - (performance.now() - this.shownAt);
    if (wait <= 0) this.show();
    else this.showTimer = setTimeout(() => this.show(), wait);
  }

  private show(): void {
    this.showTimer = null;
    if (this.status !== 'running' || this.latest === null) return;
    this.shownAt = performance.now();
    this.snapshot = this.latest;
    if (this.live?.following) void this.updateLiveLog(this.latest);
  }

  private liveLogCall = 0;

  /** The log view's input and index for a live snapshot (docs/live.md, "The log view while following"). */
  private async updateLiveLog(s: Snapshot): Promise<void> {
    const index = s.recordIndex;
    const source = this.following?.source;
    if (index === undefined || source === undefined) return;
    if ('handle' in source) {
      this.liveLog = { files: [source.handle], index, first: 0 };
      return;
    }
    // the stream: its bytes as loglens serve keeps them (the first may be gone: the server keeps its last
    // `keep` bytes, 256 MiB unless told otherwise); the answers can come out of order: only the latest call's
    // is taken
    const job = this.jobId;
    const call = ++this.liveLogCall;
    const read = await this.api?.liveStream().catch(() => null);
    const info = await fetch(`${source.url}/info`, { cache: 'no-store' })
      .then((r) => r.json() as Promise<{ generation: number; from: number; to: number; keep?: number }>)
      .catch(() => null);
    if (job !== this.jobId || !this.live || call !== this.liveLogCall) return;
    // the analysis read from stream offset `read.from` (the history kept when it connected) of that generation
    if (info && read && info.generation !== read.generation) return; // replaced: followed anew at once
    const name = this.live.name;
    const kept = `its last ${binaryBytes(info?.keep ?? SERVE_KEEP)}`;
    const base = read && Number.isFinite(read.from) ? read.from : 0;
    const rel = info === null ? 0 : Math.max(0, info.from - base);
    const trimmed = info === null ? null : keptIndex(index, rel);
    if (base > 0 && !this.live.joined)
      this.live = {
        ...this.live,
        joined: `This page joined ${name} at byte ${num(base)}: loglens serve keeps ${kept}, and had dropped what came before. The dashboard counts the records from there, and numbers their lines from there.`,
      };
    if (info === null || trimmed === null || (base + rel > 0 && s.files[0]?.gzip === true)) {
      this.liveLog = null;
      this.liveLogNote = `The log view reads the stream's records from loglens serve, which keeps ${kept}: none of those read can be read again now.`;
      return;
    }
    const start = base + rel + trimmed.skip;
    const url = `${source.url}/bytes?generation=${info.generation}`;
    this.liveLog = {
      files: [{ name, url, start, size: Math.max(0, info.to - start), gzip: s.files[0]?.gzip === true }],
      index: trimmed.index,
      first: trimmed.first,
    };
    this.liveLogNote =
      trimmed.first > 0
        ? `The log view of ${name} lists what loglens serve still keeps of it, ${kept}: the records from line ${trimmed.index.files[0]?.line[0] ?? '?'} on. The dashboard counts all of them.`
        : null;
  }

  /** Sets what the dashboard shows now (a final or stored snapshot, or null), dropping any pending update. */
  private setSnapshot(s: Snapshot | null): void {
    if (this.showTimer !== null) clearTimeout(this.showTimer);
    this.showTimer = null;
    this.latest = s;
    this.snapshot = s;
    this.progress = s?.progress ?? null;
  }

  /**
   * A worker made ahead of need: it loads while the page is idle, so that starting an analysis costs no
   * request (the analysis itself never touches the network) and no start-up time.
   */
  private spare: Worker | null = null;

  /** Makes the spare worker now (the page calls this once it has loaded). */
  prewarm(): void {
    this.spare ??= makeWorker();
  }

  private stopHelpers(): void {
    for (const w of this.helpers) w.terminate();
    this.helpers = [];
  }

  private spawn(): Comlink.Remote<EngineApi> {
    this.abortPending();
    this.stopHelpers();
    this.worker?.terminate();
    this.worker = this.spare ?? makeWorker();
    this.spare = null;
    this.api = Comlink.wrap<EngineApi>(this.worker);
    return this.api;
  }

  /**
   * Analyzes `files`: the whole of them, or (`where`, a query's text) the view of that subset, while the whole
   * file's finished analysis stays kept for clearView().
   */
  async start(files: File[], config: Config, where = ''): Promise<void> {
    const job = this.jobId + 1;
    this.jobId = job;
    this.endLive();
    const plain = $state.snapshot(config);
    // a view of the finished whole file whose worker is idle and holds its template miner: read there on the
    // fast path when the query allows it (the worker decides: canReadFast)
    const idleWhole =
      where !== '' &&
      files === this.files &&
      this.whole !== null &&
      this.status === 'done' &&
      this.worker !== null &&
      this.worker === this.wholeWorker &&
      this.api !== null;
    let fast = false;
    if (idleWhole) {
      const held = this.api!;
      this.abortPending();
      this.stopHelpers();
      try {
        // read where the whole file was: in this worker, or in slices whose first is this worker (it sends its
        // whole analysis to the others: docs/performance.md, "Search")
        fast = await held.canReadFast(files, plain, where);
      } catch {
        fast = false;
      }
      if (job !== this.jobId) return;
    }
    const api = fast ? this.api! : this.spawn();
    if (where === '' || files !== this.files) this.whole = null;
    this.query = where;
    this.files = files;
    this.status = 'running';
    this.setSnapshot(null);
    this.report = null;
    this.error = null;
    // Progress arrives on the callback's own MessagePort, so it can land after the final result: once the
    // job is done, a late progress snapshot must not replace the final one.
    const onSnapshot = (s: Snapshot): void => {
      if (s.jobId !== this.jobId || this.status !== 'running') return;
      this.dog?.beat(performance.now(), s.progress);
      this.offer(s);
    };
    const onProgress = (p: Progress): void => {
      if (job === this.jobId && this.status === 'running') this.dog?.beat(performance.now(), p);
    };
    this.config = $state.snapshot(config) as Config;
    this.arm(job);
    let result: AnalysisResult;
    try {
      const gz = !fast && files.length === 1 && (await pipelinedGzip(files[0]!));
      const plan =
        files.length === 1 && !gz ? await this.slicing(api, files[0]!, plain) : { slices: 1, format: '' };
      if (job !== this.jobId) return;
      result = gz
        ? await this.analyzeGzip(job, api, files[0]!, plain, where)
        : plan.slices > 1
          ? await this.analyzeInSlices(job, api, files[0]!, plain, plan.slices, plan.format, where, fast)
          : await api.analyze(job, files, plain, Comlink.proxy(onSnapshot), Comlink.proxy(onProgress), where);
    } catch (e) {
      if (job !== this.jobId) return;
      this.disarm();
      this.stopHelpers();
      this.status = 'error';
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    if (job !== this.jobId) return;
    this.disarm();
    // the next analysis' worker loads a little after this one is done, while the page is idle: an analysis
    // itself fetches nothing
    this.prewarmTimer = setTimeout(() => this.prewarm(), 1500);
    this.setSnapshot(result.snapshot);
    this.report = result.report;
    if (where === '') {
      this.whole = { snapshot: result.snapshot, report: result.report };
      this.wholeWorker = this.worker;
    }
    this.status = 'done';
  }

  /** Shows the view of `where` (a query's text, already parsed on the page): the subset re-analyzed. */
  async applyQuery(where: string, config: Config): Promise<void> {
    if (where.trim() === '') return this.clearView();
    // following: the analysis is made again with the query from the start of what is followed, and goes on
    if (this.live?.following && this.following !== null) {
      const f = this.following;
      return this.startLive(f.source, f.name, f.config, where);
    }
    if (this.files.length === 0) return;
    await this.start(this.files, config, where);
  }

  /** Back to the whole file's report, kept from its analysis: nothing is recomputed. */
  clearView(): void {
    const whole = this.whole;
    if (this.query === '') return;
    if (this.live?.following && this.following !== null) {
      const f = this.following;
      void this.startLive(f.source, f.name, f.config, '');
      return;
    }
    if (whole === null) {
      // the view was asked for before the whole file had been read: read it whole again
      if (this.files.length > 0 && this.config !== null) void this.start(this.files, this.config);
      return;
    }
    // the view still being read is dropped with its worker (lines are then read by a fresh one, as after Cancel)
    if (this.status === 'running') this.stopWorker();
    this.query = '';
    this.setSnapshot(whole.snapshot);
    this.report = whole.report;
    this.error = null;
    this.status = 'done';
  }

  /**
   * How many workers should read this file: one per core (up to 4) for a big plain file whose format is known;
   * one for small files, gzip (a gzip stream cannot be entered in the middle) and files of no known format.
   * With the count, the format every slice must read the file as.
   */
  private async slicing(
    api: Comlink.Remote<EngineApi>,
    file: File,
    config: Config,
  ): Promise<{ slices: number; format: string }> {
    const one = { slices: 1, format: config.format };
    const workers = Math.min(MAX_SLICES, navigator.hardwareConcurrency || 1);
    if (!mayBeSliced(file.size, workers)) return one;
    // a view of the file just read with the same settings: its head is not detected again (~150 ms on 1 GB)
    const key = JSON.stringify(config);
    const known = this.plans.get(file);
    if (known !== undefined && known.key === key) return known.plan;
    const head = await api.detect(file, config);
    const slices = sliceCount(file.size, workers, head);
    const plan = slices > 1 ? { slices, format: head.format } : one;
    this.plans.set(file, { key, plan });
    return plan;
  }
  /** the slicing of each file read, for the settings it was made with (a file's bytes do not change) */
  private plans = new WeakMap<File, { key: string; plan: { slices: number; format: string } }>();
  /** the workers reading the other slices of the current analysis */
  private helpers: Worker[] = [];
  /**
   * Helper workers of a finished analysis in slices, kept for the next (a view of the same file): a new worker
   * takes ~0.5 s to load the engine before it reads, while the first slice's worker is already reading.
   */
  private warm: { worker: Worker; api: Comlink.Remote<EngineApi> }[] = [];

  /**
   * Reads one file with several workers, each a slice that starts and ends at record boundaries, then merges
   * their analyses in the first worker (the analyzers are monoids: the merge equals one pass). While reading,
   * the page shows the first slice's charts with the whole file's progress and counts.
   */
  private async analyzeInSlices(
    job: number,
    api: Comlink.Remote<EngineApi>,
    file: File,
    config: Config,
    n: number,
    format: string,
    where: string,
    fast = false,
  ): Promise<AnalysisResult> {
    const t0 = performance.now();
    const forced = { ...config, format };
    const taken = Array.from({ length: n - 1 }, () => {
      const w = this.warm.pop();
      if (w !== undefined) return w;
      const worker = makeWorker();
      return { worker, api: Comlink.wrap<EngineApi>(worker) };
    });
    this.helpers = taken.map((t) => t.worker);
    const later = taken.map((t) => t.api);
    // the later slices hand their analyses to the first worker over these, not through this thread
    const channels = later.map(() => new MessageChannel());
    const latest: (Snapshot | null)[] = [null, ...later.map(() => null)];
    /** the first slice's last full snapshot: the dashboard's charts while reading */
    let charts: Snapshot | null = null;
    const live = (): boolean => job === this.jobId && this.status === 'running';
    // the slices' counts are summed onto the first slice's charts: the progress bar at every snapshot (at most
    // 4 times a second), the dashboard when a new full one came (about every DASHBOARD_MS)
    let summed = 0;
    const sum = (fresh: boolean): void => {
      if (charts === null || !live()) return;
      if (!fresh && performance.now() - summed < 250) return;
      summed = performance.now();
      const parts = latest.filter((s): s is Snapshot => s !== null);
      const records = parts.reduce((n, s) => n + s.totals.records, 0);
      const progress = {
        ...charts.progress,
        bytesRead: parts.reduce((n, s) => n + s.progress.bytesRead, 0),
        totalBytes: file.size,
        records,
        elapsedMs: performance.now() - t0,
      };
      if (!fresh) {
        this.progress = progress;
        return;
      }
      const levels = charts.levels.map((_, i) => parts.reduce((n, s) => n + (s.levels[i] ?? 0), 0));
      const totals = { ...charts.totals };
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) {
        totals[k] = parts.reduce((n, s) => n + s.totals[k], 0);
      }
      this.offer({ ...charts, levels, totals, progress });
    };
    const heard = (i: number, s: Snapshot): boolean => {
      if (s.jobId !== this.jobId) return false;
      latest[i] = s;
      // the watchdog judges the whole file: bytes and records summed over the slices
      this.dog?.beat(performance.now(), {
        bytesRead: latest.reduce((n, x) => n + (x?.progress.bytesRead ?? 0), 0),
        records: latest.reduce((n, x) => n + (x?.progress.records ?? 0), 0),
        fileIndex: 0,
      });
      return true;
    };
    const ranges = sliceRanges(file.size, n);
    const ports = channels.map((c) => c.port1);
    const [result] = await Promise.all([
      api.analyzeFirstSlice(
        job,
        file,
        forced,
        config,
        ranges[0]!,
        Comlink.transfer(ports, ports),
        performance.now() - t0,
        where === '' ? DASHBOARD_MS : VIEW_DASHBOARD_MS,
        Comlink.proxy((s: Snapshot) => {
          if (!heard(0, s)) return;
          charts = s;
          sum(true);
        }),
        Comlink.proxy((s: Snapshot) => {
          if (heard(0, s)) sum(false);
        }),
        where,
        fast,
      ),
      ...later.map((a, k) =>
        a.analyzeLaterSlice(
          job,
          file,
          forced,
          ranges[k + 1]!,
          Comlink.transfer(channels[k]!.port2, [channels[k]!.port2]),
          Comlink.proxy((s: Snapshot) => {
            if (heard(k + 1, s)) sum(false);
          }),
          where,
          fast,
        ),
      ),
    ]);
    // kept for the next analysis in slices (terminated with the job when it is stopped)
    this.helpers = [];
    this.warm.push(...taken);
    return result;
  }

  /**
   * A big .gz read in a pipeline (src/engine/pipeline.ts): the first worker inflates and hands pieces cut at
   * record starts to a second over a MessageChannel, and merges the pieces' analyses in file order as they
   * come. While reading, the page shows what is merged so far, with the compressed bytes read as progress.
   */
  private async analyzeGzip(
    job: number,
    api: Comlink.Remote<EngineApi>,
    file: File,
    config: Config,
    where: string,
  ): Promise<AnalysisResult> {
    const helper = makeWorker();
    this.helpers = [helper];
    const { port1, port2 } = new MessageChannel();
    const parsing = Comlink.wrap<EngineApi>(helper).parsePieces(
      job,
      file.name,
      file.lastModified,
      Comlink.transfer(port2, [port2]),
    );
    // the first worker reports for both: snapshots of what is merged so far, progress in compressed bytes
    const live = (): boolean => job === this.jobId && this.status === 'running';
    const [result] = await Promise.all([
      api.analyzeGzip(
        job,
        file,
        config,
        Comlink.transfer(port1, [port1]),
        Comlink.proxy((s: Snapshot) => {
          if (!live()) return;
          this.dog?.beat(performance.now(), s.progress);
          this.offer(s);
        }),
        Comlink.proxy((p: Progress) => {
          if (!live()) return;
          this.dog?.beat(performance.now(), p);
          if (this.progress !== null)
            this.progress = { ...this.progress, bytesRead: p.bytesRead, records: p.records };
        }),
        undefined,
        where,
      ),
      parsing,
    ]);
    helper.terminate();
    this.helpers = [];
    return result;
  }

  /** Generates the sample log in the worker, then analyzes it like a dropped file. */
  async startSample(config: Config): Promise<void> {
    const job = this.jobId + 1;
    this.jobId = job;
    this.endLive();
    this.status = 'running';
    this.setSnapshot(null);
    this.report = null;
    this.error = null;
    const api = this.spawn();
    let file: File;
    try {
      file = await api.sample({ bytes: 8_000_000, seed: 42, spanMs: 6 * 3600_000 });
    } catch (e) {
      if (job !== this.jobId) return;
      this.status = 'error';
      this.error = `The sample could not be made: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    if (job !== this.jobId) return;
    await this.start([file], config);
  }

  /**
   * The last defence: a worker stuck in one synchronous task cannot be interrupted from inside, and sends
   * nothing. The watchdog (src/lib/watchdog.ts) judges the progress the worker reports; when it fires, the
   * worker is terminated, the message says what was last progressing, and what was read stays exportable.
   */
  private arm(job: number): void {
    this.disarm();
    this.dog = new Watchdog(performance.now(), STALL_MS, IDLE_MS, CHECK_LATE_MS);
    this.watchdog = setInterval(() => {
      if (job !== this.jobId || this.status !== 'running') return this.disarm();
      const stall = this.dog?.check(performance.now()) ?? null;
      if (stall === null) return;
      const snap = this.latest;
      const total = snap?.progress.totalBytes ?? this.files.reduce((n, f) => n + f.size, 0);
      this.stopWorker();
      this.setSnapshot(snap);
      this.status = 'error';
      this.error = stallMessage(stall, snap?.files ?? this.files, total);
      this.report = this.partialReport('stalled');
    }, CHECK_MS);
  }

  private disarm(): void {
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    this.dog = null;
  }

  /** Ends the running job: its workers go, anything late from them is dropped by the job id. */
  private stopWorker(): void {
    this.disarm();
    this.stopHelpers();
    this.jobId++;
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
  }

  /** The report of what was read before the analysis was stopped, marked as incomplete. */
  private partialReport(reason: StoppedEarly['reason']): Report | null {
    const snap = this.latest;
    if (snap === null || this.config === null) return null;
    const { bytesRead, totalBytes } = snap.progress;
    return buildReport(snap, this.config, Date.now(), { reason, bytesRead, totalBytes });
  }

  /** Records of the finished analysis as CSV or JSON Lines (read again from the files, in the worker). */
  async exportRecords(kind: 'csv' | 'jsonl'): Promise<Blob> {
    if (this.status !== 'done' || this.api === null) throw new Error('Nothing to export yet.');
    this.exporting = kind;
    try {
      return await this.abortable(this.api.exportRecords(kind));
    } finally {
      this.exporting = null;
    }
  }

  async exportTemplates(): Promise<Blob> {
    if (this.status !== 'done' || this.api === null) throw new Error('Nothing to export yet.');
    return this.abortable(this.api.exportTemplates());
  }

  /**
   * A log view page of the records a query matches, read by the analysis' own worker: it holds the analysis'
   * template miner, so `template:` terms match (the log view's reader has none). The record index goes with
   * every page (bounded: a few thousand checkpoints). Null when that worker is gone (no finished analysis).
   */
  readMatching(
    source: { files: RecordInput[]; index: RecordIndexSnapshot; formats: string[]; config: Config },
    fromRecord: number,
    count: number,
    where: string,
  ): Promise<RecordsPage> | null {
    if (this.status !== 'done' || this.api === null) return null;
    return this.abortable(
      this.api.readRecords(
        source.files,
        { fromRecord, count, where },
        {
          index: source.index,
          formats: source.formats,
          config: JSON.parse(JSON.stringify(source.config)) as unknown,
        },
      ),
    );
  }

  /** The raw lines of a record (by its place in its file) and a few around it. */
  async linesAround(ref: { fileIndex: number; offset: number; length: number }): Promise<LineAt[]> {
    if (this.status === 'stored')
      throw new Error(
        'This is a saved report: the log itself was not kept. Drop the file again to read its lines.',
      );
    if (this.status === 'running') throw new Error('The lines can be read once the analysis has finished.');
    if (this.status === 'done' && this.api !== null)
      return this.abortable(this.api.linesAround(ref.fileIndex, ref.offset, ref.length));
    if (this.files.length === 0) throw new Error('Nothing analyzed: open the file again.');
    // stopped early (Cancel, the watchdog): the worker is gone, but the Files are here for a fresh one
    if (this.api === null) {
      this.worker = this.spare ?? makeWorker();
      this.spare = null;
      this.api = Comlink.wrap<EngineApi>(this.worker);
    }
    return this.abortable(this.api.linesIn(this.files, ref.fileIndex, ref.offset, ref.length));
  }

  /**
   * What changed in `window` against `baseline` (default: the same length before it), counted in the worker
   * from the files through the whole file's record index; the analysis' own worker names the templates.
   */
  async whatChanged(window: TimeWindow, baseline?: TimeWindow): Promise<WhatChanged> {
    if (this.status === 'stored')
      throw new Error('This is a saved report: the log itself was not kept. Drop the file again to compare.');
    if (this.status === 'running')
      throw new Error('What changed can be counted once the analysis has finished.');
    const whole = this.query === '' ? this.snapshot : (this.whole?.snapshot ?? null);
    const index = whole?.recordIndex;
    if (!whole || !index || this.files.length === 0 || this.config === null)
      throw new Error('Nothing analyzed: open the file again.');
    if (this.api === null) {
      this.worker = this.spare ?? makeWorker();
      this.spare = null;
      this.api = Comlink.wrap<EngineApi>(this.worker);
    }
    const source = {
      index,
      formats: whole.files.map((f) => f.format),
      config: JSON.parse(JSON.stringify(this.config)) as unknown,
    };
    return this.abortable(
      this.api.whatChanged(this.files, baseline ? { window, baseline } : { window }, source),
    );
  }

  /** A terminated worker never answers: pending calls are rejected when it goes (a new file, a reopened report). */
  private abortExports: ((e: Error) => void)[] = [];

  private abortable<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.abortExports.push(reject);
      p.then(resolve, reject).finally(() => {
        this.abortExports = this.abortExports.filter((r) => r !== reject);
      });
    });
  }

  private abortPending(): void {
    const pending = this.abortExports;
    this.abortExports = [];
    for (const reject of pending) reject(new Error('the analysis it belonged to was replaced'));
    this.exporting = null;
  }

  /** Shows a past analysis (from local history): its dashboard and report, but no files to read again. */
  showStored(snapshot: Snapshot, report: Report): void {
    this.endLive();
    this.jobId++;
    this.disarm();
    this.abortPending();
    this.stopHelpers();
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.files = [];
    this.query = '';
    this.whole = null;
    this.setSnapshot(snapshot);
    this.report = report;
    this.error = null;
    this.status = 'stored';
  }

  /**
   * Follows a file handle or a stream (docs/live.md) until stopLive(): the dashboard grows as bytes come. A file
   * that shrinks (truncated or replaced) is said so and followed anew; when it stops, what was read stays as a
   * finished analysis.
   */
  async startLive(source: LiveSource, name: string, config: Config, where = ''): Promise<void> {
    const plain = $state.snapshot(config) as Config;
    this.following = { source, name, config: plain };
    this.live = { name, following: true, note: null };
    this.liveLog = null;
    this.liveLogNote = null;
    for (;;) {
      const job = this.jobId + 1;
      this.jobId = job;
      const api = this.spawn();
      this.files = [];
      this.query = where;
      this.whole = null;
      this.status = 'running';
      this.setSnapshot(null);
      this.report = null;
      this.error = null;
      this.config = plain;
      const onSnapshot = (s: Snapshot): void => {
        if (s.jobId === this.jobId && this.status === 'running') this.offer(s);
      };
      let result: LiveResult;
      try {
        result = await api.analyzeLive(job, source, plain, Comlink.proxy(onSnapshot), where);
      } catch (e) {
        if (job !== this.jobId) return;
        this.status = 'error';
        this.error = e instanceof Error ? e.message : String(e);
        this.live = { name, following: false, note: null };
        return;
      }
      if (job !== this.jobId) return;
      if (result.ended === 'truncated') {
        this.live = {
          name,
          following: true,
          note: `${name} was truncated or replaced: following it anew from its start.`,
        };
        continue;
      }
      this.setSnapshot(result.snapshot);
      this.report = result.report;
      // what was read: a finished analysis whose log view keeps reading as it did; a query or an export reads
      // the file as it was when following stopped (or the stream's bytes, when all of them are kept)
      this.files = result.files ?? [];
      await this.updateLiveLog(result.snapshot);
      if (job !== this.jobId) return;
      this.status = 'done';
      this.live = {
        name,
        following: false,
        note: result.ended === 'ended' ? `The stream of ${name} ended.` : (this.live?.note ?? null),
        joined: this.live?.joined ?? null,
      };
      return;
    }
  }

  /** A new analysis of files, or a stored one: nothing is followed any more. */
  private endLive(): void {
    this.live = null;
    this.following = null;
    this.liveLog = null;
    this.liveLogNote = null;
  }

  /** Stops following: the analysis ends with what was read. */
  stopLive(): void {
    if (this.live?.following) void this.api?.stopLive();
  }

  cancel(): void {
    if (this.status !== 'running') return;
    this.stopWorker();
    // the dashboard shows everything read up to now, as the partial report does
    this.setSnapshot(this.latest);
    this.status = 'cancelled';
    this.report = this.partialReport('cancelled');
  }

  private prewarmTimer: ReturnType<typeof setTimeout> | null = null;

  dispose(): void {
    if (this.prewarmTimer !== null) clearTimeout(this.prewarmTimer);
    if (this.showTimer !== null) clearTimeout(this.showTimer);
    this.disarm();
    this.stopHelpers();
    for (const w of this.warm) w.worker.terminate();
    this.warm = [];
    this.worker?.terminate();
    this.spare?.terminate();
  }
}

/** A .gz worth reading in a pipeline: its magic bytes, a size worth a second worker, a second core. */
async function pipelinedGzip(file: File): Promise<boolean> {
  const workers = Math.min(MAX_SLICES, navigator.hardwareConcurrency || 1);
  if (!mayBeSliced(file.size, workers, PIPELINE_MIN_BYTES)) return false;
  return isGzipMagic(new Uint8Array(await file.slice(0, 2).arrayBuffer()));
}

function makeWorker(): Worker {
  return new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' });
}
