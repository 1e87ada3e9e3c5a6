/**
 * `--lines`: the matching records' raw lines, in file order. The analysis notes each record's byte range
 * (adjacent ones joined, so a broad query costs little memory); then each file is read once more (gunzipped
 * when it is gzip) and the bytes of those ranges are copied to standard output, exactly as they are in the file.
 */
import type { LogRecord } from '../engine/types.ts';
import { openBytes, type ByteInput } from '../engine/ingest/source.ts';

export class RecordRanges {
  /** per file index: start, end, start, end … (byte offsets in the decompressed file) */
  readonly byFile: number[][] = [];

  add(r: LogRecord): void {
    const list = (this.byFile[r.fileIndex] ??= []);
    const n = list.length;
    if (n > 0 && list[n - 1] === r.offset) list[n - 1] = r.offset + r.length;
    else list.push(r.offset, r.offset + r.length);
  }
}

/**
 * Writes the ranges of each input (in the analysis' file order) through `write`; a record that ends the file
 * without a newline gets one, so the next file's lines start on their own line.
 */
export async function writeRanges(
  inputs: readonly ByteInput[],
  ranges: RecordRanges,
  write: (bytes: Uint8Array) => Promise<void>,
): Promise<void> {
  const newline = Uint8Array.of(10);
  for (let f = 0; f < inputs.length; f++) {
    const list = ranges.byFile[f];
    if (list === undefined || list.length === 0) continue;
    let k = 0;
    let pos = 0;
    let lastByte = 10;
    const opened = await openBytes(inputs[f]!, () => {});
    for await (const chunk of opened.chunks) {
      const end = pos + chunk.length;
      while (k < list.length && list[k]! < end) {
        const from = Math.max(list[k]!, pos);
        const to = Math.min(list[k + 1]!, end);
        if (to > from) {
          // a copy: a plain input's chunk buffer is reused for the next read
          await write(chunk.slice(from - pos, to - pos));
          lastByte = chunk[to - pos - 1]!;
        }
        if (list[k + 1]! > end) break; // the range goes on in the next chunk
        k += 2;
      }
      pos = end;
      if (k >= list.length) break;
    }
    if (lastByte !== 10) await write(newline);
  }
}
