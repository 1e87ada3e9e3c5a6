import type { ServerResponse } from 'node:http';
import type { FollowedInput } from './follow.ts';
import { SERVE_KEEP } from '../engine/live.ts';
import { safe, warn } from './terminal-text.ts';

const NL = 0x0a;

export { SERVE_KEEP as DEFAULT_KEEP } from '../engine/live.ts';

/**
 * The source read once, its last `keep` bytes kept and sent to every page connected: a page that
 * connects late gets them from the start. A truncated or replaced file starts a new generation.
 */
export class Broadcast {
  generation = 1;
  ended = false;
  private history: Uint8Array[] = [];
  private historyBytes = 0;
  /** the stream offset of the first byte kept (history[0]'s), and of the byte after the last */
  from = 0;
  /** the byte at `from` starts a line */
  private lineStart = true;
  get to(): number {
    return this.from + this.historyBytes;
  }
  private readonly clients = new Set<ServerResponse>();

  constructor(
    readonly name: string,
    private readonly open: () => { stream: ReadableStream<Uint8Array>; followed: FollowedInput | null },
    /** bytes kept (at least the last chunk's) */
    readonly keep = SERVE_KEEP,
  ) {
    void this.run();
  }

  private async run(): Promise<void> {
    for (;;) {
      const { stream, followed } = this.open();
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
        if (chunk.length === 0) continue; // an idle tick: nothing to send
        const copy = chunk.slice();
        this.history.push(copy);
        this.historyBytes += copy.length;
        while (this.historyBytes > this.keep && this.history.length > 1) {
          const dropped = this.history.shift()!;
          this.historyBytes -= dropped.length;
          this.from += dropped.length;
          this.lineStart = dropped[dropped.length - 1] === NL;
        }
        this.toLineStart();
        for (const c of this.clients) c.write(copy);
      }
      const why = followed?.ended ?? 'ended';
      if (why === 'truncated' || why === 'replaced') {
        warn(safe`serve: ${this.name} was ${why}: following it anew`);
        this.history = [];
        this.historyBytes = 0;
        this.from = 0;
        this.lineStart = true;
        this.generation++;
        for (const c of this.clients) c.end();
        this.clients.clear();
        continue;
      }
      this.ended = true;
      for (const c of this.clients) c.end();
      this.clients.clear();
      return;
    }
  }

  /**
   * Drops the kept bytes' first partial line (the rest of a line whose start was dropped): a page that connects
   * late reads whole lines from `from`. A kept part with no line end at all stays as it is.
   */
  private toLineStart(): void {
    while (!this.lineStart && this.history.length > 0) {
      const first = this.history[0]!;
      const nl = first.indexOf(NL);
      if (nl === -1) {
        if (this.history.length === 1) return;
        this.history.shift();
        this.historyBytes -= first.length;
        this.from += first.length;
        continue;
      }
      this.history[0] = first.subarray(nl + 1);
      this.historyBytes -= nl + 1;
      this.from += nl + 1;
      this.lineStart = true;
      if (this.history[0].length === 0) this.history.shift();
    }
  }

  /** Bytes `start` to `end` of this generation's stream, or null when they are not all kept. */
  range(generation: number, start: number, end: number): Buffer | null {
    if (generation !== this.generation || !(start >= this.from && start <= end && end <= this.to))
      return null;
    const parts: Uint8Array[] = [];
    let at = this.from;
    for (const c of this.history) {
      const next = at + c.length;
      if (next > start && at < end)
        parts.push(c.subarray(Math.max(0, start - at), Math.min(c.length, end - at)));
      if (next >= end) break;
      at = next;
    }
    return Buffer.concat(parts);
  }

  attach(res: ServerResponse): void {
    for (const c of this.history) res.write(c);
    if (this.ended) {
      res.end();
      return;
    }
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }
}
