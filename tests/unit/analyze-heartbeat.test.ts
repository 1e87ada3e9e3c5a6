import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { streamInput } from '../../src/engine/ingest/source.ts';
import type { Progress } from '../../src/engine/types.ts';
import { config, utf8 } from './helpers.ts';

const A = '2025-03-14T10:00:00Z INFO api one\n2025-03-14T10:00:01Z INFO api two\n';
const B = '2025-03-14T10:00:02Z ERROR api three\n';

describe('analyze: heartbeats while the reader waits for bytes', () => {
  it('reports the progress so far while a chunk is slow to come, and stops at the end', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const beats: Progress[] = [];
    const stream = new ReadableStream<Uint8Array>({
      async pull(c) {
        c.enqueue(utf8(A));
        await gate; // the second chunk waits until two heartbeats have come
        c.enqueue(utf8(B));
        c.close();
      },
    });
    const onProgress = (p: Progress): void => {
      beats.push(p);
      if (beats.length === 2) release();
    };
    const done = await analyze([streamInput('slow.log', stream, A.length + B.length)], config(), {
      onProgress,
      heartbeatMs: 5,
    });
    const count = beats.length;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(beats[0]).toMatchObject({ bytesRead: A.length, totalBytes: A.length + B.length, fileIndex: 0 });
    expect(beats[0]!.done).toBe(false);
    expect(done.totals.records).toBe(3);
    await new Promise((r) => setTimeout(r, 30));
    expect(beats.length).toBe(count); // no heartbeat after the end
  });
});
