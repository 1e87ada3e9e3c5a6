import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteInput } from '../engine/ingest/source.ts';

/** 1 MiB reads, like the browser's File.stream() chunks, so the engine sees the same shape of input. */
const CHUNK = 1024 * 1024;

/**
 * A path as an engine input, or why it cannot be read, in a few words: checked before the analysis, so that one
 * missing file is reported while the others are still analyzed.
 */
export async function openInput(path: string): Promise<ByteInput | string> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return 'is a folder (name the files in it, e.g. folder/*.log)';
    if (!st.isFile()) return 'not a regular file';
    await (await open(path, 'r')).close();
    return statInput(path, st);
  } catch (e) {
    return fsReason(e);
  }
}

/** A Node file-system error as words a user can act on (Node's own message as a fallback). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** A file on disk as an engine input: a byte stream read with a file handle, 1 MiB at a time. */
export async function fileInput(path: string): Promise<ByteInput> {
  const st = await stat(path);
  if (!st.isFile()) throw new Error(`${path}: not a file`);
  return statInput(path, st);
}

function statInput(path: string, st: Stats): ByteInput {
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
