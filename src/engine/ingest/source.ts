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
  /**
   * The same bytes again from byte `from` of stream()'s (a Blob's slice): a read that never settles is given
   * up and the bytes are read again from a new stream (see rest). Blobs get it without asking.
   */
  streamFrom?(from: number): ReadableStream<Uint8Array>;
  /**
   * Whether the bytes are gzip, when that is known already (a stream loglens serve keeps: the analysis said),
   * so that a reader by slices need not read the magic bytes first.
   */
  readonly gzip?: boolean;
}

/** Whether bytes start with gzip's magic number (1f 8b). */
export function isGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Whether a reader must inflate `input` from its start: gzip (as it says, else by its magic bytes 1f 8b), or an
 * input with no slices (a bare stream).
 */
export async function inflatedOnly(input: ByteInput & Partial<Blob>): Promise<boolean> {
  if (!input.slice) return true;
  if (input.gzip !== undefined) return input.gzip;
  return isGzipMagic(new Uint8Array(await input.slice(0, 2).arrayBuffer()));
}

/** How to read an input again from a byte of its stream, when it can be (a Blob, or it says: streamFrom). */
function reopener(input: ByteInput): ((from: number) => ReadableStream<Uint8Array>) | null {
  if (input.streamFrom !== undefined) return (from) => input.streamFrom!(from);
  if (typeof Blob !== 'undefined' && input instanceof Blob) return (from) => input.slice(from).stream();
  return null;
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
 * How long a read of a Blob's stream may be out before it is given up and the bytes are read again from a new
 * stream (then twice as long, and so on, READ_TRIES times in all). Chromium sometimes never settles such a read
 * in a worker: a view's later slice stopped mid-file in about one run in four on 1 GB (the worker idle, no read
 * settled, no error; the watchdog stopped the view after 15 s): docs/performance.md, "A read that never came
 * back". A read of a local file takes milliseconds.
 */
export const READ_STALL_MS = 2000;
const READ_TRIES = 5;
const STALLED = Symbol('stalled');

/** The read's result, or STALLED when it has not settled within `ms` (the read is left to settle or not). */
function within<T>(read: Promise<T>, ms: number): Promise<T | typeof STALLED> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof STALLED>((resolve) => (timer = setTimeout(() => resolve(STALLED), ms)));
  return Promise.race([read, late]).finally(() => clearTimeout(timer));
}

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
  /** the input again from a byte of its stream (null: it cannot be: a read is waited for however long) */
  reopen: ((from: number) => ReadableStream<Uint8Array>) | null,
  /** bytes of the stream already read (the first chunk) */
  at: number,
  stallMs = READ_STALL_MS,
): AsyncGenerator<Uint8Array> {
  let byob: ReadableStreamBYOBReader | null = null;
  let other = reader;
  reader.releaseLock();
  const open = (s: ReadableStream<Uint8Array>): void => {
    try {
      byob = s.getReader({ mode: 'byob' });
    } catch {
      byob = null;
      other = s.getReader(); // not a byte stream
    }
  };
  open(stream);
  let tries = 0;
  try {
    let buf = new ArrayBuffer(byob ? READ_BYTES : 0);
    for (;;) {
      if (byob && left <= 0) return;
      const want = Number.isFinite(left) ? Math.min(buf.byteLength, left) : buf.byteLength;
      const b = byob as ReadableStreamBYOBReader | null;
      const read = b ? b.read(new Uint8Array(buf, 0, want)) : other.read();
      const r = reopen === null ? await read : await within(read, stallMs << tries);
      if (r === STALLED) {
        // given up: the stream is dropped (its read may still settle: nobody waits for it) and read again
        if (++tries >= READ_TRIES)
          throw new Error(
            `the browser gave no bytes of the file after byte ${at} for ${(stallMs * 31) / 1000} s`,
          );
        void (b ?? other).cancel().catch(() => undefined);
        open(reopen!(at));
        buf = new ArrayBuffer(byob ? READ_BYTES : 0); // the dropped read holds the old one
        continue;
      }
      tries = 0;
      if (r.done) return;
      at += r.value.length;
      left -= r.value.length;
      onRaw(r.value.length);
      yield r.value;
      buf = r.value.buffer as ArrayBuffer; // the read transferred it: the same memory, ready for the next
    }
  } finally {
    // a slice stops reading before the end: cancelling lets the source close its file now, not at GC
    await ((byob as ReadableStreamBYOBReader | null) ?? other).cancel().catch(() => undefined);
  }
}

/**
 * Opens the input. `onRaw` is called with the size of each chunk of the input as stored (compressed bytes
 * for gzip), which is what progress is measured against.
 */
export async function openBytes(
  input: ByteInput,
  onRaw: (n: number) => void,
  /** how long a read may be out before it is read again from a new stream (tests make it short) */
  stallMs = READ_STALL_MS,
): Promise<OpenedBytes> {
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
  const gzip = isGzipMagic(first);
  if (!gzip) {
    return {
      gzip,
      chunks: (async function* () {
        if (first.length > 0) {
          onRaw(first.length);
          yield first;
        }
        if (!done)
          yield* rest(
            stream,
            reader,
            onRaw,
            streamBytes(input) - first.length,
            reopener(input),
            first.length,
            stallMs,
          );
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
