/**
 * Decides whether an analysis is stuck, from the progress its worker reports (snapshots, and heartbeats sent
 * whenever the worker waits for bytes). Plain TS, no clock of its own: the caller passes `now`.
 *
 * - silent: nothing at all for `silentMs`, or 3× the longest gap seen so far if that is longer (a snapshot
 *   that grew slow to make is not a hang). A worker busy in one synchronous task sends nothing.
 * - idle: messages still arrive, but neither bytes read nor records made moved for `idleMs` (a read that
 *   never returns).
 */
import { bytes, num } from './format.ts';

export interface ProgressSample {
  bytesRead: number;
  records: number;
  fileIndex: number;
}

export interface Stall {
  kind: 'silent' | 'idle';
  /** how long nothing (silent) or no progress (idle) came */
  forMs: number;
  /** the last progress reported, null if none came */
  last: ProgressSample | null;
}

export class Watchdog {
  private lastBeat: number;
  private lastMove: number;
  private longestGap = 0;
  private last: ProgressSample | null = null;
  private lastCheck: number;

  constructor(
    start: number,
    readonly silentMs = 5000,
    readonly idleMs = 60_000,
    /**
     * Checks come this often at most apart when the page is free (its timer): a check later than that means
     * the page's own thread was held (a long render on a busy machine), and the worker's messages waited in
     * its queue. That time is not the worker's silence: it is not counted. Infinity: every gap counts.
     */
    readonly checkLateMs = Infinity,
  ) {
    if (!(silentMs > 0) || !(idleMs > 0) || !(checkLateMs > 0))
      throw new Error('Watchdog: limits must be positive');
    this.lastBeat = this.lastMove = this.lastCheck = start;
  }

  /** Any message from the worker, with the progress it carried. */
  beat(now: number, p: ProgressSample): void {
    this.longestGap = Math.max(this.longestGap, now - this.lastBeat);
    this.lastBeat = now;
    const moved =
      this.last === null ||
      p.bytesRead !== this.last.bytesRead ||
      p.records !== this.last.records ||
      p.fileIndex !== this.last.fileIndex;
    if (moved) this.lastMove = now;
    this.last = { bytesRead: p.bytesRead, records: p.records, fileIndex: p.fileIndex };
  }

  /** How long silence is tolerated now. */
  get silentLimit(): number {
    return Math.max(this.silentMs, 3 * this.longestGap);
  }

  check(now: number): Stall | null {
    const late = now - this.lastCheck;
    this.lastCheck = now;
    if (late > this.checkLateMs) {
      // the page could not listen meanwhile: the messages that came are still queued behind this check
      const held = late - this.checkLateMs;
      this.lastBeat = Math.min(now, this.lastBeat + held);
      this.lastMove = Math.min(now, this.lastMove + held);
      return null;
    }
    const silent = now - this.lastBeat;
    if (silent >= this.silentLimit) return { kind: 'silent', forMs: silent, last: this.last };
    const idle = now - this.lastMove;
    if (idle >= this.idleMs) return { kind: 'idle', forMs: idle, last: this.last };
    return null;
  }
}

/**
 * What the user reads when the watchdog stops an analysis: what was last progressing (bytes, records, which
 * file) and that it stopped. User regexes run in linear time or proven safe (docs/regex.md), so the message
 * does not blame them; it says what the user can do.
 */
export function stallMessage(stall: Stall, files: readonly { name: string }[], totalBytes: number): string {
  const last = stall.last;
  const file = files[last?.fileIndex ?? 0]?.name ?? 'the file';
  const where =
    last === null
      ? `before ${file} sent any progress`
      : `while reading ${file} (${bytes(last.bytesRead)} of ${bytes(totalBytes)} read, ${num(last.records)} records so far)`;
  const secs = Math.round(stall.forMs / 1000);
  const head =
    stall.kind === 'idle'
      ? `The analysis was stopped: reading made no progress for ${secs} s ${where}. Is the file on a slow or disconnected drive?`
      : `The analysis was stopped: the engine stopped responding for ${secs} s ${where}.`;
  const tail =
    last === null ? '' : ' The dashboard shows what was read up to then; its report can be exported.';
  if (stall.kind === 'idle') return head + tail;
  // user regexes cannot be the cause: each runs natively only when proven safe, else in linear time
  return `${head} Your regular expressions cannot hang it (each runs in time linear in the line): the file may be unusual, or the machine very busy; try again, or report it.${tail}`;
}
