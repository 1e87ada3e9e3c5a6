import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { FEED_BYTES, openBytes, streamInput } from '../../src/engine/ingest/source.ts';

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
