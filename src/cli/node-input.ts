import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteInput } from '../engine/ingest/source.ts';

/** 1 MiB reads, like the browser's File.stream() chunks, so the engine sees the same shape of input. */
const CHUNK = 1024 * 1024;

/** A file on disk as an engine input: a byte stream read with a file handle, 1 MiB at a time. */
export async function fileInput(path: string): Promise<ByteInput> {
  const st = await stat(path);
  if (!st.isFile()) throw new Error(`${path}: not a file`);
  return {
    name: basename(path),
    size: st.size,
    lastModified: st.mtimeMs,
    stream() {
      let handle: Awaited<ReturnType<typeof open>> | null = null;
      return new ReadableStream<Uint8Array>({
        async start() {
          handle = await open(path, 'r');
        },
        async pull(controller) {
          const buf = new Uint8Array(CHUNK);
          const { bytesRead } = await handle!.read(buf, 0, CHUNK, null);
          if (bytesRead === 0) {
            await handle!.close();
            controller.close();
            return;
          }
          controller.enqueue(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead));
        },
        async cancel() {
          await handle?.close();
        },
      });
    },
  };
}
