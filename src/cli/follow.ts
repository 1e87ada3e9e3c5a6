/**
 * A file followed as `tail -F` does: its bytes, then the bytes appended to it, polled; an empty chunk whenever a
 * poll finds nothing new (analyze()'s `live` idle tick). A file that shrinks (truncated, `copytruncate`) or whose
 * path now names another file (rotated and re-created) ends the stream with `ended` saying which: the caller
 * says so and follows it anew. A path that does not exist (yet, or between rotation and re-creation) is waited for.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteInput } from '../engine/ingest/source.ts';

/** How often a followed file is looked at for new bytes. */
export const POLL_MS = 250;
const CHUNK = 1024 * 1024;

export type FollowEnd = 'stopped' | 'truncated' | 'replaced';

export interface FollowedInput extends ByteInput {
  /** why the stream ended; null while it goes on */
  readonly ended: FollowEnd | null;
  /** ends the stream at the next poll (Ctrl-C) */
  stop(): void;
}

export function followFile(path: string, pollMs = POLL_MS): FollowedInput {
  let ended: FollowEnd | null = null;
  let stopping = false;
  let handle: FileHandle | null = null;
  let ino = -1;
  let position = 0;
  let caughtUp = false;
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const close = async (): Promise<void> => {
    await handle?.close().catch(() => undefined);
    handle = null;
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (stopping) {
          ended ??= 'stopped';
          await close();
          controller.close();
          return;
        }
        if (handle === null) {
          try {
            handle = await open(path, 'r');
            ino = (await handle.stat()).ino;
          } catch {
            await sleep(pollMs); // not there yet: tail -F waits for it
            controller.enqueue(new Uint8Array(0));
            return;
          }
        }
        const buf = new Uint8Array(CHUNK);
        const { bytesRead } = await handle.read(buf, 0, CHUNK, position);
        if (bytesRead > 0) {
          position += bytesRead;
          caughtUp = false;
          controller.enqueue(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead));
          return;
        }
        // at the end of what is there: has the file shrunk, or does the path name another file now?
        const now = await handle.stat();
        const named = await stat(path).catch(() => null);
        if (now.size < position) ended = 'truncated';
        else if (named !== null && named.ino !== ino) ended = 'replaced';
        if (ended !== null) {
          await close();
          controller.close();
          return;
        }
        // caught up: an idle tick at once (what was just read is shown now), then one a poll
        if (caughtUp) await sleep(pollMs);
        caughtUp = true;
        controller.enqueue(new Uint8Array(0));
        return;
      }
    },
    async cancel() {
      await close();
    },
  });
  return {
    name: basename(path),
    size: NaN,
    lastModified: Date.now(),
    get ended() {
      return ended;
    },
    stop() {
      stopping = true;
    },
    stream: () => stream,
  };
}
