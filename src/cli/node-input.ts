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
export async function openInput(path: string): Promise<DiskInput | string> {
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
export async function fileInput(path: string): Promise<DiskInput> {
  const st = await stat(path);
  if (!st.isFile()) throw new Error(`${path}: not a file`);
  return statInput(path, st);
}

function statInput(path: string, st: Stats): DiskInput {
  return diskInput(path, st.size, st.mtimeMs);
}

/** A file on disk as an engine input, with its path (for a worker thread to open it again). */
export interface DiskInput extends ByteInput {
  readonly path: string;
  readonly size: number;
  readonly lastModified: number;
  /** the bytes from `from` on, as analyze()'s `range` reads a slice (a Blob's slice, in the page) */
  slice(from: number): { stream(): ReadableStream<Uint8Array> };
}

/** A file read with a file handle, 1 MiB at a time (Node's own file Blob streams 64 KiB chunks). */
export function diskInput(path: string, size: number, lastModified: number): DiskInput {
  return {
    path,
    name: basename(path),
    size,
    lastModified,
    stream: () => readFrom(path, 0),
    slice: (from) => ({ stream: () => readFrom(path, from) }),
  };
}

function readFrom(path: string, from: number): ReadableStream<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  let position = from;
  return new ReadableStream<Uint8Array>({
    async start() {
      handle = await open(path, 'r');
    },
    async pull(controller) {
      const buf = new Uint8Array(CHUNK);
      const { bytesRead } = await handle!.read(buf, 0, CHUNK, position);
      position += bytesRead;
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
}
