/**
 * Bytes of one input, decompressed when it is gzip. gzip is recognized by its magic bytes (1f 8b), not by
 * the file name. The first chunk is read and re-emitted rather than tee()d: a tee'd stream whose other branch
 * is cancelled never resolves.
 */

/** What the engine reads: a File or Blob, or anything that can hand out a byte stream. */
export interface ByteInput {
  readonly name: string;
  /** size in bytes, NaN when unknown (a stream) */
  readonly size: number;
  /** ms since epoch; used to infer the year of timestamps that omit it */
  readonly lastModified?: number;
  /**
   * How many bytes stream() gives, when known exactly (a File or Blob: its size; a slice of one: the slice's).
   * `size` can mean something else (a slice's range); unknown here means read until the stream says done.
   */
  readonly streamBytes?: number;
  stream(): ReadableStream<Uint8Array>;
}

/** The bytes `input.stream()` gives, NaN when not known exactly. */
export function streamBytes(input: ByteInput): number {
  if (input.streamBytes !== undefined) return input.streamBytes;
  return typeof Blob !== 'undefined' && input instanceof Blob ? input.size : NaN;
}

/** Wraps a ReadableStream (a fetch body, a Node stream converted with Readable.toWeb) as an input. */
export function streamInput(name: string, stream: ReadableStream<Uint8Array>, size = NaN): ByteInput {
  let used = false;
  return {
    name,
    size,
    stream() {
      if (used) throw new Error(`${name}: a stream input can be read once`);
      used = true;
      return stream;
    },
  };
}

/** Compressed bytes written to the decompressor at a time (see openBytes). */
export const FEED_BYTES = 16 * 1024;

export interface OpenedBytes {
  gzip: boolean;
  /** a plain input's chunks share one buffer: a chunk is valid until the next one is asked for */
  chunks: AsyncIterable<Uint8Array>;
}

/** Bytes read at a time into the reused buffer of a plain input (see rest). */
export const READ_BYTES = 1024 * 1024;

/**
 * The rest of a plain input's stream after its first chunk: through a BYOB reader into one reused buffer when the
 * stream is a byte stream (File.stream() is), else the default reader. Chromium's default reader hands out a fresh
 * ArrayBuffer per chunk (up to 2 MB) and little collects them soon: two workers counting the newlines of 1 GB peak
 * at 1.1 GiB of resident memory that way, at 0.2 GiB through one reused buffer each (scripts/bench-memory.ts).
 *
 * `left` is how many bytes the input still holds (NaN when unknown): a BYOB read never asks for more, and none is
 * asked once it is 0. Chromium's Blob byte stream sometimes never answers a BYOB read made after its last byte
 * (neither bytes nor done): the analysis then waited for ever with its heartbeats still going (an e2e test
 * re-reading a 30 MB file hung in 4 runs of 4 within 16 reads; tests/e2e/reread.spec.ts).
 */
async function* rest(
  stream: ReadableStream<Uint8Array>,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  onRaw: (n: number) => void,
  left: number,
): AsyncGenerator<Uint8Array> {
  let byob: ReadableStreamBYOBReader | null = null;
  let other = reader;
  reader.releaseLock();
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    other = stream.getReader(); // not a byte stream
  }
  try {
    let buf = new ArrayBuffer(byob ? READ_BYTES : 0);
    for (;;) {
      if (byob && left <= 0) return;
      const want = Number.isFinite(left) ? Math.min(buf.byteLength, left) : buf.byteLength;
      const r = byob ? await byob.read(new Uint8Array(buf, 0, want)) : await other.read();
      if (r.done) return;
      left -= r.value.length;
      onRaw(r.value.length);
      yield r.value;
      buf = r.value.buffer as ArrayBuffer; // the read transferred it: the same memory, ready for the next
    }
  } finally {
    // a slice stops reading before the end: cancelling lets the source close its file now, not at GC
    await (byob ?? other).cancel().catch(() => undefined);
  }
}

/**
 * Opens the input. `onRaw` is called with the size of each chunk of the input as stored (compressed bytes
 * for gzip), which is what progress is measured against.
 */
export async function openBytes(input: ByteInput, onRaw: (n: number) => void): Promise<OpenedBytes> {
  const stream = input.stream();
  const reader = stream.getReader();
  let first: Uint8Array = new Uint8Array(0);
  let done = false;
  // Read until two bytes are known (a chunk may be a single byte) or the input ends.
  while (first.length < 2 && !done) {
    const r = await reader.read();
    if (r.done) done = true;
    else first = concat(first, r.value);
  }
  const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  if (!gzip) {
    return {
      gzip,
      chunks: (async function* () {
        if (first.length > 0) {
          onRaw(first.length);
          yield first;
        }
        if (!done) yield* rest(stream, reader, onRaw, streamBytes(input) - first.length);
      })(),
    };
  }
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  // Chromium inflates a whole written chunk at once and queues all of it, whatever the reader's pace: a 2 MB
  // File.stream() chunk of repeated lines is 600 MB out. Fed in FEED_BYTES slices, each write waits for the
  // reader, so at most one slice's output (≤ 1032 × 16 KiB, gzip's largest ratio) is queued.
  const feed = async (bytes: Uint8Array): Promise<void> => {
    for (let at = 0; at < bytes.length; at += FEED_BYTES) {
      const part = bytes.subarray(at, at + FEED_BYTES);
      await writer.write(part as Uint8Array<ArrayBuffer>);
      onRaw(part.length);
    }
  };
  // Feed the compressed bytes in the background; errors surface on the readable side.
  void (async () => {
    try {
      await feed(first);
      while (!done) {
        const r = await reader.read();
        if (r.done) break;
        await feed(r.value);
      }
      await writer.close();
    } catch (e) {
      await writer.abort(e).catch(() => undefined);
      await reader.cancel().catch(() => undefined);
    }
  })();
  const out = ds.readable.getReader();
  return {
    gzip,
    chunks: (async function* () {
      for (;;) {
        const r = await out.read();
        if (r.done) return;
        yield r.value;
      }
    })(),
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}
