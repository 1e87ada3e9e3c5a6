/**
 * UTF-8 helpers for the byte-level hot path. Most logs are mostly ASCII: the line splitter finds a chunk's high
 * bytes (nextHighByte), decodes each ASCII run once and slices it per line, which is ~3x cheaper than a
 * TextDecoder call per line; only a line holding a high byte decodes alone.
 */

const decoder = new TextDecoder('utf-8');

/** Decodes bytes [start, end) of buf; invalid sequences become U+FFFD. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  return decodeSpan(decoder, buf, start, end);
}

/** scratch buffers by size class (1 KiB · 2^k, up to 64 KiB): a short span is decoded from a copy in one */
const scratch: Uint8Array[] = [];
const MAX_SCRATCH = 64 * 1024;

/**
 * `decoder.decode` of bytes [start, end) of `buf`. Chromium's TextDecoder takes time in proportion to the whole
 * ArrayBuffer a view is of, not to the view: 21 µs for 1.3 KB of a 1–2 MB File.stream() chunk against 2.6 µs
 * for the same bytes copied to a small buffer first (scripts/bench-decode.ts). A span much shorter than its
 * buffer is copied to a scratch buffer of about its size and decoded there.
 */
export function decodeSpan(d: TextDecoder, buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n > MAX_SCRATCH || buf.buffer.byteLength <= 4 * Math.max(n, 1024))
    return d.decode(buf.subarray(start, end));
  let k = 0;
  while (1024 << k < n) k++;
  const s = (scratch[k] ??= new Uint8Array(1024 << k));
  if (n <= 32) for (let i = 0; i < n; i++) s[i] = buf[start + i]!;
  else s.set(buf.subarray(start, end));
  return d.decode(s.subarray(0, n));
}

/**
 * The text of bytes [start, end) of buf, which must all be ASCII (< 0x80): a byte is a code unit. Without a
 * TextDecoder: in a browser's busy worker a TextDecoder call on a short span measured tens of µs (its cost
 * grows with more than the span: docs/performance.md, "Search"), String.fromCharCode a few.
 */
export function asciiText(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= ASCII_CHUNK)
    return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let p = start; p < end; p += ASCII_CHUNK)
    s += String.fromCharCode.apply(
      null,
      buf.subarray(p, Math.min(end, p + ASCII_CHUNK)) as unknown as number[],
    );
  return s;
}
/** bytes an apply() call takes (its arguments go on the stack) */
const ASCII_CHUNK = 4096;

/** Index of the first byte >= 0x80 in buf[from, to) (`to` when none): four bytes at a time. */
export function nextHighByte(buf: Uint8Array, from: number, to = buf.length): number {
  const len = to;
  let i = from;
  while (i < len && (buf.byteOffset + i) % 4 !== 0) {
    if (buf[i]! & 0x80) return i;
    i++;
  }
  const words = (len - i) >>> 2;
  if (words > 0) {
    const u32 = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    let w = 0;
    // four words an OR: a quarter of the branches on the long ASCII stretches
    while (w + 4 <= words && ((u32[w]! | u32[w + 1]! | u32[w + 2]! | u32[w + 3]!) & 0x80808080) === 0) w += 4;
    while (w < words && (u32[w]! & 0x80808080) === 0) w++;
    i += w * 4;
  }
  while (i < len && (buf[i]! & 0x80) === 0) i++;
  return i;
}

/**
 * Length of the well-formed UTF-8 sequence whose lead byte (≥ 0x80) is buf[i], or 0 (no overlongs, surrogates
 * or code points > U+10FFFF). A sequence cut by `end` gives 0, or with `cutIsWhole` the bytes up to `end` (a
 * sample ends where it ends, not the text).
 */
export function utf8SequenceLength(buf: Uint8Array, i: number, end: number, cutIsWhole = false): number {
  const b = buf[i]!;
  let need: number;
  let min: number;
  let cp: number;
  if (b >= 0xc2 && b <= 0xdf) {
    need = 1;
    min = 0x80;
    cp = b & 0x1f;
  } else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    min = 0x800;
    cp = b & 0x0f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    min = 0x10000;
    cp = b & 0x07;
  } else {
    return 0;
  }
  for (let k = 1; k <= need; k++) {
    if (i + k >= end) return cutIsWhole ? end - i : 0;
    const c = buf[i + k]!;
    if ((c & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return need + 1;
}

/** True when bytes [start, end) are well-formed UTF-8. */
export function isValidUtf8(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    if (buf[i]! < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceLength(buf, i, end);
    if (n === 0) return false;
    i += n;
  }
  return true;
}

/** True when any byte in [start, end) is >= 0x80. */
export function hasHighBytes(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i]! & 0x80) return true;
  return false;
}
