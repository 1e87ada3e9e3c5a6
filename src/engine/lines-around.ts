import { inflatedOnly, openBytes, type ByteInput } from './ingest/source.ts';

export interface LineAt {
  /** byte offset of the line in the (decompressed) file */
  offset: number;
  text: string;
  /** the line belongs to the record asked for */
  focus: boolean;
}

/** Context kept around the record, in bytes and lines. */
const CONTEXT_BYTES = 8 * 1024;
const CONTEXT_LINES = 12;
/** a record's own lines shown at most (a 10,000-line trace is cut) */
const MAX_RECORD_LINES = 200;
const MAX_LINE_CHARS = 4000;

/**
 * The raw lines of a record and a few around it, read again from the file by byte range: a slice of a plain
 * file; a gzip file is decompressed from its start up to the record (the only way into gzip). Text only —
 * shown as text, never as HTML.
 */
export async function linesAround(
  input: ByteInput & Partial<Blob>,
  offset: number,
  length: number,
): Promise<LineAt[]> {
  const from = Math.max(0, offset - CONTEXT_BYTES);
  const to = offset + length + CONTEXT_BYTES;
  const bytes = await readWindow(input, from, to);
  const decoder = new TextDecoder('utf-8');
  // byte offsets of each line: walk the bytes, not the string (characters can be several bytes)
  const out: LineAt[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 10) continue;
    const lineOffset = from + start;
    const raw = decoder.decode(bytes.subarray(start, i > start && bytes[i - 1] === 13 ? i - 1 : i));
    out.push({
      offset: lineOffset,
      text: raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) + ' …' : raw,
      focus: lineOffset >= offset && lineOffset < offset + length,
    });
    start = i + 1;
  }
  // the first and last lines of the window may be cut: keep whole lines only
  if (from > 0 && out.length > 0 && out[0]!.offset < offset) out.shift();
  if (bytes.length === to - from && out.length > 0 && !out[out.length - 1]!.focus) out.pop();
  const first = out.findIndex((l) => l.focus);
  if (first < 0) return out.slice(0, CONTEXT_LINES * 2);
  let last = first;
  while (last + 1 < out.length && out[last + 1]!.focus && last - first < MAX_RECORD_LINES) last++;
  return out.slice(Math.max(0, first - CONTEXT_LINES), last + 1 + CONTEXT_LINES);
}

async function readWindow(input: ByteInput & Partial<Blob>, from: number, to: number): Promise<Uint8Array> {
  if (input.slice && !(await inflatedOnly(input)))
    return new Uint8Array(await input.slice(from, to).arrayBuffer());
  // gzip (or a bare stream): decompress from the start, keep only the window
  const opened = await openBytes(input, () => undefined);
  const out = new Uint8Array(to - from);
  let pos = 0;
  let filled = 0;
  for await (const chunk of opened.chunks) {
    const end = pos + chunk.length;
    if (end > from) {
      const a = Math.max(0, from - pos);
      const b = Math.min(chunk.length, to - pos);
      if (b > a) {
        out.set(chunk.subarray(a, b), pos + a - from);
        filled = pos + b - from;
      }
    }
    pos = end;
    if (pos >= to) break;
  }
  return out.subarray(0, filled);
}
