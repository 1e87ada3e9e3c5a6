import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { FEED_BYTES, openBytes, streamInput, type ByteInput } from '../../src/engine/ingest/source.ts';
import { analyze } from '../../src/engine/analyze.ts';
import { DEFAULT_CONFIG } from '../../src/engine/config-defaults.ts';

const LINE = '2025-03-14T00:48:00.123Z INFO api-gateway GET /health 200 in 3ms\n';

describe('openBytes: gzip fed to the decompressor in slices', () => {
  it('writes a huge compressed chunk in FEED_BYTES slices and counts each as read', async () => {
    const text = LINE.repeat(200_000); // 13 MB of one line: ~40 KB gzipped, handed out as ONE chunk
    const gz = new Uint8Array(gzipSync(text, { level: 9 }));
    expect(gz.length).toBeGreaterThan(2 * FEED_BYTES);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(gz);
        c.close();
      },
    });
    const raw: number[] = [];
    const opened = await openBytes(streamInput('one-chunk.log.gz', stream, gz.length), (n) => raw.push(n));
    expect(opened.gzip).toBe(true);
    let bytes = 0;
    let newlines = 0;
    for await (const chunk of opened.chunks) {
      bytes += chunk.length;
      for (let p = chunk.indexOf(10); p !== -1; p = chunk.indexOf(10, p + 1)) newlines++;
    }
    expect(bytes).toBe(text.length);
    expect(newlines).toBe(200_000);
    expect(raw.reduce((a, b) => a + b, 0)).toBe(gz.length);
    expect(Math.max(...raw)).toBe(FEED_BYTES);
    expect(raw.length).toBe(Math.ceil(gz.length / FEED_BYTES));
  });
});

describe('openBytes: a byte stream that never says done after its last byte', () => {
  /** A byte stream (BYOB-readable) that gives `text` and then neither more bytes nor done: Chromium's Blob
   * stream sometimes did that to a read asked after the file's end. */
  function neverDone(text: string): ReadableStream<Uint8Array> {
    const bytes = new TextEncoder().encode(text);
    let at = 0;
    return new ReadableStream({
      type: 'bytes',
      pull(c): Promise<void> | undefined {
        if (at >= bytes.length) return new Promise<void>(() => undefined); // silent for ever
        const n = Math.min(7, bytes.length - at); // small chunks: many BYOB reads
        c.enqueue(bytes.slice(at, at + n));
        at += n;
        return undefined;
      },
    });
  }

  it('stops reading once the known number of bytes came, so the read ends', async () => {
    const text = 'line one\nline two\nline three\n';
    const input = {
      name: 'x.log',
      size: text.length,
      streamBytes: text.length,
      stream: () => neverDone(text),
    };
    const opened = await openBytes(input, () => undefined);
    let got = '';
    for await (const c of opened.chunks) got += new TextDecoder().decode(c);
    expect(got).toBe(text);
  });

  it('analyze() of such an input finishes with every record', async () => {
    const text =
      Array.from(
        { length: 50 },
        (_, i) => `2025-03-14T10:00:${String(i).padStart(2, '0')}Z INFO api hello ${i}`,
      ).join('\n') + '\n';
    const input = {
      name: 'x.log',
      size: text.length,
      streamBytes: text.length,
      stream: () => neverDone(text),
    };
    const snap = await analyze([input], DEFAULT_CONFIG);
    expect(snap.totals.records).toBe(50);
    expect(snap.totals.bytes).toBe(text.length);
  });
});

describe('openBytes: a read that never settles is given up and the bytes read again from a new stream', () => {
  const bytes = new TextEncoder().encode(
    Array.from({ length: 400 }, (_, i) => `2025-03-14T10:00:00Z INFO api line ${i}`).join('\n') + '\n',
  );
  /** A byte stream of bytes[from..] that goes silent for ever once it has given `silentAfter` bytes. */
  function silentAfter(from: number, silentAfter: number): ReadableStream<Uint8Array> {
    let at = from;
    return new ReadableStream({
      type: 'bytes',
      pull(c): Promise<void> | undefined {
        if (at - from >= silentAfter) return new Promise<void>(() => undefined);
        const n = Math.min(1000, bytes.length - at);
        if (n <= 0) {
          c.close();
          return undefined;
        }
        c.enqueue(bytes.slice(at, at + n));
        at += n;
        return undefined;
      },
    });
  }
  /** An input whose first stream goes silent after 3,000 bytes; streams opened again are whole. */
  function stalling(): { input: ByteInput; opened: number[] } {
    const opened: number[] = [];
    const input: ByteInput = {
      name: 'x.log',
      size: bytes.length,
      streamBytes: bytes.length,
      stream: () => silentAfter(0, 3000),
      streamFrom: (from) => {
        opened.push(from);
        return silentAfter(from, Infinity);
      },
    };
    return { input, opened };
  }

  it('every byte once, in order; the new stream starts where the last read left off', async () => {
    const { input, opened } = stalling();
    const got = await openBytes(input, () => undefined, 20);
    const parts: Uint8Array[] = [];
    for await (const c of got.chunks) parts.push(c.slice());
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
    expect(opened).toEqual([3000]);
  });

  it('analyze() of such an input counts every record', async () => {
    const snap = await analyze([stalling().input], DEFAULT_CONFIG);
    expect(snap.totals.records).toBe(400);
    expect(snap.totals.bytes).toBe(bytes.length);
  });

  it('a source that never gives its bytes again ends the read with an error saying where', async () => {
    const input: ByteInput = {
      name: 'x.log',
      size: bytes.length,
      streamBytes: bytes.length,
      stream: () => silentAfter(0, 3000),
      streamFrom: (from) => silentAfter(from, 0),
    };
    const got = await openBytes(input, () => undefined, 2);
    let n = 0;
    await expect(
      (async () => {
        for await (const c of got.chunks) n += c.length;
      })(),
    ).rejects.toThrow('the browser gave no bytes of the file after byte 3000');
    expect(n).toBe(3000);
  });
});
